// The training loop of `nla train`: epochs over a seeded order of the training samples, test
// evaluations (at the start, every K samples if asked, after every epoch), a learning curve
// (summary.json, learning-curve.svg) and a checkpoint that lets an interrupted run resume
// bit for bit. The trainers (trainers.ts) know the model; this file knows only samples.
import { join } from 'node:path';
import { UserError } from '../../compiler/common/errors.js';
import { Rng } from '../../compiler/common/rng.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { machineDescription } from '../machine.js';
import { writeFileAtomic } from '../io.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { EXPERIMENTS, findExperiment, type Experiment, type TrainSettings } from './experiments.js';
import { learningCurveSvg, type CurvePoint } from './plot.js';
import { BackpropTrainer, NlaTrainer, type TrainData, type Trainer } from './trainers.js';
import { PatternTrainer } from './pattern.js';
import { ChipTrainer } from './chip.js';
import { CHIP_PATTERN_RELAXATION, ChipPatternTrainer } from './chip-pattern.js';
import { ChipTrainerBase } from './chip-session.js';

function chipLine(p: CurvePoint): string {
  const c = p.chip!;
  const f = (v: number | null, d: number) => (v === null ? '-' : v.toFixed(d));
  const sat = c.train_saturations;
  return (
    `\n  chip (${c.hw}): training ${f(c.train_energy_uj_per_sample, 3)} uJ and ${f(c.train_chip_time_ms_per_sample, 3)} ms of chip time per sample, ` +
    `testing ${f(c.test_energy_uj_per_sample, 3)} uJ and ${f(c.test_chip_time_ms_per_sample, 3)} ms; emulator ${f(p.emulator_train_samples_per_s ?? null, 1)} training / ${f(p.emulator_test_samples_per_s ?? null, 1)} test samples/s` +
    `; range events while training: ${sat.saturation_state} state / ${sat.saturation_weight} weight saturations, ${sat.clip_adc} ADC / ${sat.clip_dac} DAC clips, ${sat.saturation_input} input clamps`
  );
}

export interface TrainOptions {
  experiment: string;
  /** settings that differ from the experiment's defaults */
  settings?: Partial<TrainSettings>;
  backend?: string;
  /** hw-spec preset or file of the chip backend (default 'default') */
  hw?: string;
  /** implicit_relaxation of the chip's implicit iteration (pattern on the chip only; default CHIP_PATTERN_RELAXATION) */
  relaxation?: number;
  out: string;
  /** also evaluate every this many training samples (0: only at the start and after each epoch) */
  evalEvery?: number;
  /** write a checkpoint every this many training samples (always after each evaluation) */
  checkpointEvery?: number;
  /** train at most this many samples in this call, then checkpoint and return (resumable) */
  stopAfter?: number;
  kernels?: 'wasm' | 'js';
  /** polled between samples: true stops the run (checkpoint written first) */
  shouldStop?: () => boolean;
  onProgress?: (p: { done: number; total: number; status: string }) => void;
  onEval?: (p: CurvePoint, line: string) => void;
}

export interface TrainSummary {
  experiment: string;
  description: string;
  metric: 'accuracy' | 'correlation';
  config: TrainConfig;
  epochs_done: number;
  samples_seen: number;
  finished: boolean;
  /** why this call returned early, if it did */
  stopped: null | 'stop-after' | 'interrupted';
  resumed: boolean;
  final: CurvePoint | null;
  best_test_metric: number | null;
  curve: CurvePoint[];
  speed: {
    /** training samples per second of training wall time, over the whole run (tests excluded) */
    train_samples_per_s: number | null;
    /** test samples per second of test wall time, over the whole run */
    eval_samples_per_s: number | null;
    steps_per_sample: number;
    train_steps_per_s: number | null;
    /** the same for this call only */
    this_call: { train_samples: number; train_samples_per_s: number | null };
  };
  wall_s: { train: number; eval: number; this_call: number };
  /** what this call ran on (the speeds and wall times of a resumed run mix the calls' machines) */
  machine: string;
  files: { checkpoint: string; summary: string; curve: string };
}

/** What a checkpoint must match to be resumed (epochs may grow: more training continues it). */
export interface TrainConfig extends Omit<TrainSettings, 'epochs'> {
  experiment: string;
  backend: string;
  /** the hw-spec of the chip backend (null on the ideal model) */
  hw: string | null;
  /** implicit_relaxation of the chip's implicit iteration (pattern on the chip; null elsewhere) */
  relaxation: number | null;
  epochs: number;
}

interface Progress {
  epoch: number; // epochs completed
  pos: number; // position in the current epoch's order
  seen: number;
  pendingEval: boolean;
  accLoss: number;
  accCorrect: number;
  accCount: number;
  trainWall: number;
  evalWall: number;
  curve: CurvePoint[];
}

const IDENTITY: (keyof TrainConfig)[] = ['experiment', 'backend', 'hw', 'train', 'test', 'presentation', 'dt', 'seed', 'hidden', 'interneurons', 'eta', 'input', 'relaxation'];
/** what a checkpoint written before a config key existed means by it */
const IDENTITY_BEFORE: Partial<Record<keyof TrainConfig, unknown>> = { hw: null, interneurons: 0, relaxation: null };

export function resolveSettings(exp: Experiment, over: Partial<TrainSettings>): TrainSettings {
  const s: TrainSettings = { ...exp.defaults };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
  if (s.input !== 'instant' && s.input !== 'lowpass') throw new UserError(`--input: use instant or lowpass, not '${String(s.input)}'`);
  // the experiment's dt for the presentation time (MNIST: the paper's) unless --dt says otherwise
  if (over.dt === undefined && over.presentation !== undefined) s.dt = exp.dtFor(s.presentation);
  const positive = (v: number, flag: string) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new UserError(`${flag}: must be positive, got ${v}`);
  };
  if (!Number.isInteger(s.train) || s.train < 1 || s.train > exp.maxTrain)
    throw new UserError(`--train: experiment '${exp.name}' has ${exp.maxTrain} training samples; pass 1..${exp.maxTrain}, got ${s.train}`);
  if (!Number.isInteger(s.test) || s.test < 1 || s.test > exp.maxTest)
    throw new UserError(`--test: experiment '${exp.name}' has ${exp.maxTest} test samples; pass 1..${exp.maxTest}, got ${s.test}`);
  if (!Number.isInteger(s.epochs) || s.epochs < 1) throw new UserError(`--epochs: pass an integer >= 1, got ${s.epochs}`);
  if (!Number.isInteger(s.hidden) || s.hidden < 1) throw new UserError(`--hidden: pass an integer >= 1, got ${s.hidden}`);
  if (exp.kind !== 'microcircuit') {
    if (over.interneurons !== undefined)
      throw new UserError(`--interneurons: experiment '${exp.name}' has no interneurons; only ${EXPERIMENTS.filter((e) => e.kind === 'microcircuit').map((e) => e.name).join(', ')} does`);
  } else {
    // spec section 4: at least min(n_l, n_{l+1}) interneurons (10 outputs above the hidden layer)
    const need = Math.min(s.hidden, 10);
    if (!Number.isInteger(s.interneurons) || s.interneurons < need)
      throw new UserError(`--interneurons: a microcircuit needs at least min(hidden, outputs) = min(${s.hidden}, 10) = ${need} interneurons (spec section 4); pass an integer >= ${need}, got ${s.interneurons}`);
  }
  positive(s.presentation, '--presentation');
  positive(s.dt, '--dt');
  if (s.eta < 0 || !Number.isFinite(s.eta)) throw new UserError(`--eta: must be >= 0, got ${s.eta}`);
  const steps = s.presentation / s.dt;
  if (Math.abs(steps - Math.round(steps)) > 1e-6 * steps || Math.round(steps) < 1)
    throw new UserError(`--presentation ${fmtMs(s.presentation)} is not a whole number of steps of --dt ${fmtMs(s.dt)}; pick a dt that divides it`);
  return s;
}

export function fmtMs(s: number): string {
  return `${+(s * 1e3).toPrecision(6)} ms`;
}

function shuffled(n: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed, 7000 + epoch);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

async function makeTrainer(exp: Experiment, s: TrainSettings, kernels: 'wasm' | 'js', backend: string, hw: string | null, relaxation: number | null): Promise<Trainer> {
  const data = (): TrainData => ({ train: mnistSplit('train'), test: mnistSplit('test') });
  if (backend === 'chip') return exp.kind === 'pattern' ? ChipPatternTrainer.create(exp, s, hw!, relaxation!) : ChipTrainer.create(exp, s, data(), hw!);
  switch (exp.kind) {
    case 'nla':
    case 'microcircuit':
      return NlaTrainer.create(exp, s, data(), kernels);
    case 'backprop':
      return new BackpropTrainer(exp.network(s), s, data());
    case 'pattern':
      return PatternTrainer.create(exp, s, kernels);
  }
}

const tick = () => new Promise<void>((r) => setImmediate(r));

export async function runTraining(opts: TrainOptions): Promise<TrainSummary> {
  const exp = findExperiment(opts.experiment);
  if (!exp) throw new UserError(`unknown experiment '${opts.experiment}'. Experiments: ${EXPERIMENTS.map((e) => e.name).join(', ')}`);
  const backend = opts.backend ?? 'ideal';
  if (backend !== 'ideal' && backend !== 'chip')
    throw new UserError(`--backend: use ideal (the f64 model) or chip (the Wasm chip emulator, with --hw), not '${backend}'`);
  if (backend !== 'chip' && opts.hw !== undefined) throw new UserError(`--hw ${opts.hw}: a hw-spec only applies to --backend chip`);
  const hw = backend === 'chip' ? (opts.hw ?? 'default') : null;
  // the chip cannot re-settle its state at a digit switch (docs/train.md, Chip backend): its input
  // defaults to the spec's protocol, the digit as the raw input seen through tau_in
  const over = { ...opts.settings };
  if (backend === 'chip' && over.input === undefined) over.input = 'lowpass';
  const s = resolveSettings(exp, over);
  // the relaxation of the chip's Jacobi iteration: only pattern runs on the chip have one to choose
  // (MNIST on the chip runs the forward sweep, which needs none)
  const relaxes = backend === 'chip' && exp.kind === 'pattern';
  if (opts.relaxation !== undefined && !relaxes) throw new UserError(`--relaxation ${opts.relaxation}: only pattern runs on the chip (--backend chip) take a relaxation`);
  if (opts.relaxation !== undefined && !(opts.relaxation > 0 && opts.relaxation <= 1)) throw new UserError(`--relaxation: pass a number in (0, 1], got ${opts.relaxation}`);
  const relaxation = relaxes ? (opts.relaxation ?? CHIP_PATTERN_RELAXATION) : null;
  const config: TrainConfig = { experiment: exp.name, backend, hw, relaxation, ...s };
  const evalEvery = opts.evalEvery ?? 0;
  const ckptEvery = opts.checkpointEvery ?? 1000;
  if (!Number.isInteger(evalEvery) || evalEvery < 0) throw new UserError(`--eval-every: pass an integer >= 0, got ${evalEvery}`);
  if (!Number.isInteger(ckptEvery) || ckptEvery < 1) throw new UserError(`--checkpoint-every: pass an integer >= 1, got ${ckptEvery}`);
  const files = {
    checkpoint: join(opts.out, 'checkpoint.nlackpt'),
    summary: join(opts.out, 'summary.json'),
    curve: join(opts.out, 'learning-curve.svg'),
  };

  const trainer = await makeTrainer(exp, s, opts.kernels ?? 'wasm', backend, hw, relaxation);
  let p: Progress = { epoch: 0, pos: 0, seen: 0, pendingEval: true, accLoss: 0, accCorrect: 0, accCount: 0, trainWall: 0, evalWall: 0, curve: [] };
  const saved = readCheckpoint(files.checkpoint);
  let resumed = false;
  if (saved) {
    // checkpoints from before the chip backend have no 'hw' (the ideal model's null), from before
    // the microcircuit no 'interneurons' (0)
    const diff = IDENTITY.filter((k) => JSON.stringify(saved.config[k] ?? IDENTITY_BEFORE[k]) !== JSON.stringify(config[k]));
    if (diff.length)
      throw new UserError(
        `${files.checkpoint} belongs to a different run: ${diff.map((k) => `${k} ${JSON.stringify(saved.config[k])} there, ${JSON.stringify(config[k])} now`).join('; ')}. ` +
          `Re-run with the same settings to resume it, or pass another --out (or delete ${opts.out}) to start a new run`,
      );
    trainer.restore(saved.arrays);
    p = saved.progress as unknown as Progress;
    resumed = true;
  }

  const t0 = performance.now();
  let trainThisCall = 0;
  let trainWallThisCall = 0;
  let stopped: TrainSummary['stopped'] = null;
  const totalTrain = s.epochs * s.train;
  // progress in units of training samples; a test sample (no plasticity, no nudging) counts as half
  const evalCost = 0.5;
  const evalsPlanned = 1 + s.epochs + (evalEvery ? Math.floor((totalTrain - 1) / evalEvery) : 0);
  const workTotal = () => totalTrain + Math.max(evalsPlanned, p.curve.length) * s.test * evalCost;
  const status = () => {
    const last = p.curve[p.curve.length - 1];
    return `epoch ${Math.min(p.epoch + 1, s.epochs)}/${s.epochs}` + (last ? ` | test ${exp.metric === 'accuracy' ? `${(100 * last.test_metric).toFixed(1)}%` : last.test_metric.toFixed(3)}` : '');
  };
  const report = (extra = 0) => opts.onProgress?.({ done: p.seen + (p.curve.length * s.test + extra) * evalCost, total: workTotal(), status: status() });

  const checkpoint = () => {
    writeCheckpoint(files.checkpoint, { config: config as unknown as Record<string, unknown>, progress: p as unknown as Record<string, unknown>, arrays: trainer.snapshot() });
  };
  const summary = (): TrainSummary => {
    const final = p.curve.length ? p.curve[p.curve.length - 1] : null;
    const thisCall = (performance.now() - t0) / 1000;
    return {
      experiment: exp.name,
      description: backend === 'chip' ? `${exp.name} on the emulated chip (hw-spec ${hw}): the network compiled for it (implicit scheme) and trained with on-chip plasticity` : exp.description,
      metric: exp.metric,
      config,
      epochs_done: p.epoch,
      samples_seen: p.seen,
      finished: p.epoch >= s.epochs && !p.pendingEval,
      stopped,
      resumed,
      final,
      best_test_metric: p.curve.length ? Math.max(...p.curve.map((c) => c.test_metric)) : null,
      curve: p.curve,
      speed: {
        train_samples_per_s: p.seen ? p.seen / p.trainWall : null,
        eval_samples_per_s: p.curve.length ? (p.curve.length * s.test) / p.evalWall : null,
        steps_per_sample: trainer.stepsPerSample,
        train_steps_per_s: p.seen ? (p.seen * trainer.stepsPerSample) / p.trainWall : null,
        this_call: { train_samples: trainThisCall, train_samples_per_s: trainThisCall ? trainThisCall / trainWallThisCall : null },
      },
      wall_s: { train: p.trainWall, eval: p.evalWall, this_call: thisCall },
      machine: machineDescription(),
      files,
    };
  };
  const writeOutputs = () => {
    const title = `nla train ${exp.name}: ${s.train} train / ${s.test} test samples, ${fmtMs(s.presentation)} per sample, dt ${fmtMs(s.dt)}, seed ${s.seed}`;
    writeFileAtomic(files.curve, learningCurveSvg(title, exp.metric, p.curve));
    writeFileAtomic(files.summary, JSON.stringify(summary(), null, 2) + '\n');
  };

  /** returns false when interrupted (the evaluation stays pending) */
  const evaluate = async (): Promise<boolean> => {
    const e0 = performance.now();
    trainer.evalBegin();
    for (let i = 0; i < s.test; i++) {
      trainer.evalOne(i);
      if ((i & 15) === 15) {
        report(i + 1);
        await tick();
        if (opts.shouldStop?.()) return false;
      }
    }
    const r = trainer.evalEnd();
    const dtWall = (performance.now() - e0) / 1000;
    p.evalWall += dtWall;
    const point: CurvePoint = {
      seen: p.seen,
      epoch: p.seen / s.train,
      test_metric: r.metric,
      test_loss: r.loss,
      train_loss: p.accCount ? p.accLoss / p.accCount : null,
      train_metric: p.accCount && exp.metric === 'accuracy' ? p.accCorrect / p.accCount : null,
      wall_s: p.trainWall + p.evalWall,
    };
    const angle = trainer.alignmentAngle?.() ?? null;
    if (angle !== null) point.alignment_angle_deg = angle;
    const chip = trainer instanceof ChipTrainerBase ? trainer.chipPoint() : null;
    if (chip) {
      point.chip = chip;
      // emulator speed: training samples per wall second since the previous point
      const prev = p.curve[p.curve.length - 1];
      const trained = p.seen - (prev?.seen ?? 0);
      const trainWall = p.trainWall - (prev?.train_wall_s ?? 0);
      point.train_wall_s = p.trainWall;
      point.emulator_train_samples_per_s = trained ? trained / trainWall : null;
      point.emulator_test_samples_per_s = s.test / dtWall;
    }
    p.curve.push(point);
    p.accLoss = p.accCorrect = p.accCount = 0;
    p.pendingEval = false;
    const pct = (v: number) => (exp.metric === 'accuracy' ? `${(100 * v).toFixed(2)}%` : v.toFixed(4));
    opts.onEval?.(
      point,
      `${exp.name}: ${p.seen} samples (epoch ${point.epoch.toFixed(2)}): test ${exp.metric} ${pct(r.metric)}, test loss ${r.loss.toPrecision(4)}` +
        (point.train_loss !== null
          ? `; ${point.train_metric !== null ? `train ${exp.metric} ${pct(point.train_metric)}, ` : ''}train loss ${point.train_loss.toPrecision(4)} (since the last test)`
          : '') +
        (angle !== null ? `; angle(WPI WIP, B W2) ${angle.toFixed(2)} deg` : '') +
        (point.chip ? chipLine(point) : ''),
    );
    writeOutputs();
    checkpoint();
    return true;
  };

  let order = shuffled(s.train, s.seed, p.epoch);
  const stopNow = (why: 'stop-after' | 'interrupted') => {
    stopped = why;
    checkpoint();
    writeOutputs();
    return summary();
  };
  if (p.pendingEval && !(await evaluate())) return stopNow('interrupted');
  while (p.epoch < s.epochs) {
    while (p.pos < s.train) {
      if (opts.shouldStop?.()) return stopNow('interrupted');
      if (opts.stopAfter !== undefined && trainThisCall >= opts.stopAfter) return stopNow('stop-after');
      trainer.setEtaScale(p.seen * s.presentation >= exp.etaDecayAfter ? exp.etaDecay : 1);
      const w0 = performance.now();
      const r = trainer.trainOne(order[p.pos]);
      const dw = (performance.now() - w0) / 1000;
      trainWallThisCall += dw;
      p.trainWall += dw;
      trainThisCall++;
      p.pos++;
      p.seen++;
      p.accLoss += r.loss;
      p.accCorrect += r.correct;
      p.accCount++;
      const epochEnd = p.pos === s.train;
      if (epochEnd) {
        p.epoch++;
        p.pos = 0;
        p.pendingEval = true;
      } else if (evalEvery && p.seen % evalEvery === 0) p.pendingEval = true;
      if (p.pendingEval) {
        if (!(await evaluate())) return stopNow('interrupted');
      } else if (p.seen % ckptEvery === 0) checkpoint();
      if (epochEnd) break;
      if ((p.seen & 3) === 0 || exp.kind !== 'backprop') {
        report();
        await tick();
      }
    }
    order = shuffled(s.train, s.seed, p.epoch);
  }
  writeOutputs();
  return summary();
}

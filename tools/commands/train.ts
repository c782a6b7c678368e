// `nla train <experiment>`: the paper's training experiments on the ideal model or, with
// --backend chip --hw <preset>, with on-chip plasticity on the chip emulator (docs/train.md).
// Writes <out>/checkpoint.nlackpt, summary.json and learning-curve.svg; re-running the same
// command resumes an interrupted run.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { UserError } from '../../compiler/common/errors.js';
import { parseDurationFlag } from './simulate.js';
import { parseCount } from './flags.js';
import { EXPERIMENTS } from '../train/experiments.js';
import { fmtMs, runTraining, type TrainSummary } from '../train/driver.js';
import type { TrainSettings } from '../train/experiments.js';

interface TrainFlags {
  backend: string;
  hw?: string;
  relaxation?: string;
  train?: string;
  test?: string;
  epochs?: string;
  presentation?: string;
  dt?: string;
  seed?: string;
  hidden?: string;
  interneurons?: string;
  eta?: string;
  input?: string;
  evalEvery?: string;
  checkpointEvery?: string;
  stopAfter?: string;
  out?: string;
  kernels?: string;
  json?: boolean;
  quiet?: boolean;
}

function parseTime(s: string, flag: string): number {
  try {
    return parseDurationFlag(s);
  } catch {
    throw new UserError(`${flag}: cannot read '${s}' as a duration. Write e.g. 100ms, 5ms or 0.05ms`);
  }
}

function parseRate(s: string, flag: string): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < 0) throw new UserError(`${flag}: expected a number >= 0 (per second), got '${s}'`);
  return v;
}

function positiveCount(s: string, flag: string): number {
  const v = parseCount(s, flag);
  if (v < 1) throw new UserError(`${flag}: expected an integer >= 1, got '${s}'`);
  return v;
}

/** a progress bar with the epoch and last test figure, on a terminal only, after one second */
export function trainBar(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return { update: (_: { done: number; total: number; status: string }) => {}, stop: () => {} };
  const started = performance.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p: { done: number; total: number; status: string }) {
      if (!bar) {
        if (performance.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          { format: 'train [{bar}] {percentage}% | {status} | eta {eta_formatted}', stream: process.stderr, etaBuffer: 200 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.round(p.total), Math.round(p.done), { status: p.status });
      }
      bar.setTotal(Math.round(p.total));
      bar.update(Math.round(p.done), { status: p.status });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(`Train one of the paper's experiments on the ideal model or on the chip emulator (--backend chip --hw <preset>): ${EXPERIMENTS.map((e) => e.name).join(', ')} (docs/train.md).`)
    .argument('<experiment>', EXPERIMENTS.map((e) => `${e.name}: ${e.description}`).join('; '))
    .option('--backend <name>', 'model to train: ideal (the f64 model) or chip (compiled for --hw, trained with on-chip plasticity on the Wasm chip emulator)', 'ideal')
    .option('--hw <preset|file>', 'hw-spec of --backend chip: a preset (default, high-precision, bss2-like) or a file (default: default)')
    .option('--relaxation <w>', 'pattern with --backend chip: implicit_relaxation of the chip\'s implicit iteration, 0 < w <= 1 (default 0.5: the 8-bit default preset oscillates with 1; see docs/train.md)')
    .option('--train <n>', 'training samples per epoch (default: MNIST all 8000 digits of the fixed train split; pattern 600 windows)')
    .option('--test <n>', 'test samples per evaluation (default: MNIST all 2000 test digits; pattern 100 held-out windows)')
    .option('--epochs <n>', 'epochs (default 1); raising it later continues a finished run')
    .option('--presentation <time>', 'time each sample (digit, or signal window) is shown, e.g. 100ms or 5ms (default 100ms)')
    .option("--dt <time>", "Euler step (default: the paper's; MNIST 0.05 ms at 5 ms, 0.1 ms at 10 ms, 0.5 ms at 50 ms, else 1 ms; mnist-microcircuit 0.25 ms; pattern 1 ms)")
    .option('--seed <n>', 'seed of the initial weights and of the sample order (default 1)')
    .option('--hidden <n>', 'hidden neurons (default: MNIST 500, mnist-microcircuit 300, pattern 40)')
    .option('--interneurons <n>', 'interneurons of the hidden layer, mnist-microcircuit only (default 40; at least min(hidden, 10))')
    .option('--eta <rate>', 'learning rate per second (default 1: the paper\'s 1e-3 per ms)')
    .option('--input <mode>', 'instant: a digit is the input rate rbar_in, no input lag (default on the ideal model, as the authors\' code); lowpass: it is the raw input r_in, seen through tau_in (default on --backend chip, which cannot re-settle at a switch)')
    .option('--eval-every <n>', 'also test every n training samples (default: at the start and after each epoch)')
    .option('--checkpoint-every <n>', 'write the checkpoint every n training samples (and after every test)', '1000')
    .option('--stop-after <n>', 'train at most n samples in this call, then checkpoint and stop (run again to continue)')
    .option('--out <dir>', 'output folder: checkpoint, summary.json, learning-curve.svg (default out/train-<experiment>)')
    .option('--kernels <backend>', 'linear-algebra kernels of the ideal model: wasm or js (bit-identical)', 'wasm')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--quiet', 'no progress bar and no per-test lines')
    .action(async (name: string, flags: TrainFlags) => {
      if (flags.kernels !== 'wasm' && flags.kernels !== 'js') throw new UserError(`--kernels: use wasm or js, not '${flags.kernels}'`);
      const settings: Partial<TrainSettings> = {
        train: flags.train !== undefined ? positiveCount(flags.train, '--train') : undefined,
        test: flags.test !== undefined ? positiveCount(flags.test, '--test') : undefined,
        epochs: flags.epochs !== undefined ? positiveCount(flags.epochs, '--epochs') : undefined,
        presentation: flags.presentation !== undefined ? parseTime(flags.presentation, '--presentation') : undefined,
        dt: flags.dt !== undefined ? parseTime(flags.dt, '--dt') : undefined,
        seed: flags.seed !== undefined ? parseCount(flags.seed, '--seed') : undefined,
        hidden: flags.hidden !== undefined ? positiveCount(flags.hidden, '--hidden') : undefined,
        interneurons: flags.interneurons !== undefined ? positiveCount(flags.interneurons, '--interneurons') : undefined,
        eta: flags.eta !== undefined ? parseRate(flags.eta, '--eta') : undefined,
        input: flags.input as TrainSettings['input'] | undefined,
      };
      const out = flags.out ?? `out/train-${name}`;
      const talk = !flags.quiet && !flags.json;
      const bar = trainBar(talk);
      let interrupted = false;
      const onSigint = () => {
        if (interrupted) process.exit(130);
        interrupted = true;
      };
      process.on('SIGINT', onSigint);
      let summary: TrainSummary;
      try {
        summary = await runTraining({
          experiment: name,
          settings,
          backend: flags.backend,
          hw: flags.hw,
          relaxation: flags.relaxation !== undefined ? Number(flags.relaxation) : undefined,
          out,
          evalEvery: flags.evalEvery !== undefined ? parseCount(flags.evalEvery, '--eval-every') : 0,
          checkpointEvery: positiveCount(flags.checkpointEvery ?? '1000', '--checkpoint-every'),
          stopAfter: flags.stopAfter !== undefined ? parseCount(flags.stopAfter, '--stop-after') : undefined,
          kernels: flags.kernels,
          shouldStop: () => interrupted,
          onProgress: bar.update,
          onEval: (_p, line) => {
            if (!talk) return;
            bar.stop();
            process.stdout.write(line + '\n');
          },
        });
      } finally {
        bar.stop();
        process.off('SIGINT', onSigint);
      }
      if (flags.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else process.stdout.write(describe(summary));
      if (summary.stopped === 'interrupted')
        throw Object.assign(new UserError(`interrupted after ${summary.samples_seen} training samples; the checkpoint is in ${summary.files.checkpoint}. Run the same command again to resume`), {
          reported: !!flags.json,
        });
    });
}

function describe(s: TrainSummary): string {
  const c = s.config;
  const pct = (v: number) => (s.metric === 'accuracy' ? `${(100 * v).toFixed(2)}%` : v.toFixed(4));
  const lines = [
    `${s.experiment}${s.resumed ? ' (resumed)' : ''}${c.hw ? ` on the chip (${c.hw})` : ''}: ${c.train} train / ${c.test} test samples, ${fmtMs(c.presentation)} per sample, dt ${fmtMs(c.dt)}, hidden ${c.hidden}${c.interneurons ? `, ${c.interneurons} interneurons` : ''}, eta ${c.eta}/s, input ${c.input}, seed ${c.seed}`,
    `  ${s.samples_seen} samples seen, ${s.epochs_done} of ${c.epochs} epochs done` + (s.stopped === 'stop-after' ? ' (stopped by --stop-after; run again to continue)' : ''),
  ];
  if (s.final)
    lines.push(
      `  test ${s.metric} ${pct(s.final.test_metric)} (best ${pct(s.best_test_metric!)}), test loss ${s.final.test_loss.toPrecision(4)}` +
        (s.final.alignment_angle_deg !== undefined ? `; angle(WPI WIP, B W2) ${s.curve[0].alignment_angle_deg?.toFixed(2)} -> ${s.final.alignment_angle_deg.toFixed(2)} deg` : ''),
    );
  const sp = s.speed;
  if (sp.train_samples_per_s !== null)
    lines.push(
      `  speed: ${sp.train_samples_per_s.toFixed(1)} training samples/s` +
        (s.experiment !== 'mnist-backprop' ? ` (${sp.steps_per_sample} steps each, ${sp.train_steps_per_s!.toFixed(0)} steps/s)` : '') +
        (sp.eval_samples_per_s !== null ? `, ${sp.eval_samples_per_s.toFixed(1)} test samples/s` : ''),
    );
  const chip = s.final?.chip;
  if (chip) {
    const f = (v: number | null, d: number) => (v === null ? '-' : v.toFixed(d));
    lines.push(
      `  chip (${chip.hw}): ${f(chip.train_energy_uj_per_sample, 3)} uJ and ${f(chip.train_chip_time_ms_per_sample, 3)} ms of chip time per training sample, ` +
        `${f(chip.test_energy_uj_per_sample, 3)} uJ and ${f(chip.test_chip_time_ms_per_sample, 3)} ms per test sample (the chip's counters)`,
    );
  }
  lines.push(`  wall time: ${s.wall_s.train.toFixed(1)} s training + ${s.wall_s.eval.toFixed(1)} s testing in total, ${s.wall_s.this_call.toFixed(1)} s in this call`);
  lines.push(`  wrote ${s.files.summary}, ${s.files.curve}, ${s.files.checkpoint}`);
  return lines.join('\n') + '\n';
}

// `nla report`: one network on one chip, compared level by level with the ideal dynamics.
//
//   ideal explicit        the paper's reference (emulator/ideal, scheme explicit)
//   ideal <chip scheme>   the same model in the scheme the chip runs (implicit, or le)
//   ideal no_lookahead    the ablation without prospective terms: the lag nothing cancels
//   lowered f64           the compiled Machine program in f64 (compiler/ir/interpret-machine)
//   chip                  the emulated chip on the compiled image
//
// All levels start from rest (every state zero), the state the chip's image starts in: the chip
// cannot settle onto an equilibrium, so IdealModel.start(), which would, is not called.
// Then every non-ideality of the table in nonidealities.ts is switched off in a copy of the
// hw-spec, recompiled and run as one more chip in the same lock step.
import type { NetworkIR } from '../../compiler/network/index.js';
import { hwSpecHash, loadHwSpec, serialiseHwSpec } from '../../compiler/hwspec/index.js';
import { imageHash, writeImage } from '../../compiler/image/index.js';
import { MachineInterpreter } from '../../compiler/ir/interpret-machine.js';
import { chipScheme } from '../../compiler/passes/pipeline.js';
import type { Backend } from '../../emulator/backend.js';
import { createChip } from '../../emulator/chip/index.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { planSteps } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { compileNetwork, defaultCalibrationTicks, replicasArgs } from '../compile/compile.js';
import type { Progress } from '../progress.js';
import { AccuracyTracker, accuracyTarget, type AccuracyReport } from './accuracy.js';
import { attribute, depths, lagOf, pooledRms, prospectivity, type Attribution, type Lag, type Prospectivity, type RowMeasurement } from './analysis.js';
import { StimulusDriver } from './drive.js';
import { timeAndEnergy, type TimeEnergy } from './energy.js';
import { probeKey, runLockstep, type Level, type LockstepResult, type Pair, type ProbeSpec } from './lockstep.js';
import { NONIDEALITIES } from './nonidealities.js';
import { compileVariants, type ChipFactory } from './variants.js';
import type { PairStats } from './stats.js';

export interface ReportOptions {
  /** hw-spec preset name or file */
  hw: string;
  steps?: number;
  /** network time, s (ignored when steps is given) */
  duration?: number;
  /** run seed of the chips (read noise, stochastic rounding) */
  seed?: number;
  /** samples kept per signal for plots and lags (default 2000) */
  maxSamples?: number;
  calibrationTicks?: number;
  /** most copies of a crossbar block (compiler pass replicate; 1: off; default as nla compile) */
  maxReplicas?: number;
  kernels?: 'wasm' | 'js';
  /** the emulated chip (default: the reference interpreter, emulator/chip createChip) */
  createChip?: ChipFactory;
  /** the network file, embedded in the images */
  source?: { file: string; text: string };
  progress?: (label: string) => Progress;
  /** the command line, recorded in the summary */
  command?: string;
}

export const LEVELS = [
  { key: 'explicit', label: 'ideal explicit', what: "the ideal f64 model in the paper's explicit scheme (the reference)" },
  { key: 'ideal', label: 'ideal (chip scheme)', what: 'the ideal f64 model in the scheme the chip runs' },
  { key: 'no_lookahead', label: 'ideal no-lookahead', what: 'the ideal f64 ablation without prospective terms (for the lag check)' },
  { key: 'lowered', label: 'lowered f64', what: 'the compiled Machine program in f64 (mapped, routed, with route delays; no quantization)' },
  { key: 'chip', label: 'chip', what: 'the emulated chip on the compiled image' },
] as const;

export const PAIRS: (Pair & { label: string })[] = [
  { key: 'chip_vs_ideal_explicit', ref: 'explicit', cmp: 'chip', label: 'chip vs ideal explicit' },
  { key: 'chip_vs_lowered', ref: 'lowered', cmp: 'chip', label: 'chip vs lowered f64' },
  { key: 'lowered_vs_ideal', ref: 'ideal', cmp: 'lowered', label: 'lowered f64 vs ideal (chip scheme)' },
  { key: 'lowered_vs_ideal_explicit', ref: 'explicit', cmp: 'lowered', label: 'lowered f64 vs ideal explicit' },
];

export interface ReportResult {
  summary: ReportSummary;
  /** files of the report, by path relative to the output folder (index.html is added by the caller) */
  files: Map<string, string | Uint8Array>;
  /** the series the page plots */
  run: LockstepResult;
  probes: ProbeSpec[];
}

export interface ComparisonEntry extends PairStats {
  lag: Lag;
}

export interface ReportSummary {
  tool: string;
  created: string;
  command: string | null;
  commands: Record<string, string>;
  network: { name: string; file: string; sha256: string; seed: number; scheme_file: string; scheme_chip: string };
  hw_spec: { name: string; hash: string; given: string };
  image: { sha256: string; bytes: number; cores: number; routes: number; file: string };
  seed: number;
  /** the chip emulator that ran the images (chip-reference or chip-wasm: the same bits) */
  chip_emulator: string;
  dt_s: number;
  steps: number;
  duration_s: number;
  every: number;
  samples: number;
  start: string;
  levels: { key: string; label: string; what: string }[];
  probes: string[];
  comparisons: { key: string; label: string; ref: string; cmp: string; probes: Record<string, ComparisonEntry> }[];
  prospectivity: Prospectivity;
  saturation: Record<string, Record<string, number>>;
  tensors: { count: number; flagged: { name: string; status: string; maxAbs: number; bitsUsed: number }[]; all: { name: string; maxAbs: number; bitsUsed: number; status: string }[] };
  accuracy: AccuracyReport;
  time_energy: TimeEnergy;
  attribution: Attribution;
  run_times: { compile_s: Record<string, number>; step_s: Record<string, number>; run_s: number; total_s: number };
  warnings: string[];
}

const RANGE_COUNTERS = ['saturation_state', 'saturation_weight', 'clip_adc', 'clip_dac', 'saturation_input', 'stochastic_draws'] as const;

export async function buildReport(net: NetworkIR, opts: ReportOptions): Promise<ReportResult> {
  const started = performance.now();
  const seed = opts.seed ?? 0;
  const spec = loadHwSpec(opts.hw);
  const baseHash = hwSpecHash(spec);
  const dt = net.dynamics.dt;
  const { steps } = planSteps(net, { steps: opts.steps, duration: opts.duration });
  const progress = opts.progress ?? (() => ({ update: () => {}, stop: () => {} }));

  // ---- compile: the base image and one per non-ideality switched off
  const compileBar = progress('compile');
  const compileS: Record<string, number> = {};
  let t0 = performance.now();
  const { image, machine } = compileNetwork(net, spec, { source: opts.source, calibrationTicks: opts.calibrationTicks, maxReplicas: opts.maxReplicas });
  compileS.base = (performance.now() - t0) / 1000;
  const bytes = writeImage(image);
  const makeChip = opts.createChip ?? createChip;
  const variants = compileVariants(net, spec, { image, dt }, { source: opts.source, calibrationTicks: opts.calibrationTicks, maxReplicas: opts.maxReplicas, seed, createChip: makeChip, onProgress: compileBar.update });
  for (const v of variants) if (v.compileS !== undefined) compileS[v.key] = v.compileS;
  compileBar.stop();

  // ---- the levels, started from rest
  const scheme = chipScheme(net);
  const ideal = (s: 'explicit' | 'implicit' | 'le' | 'no_lookahead') => createIdealModel(net, { scheme: s, kernels: opts.kernels });
  const chip = makeChip(image, { seed });
  const backends: Record<(typeof LEVELS)[number]['key'], Backend> = {
    explicit: await ideal('explicit'),
    ideal: await ideal(scheme),
    no_lookahead: await ideal('no_lookahead'),
    lowered: new MachineInterpreter(machine) as unknown as Backend,
    chip,
  };
  const fromRest = () => {}; // IdealModel.start() would settle onto the equilibrium; the chip cannot
  const levels: Level[] = LEVELS.map((l) => ({ key: l.key, backend: backends[l.key], begin: l.key === 'lowered' || l.key === 'chip' ? undefined : fromRest }));
  const measured = variants.filter((v) => v.chip);
  const probedOnChip = new Set(image.probes.map(probeKey));
  const probes: ProbeSpec[] = [];
  for (const p of net.populations) {
    if (p.kind !== 'hidden' && p.kind !== 'output') continue; // inputs have no u, interneurons uI
    probes.push({ population: p.name, signal: 'u', size: p.size });
    if (p.kind === 'output' && probedOnChip.has(`${p.name}.rbar`)) probes.push({ population: p.name, signal: 'rbar', size: p.size });
  }
  const outputs = net.populations.filter((p) => p.kind === 'output').map((p) => p.name);
  const driver = new StimulusDriver(net, { presentation: net.stimulus.presentation, dataset: mnistSplit, where: net.file }, steps);
  const target = accuracyTarget(net, driver);
  const accuracyLevels = ['explicit', 'lowered', 'chip'];
  const tracker = 'population' in target ? new AccuracyTracker(net, driver, target.population, accuracyLevels) : undefined;
  const every = Math.max(1, Math.ceil(steps / (opts.maxSamples ?? 2000)));

  const runBar = progress('run');
  t0 = performance.now();
  let run: LockstepResult;
  try {
    run = runLockstep({
      driver,
      dt,
      steps,
      every,
      levels,
      probes,
      pairs: PAIRS,
      variants: measured.map((v) => ({ key: v.key, backend: v.chip!, ref: v.ref })),
      attributionRef: 'explicit',
      outputs,
      accuracy: tracker ? { tracker, levels: accuracyLevels } : undefined,
      onProgress: runBar.update,
    });
  } finally {
    runBar.stop();
  }
  const runS = (performance.now() - t0) / 1000;

  // ---- comparisons and lags
  const tauOf = (pop: string) => net.populations.find((p) => p.name === pop)!.neuron.tau;
  const lag = (ref: string, cmp: string, p: ProbeSpec) => lagOf(run, ref, cmp, p, tauOf(p.population), dt, every);
  const comparisons = PAIRS.map((pr) => ({
    key: pr.key,
    label: pr.label,
    ref: pr.ref,
    cmp: pr.cmp,
    probes: Object.fromEntries(probes.map((p) => [probeKey(p), { ...run.pairs.get(pr.key)!.get(probeKey(p))!, lag: lag(pr.ref, pr.cmp, p) }])),
  }));
  const depth = depths(net);
  const layers = probes
    .filter((p) => p.signal === 'u')
    .map((p) => ({ population: p.population, depth: depth?.get(p.population) ?? null, chip: lag('explicit', 'chip', p), ideal_chip_scheme: lag('explicit', 'ideal', p), no_lookahead: lag('explicit', 'no_lookahead', p) }))
    .sort((a, b) => (a.depth ?? 0) - (b.depth ?? 0));

  // ---- attribution on the output voltages against the ideal explicit model
  const outErr = (key: string) => run.outputError.get(key)!;
  const base = outErr('chip').rms;
  const range = outErr('explicit').range;
  const outProbes = probes.filter((p) => p.signal === 'u' && outputs.includes(p.population));
  const chipVsLowered = pooledRms(outProbes.map((p) => ({ s: run.pairs.get('chip_vs_lowered')!.get(probeKey(p))!, size: p.size })));
  const variant = (key: string) => variants.find((v) => v.key === key)!;
  /** RMS of a variant's output: measured, the same as `same` when it changes nothing, else null */
  const rmsOf = (key: string, same: number) => (variant(key).status === 'measured' ? outErr(key).rms : variant(key).status === 'already off' ? same : null);
  const rows: RowMeasurement[] = NONIDEALITIES.map((r) => {
    const v = variant(`off:${r.name}`);
    return { name: r.name, title: r.title, off: r.off, status: v.status, note: v.note, rms_off: rmsOf(v.key, base), rms_alone: rmsOf(`alone:${r.name}`, 0) };
  });
  const algorithm = outErr('lowered').rms;
  rows.push({
    name: 'algorithm',
    title: 'finite dt, implicit scheme',
    off: 'the chip compared with its own program in f64 instead of the ideal explicit model; alone: the lowered f64 program against the ideal explicit model',
    status: 'measured',
    note: `lowered f64 vs ideal explicit on the output: RMS ${algorithm.toPrecision(3)}`,
    rms_off: chipVsLowered,
    rms_alone: algorithm,
  });
  const all = variant('off:all');
  const allOffEntry = { status: all.status, rms_off: rmsOf('off:all', base), note: all.note ?? `for comparison, the algorithm alone (lowered f64 vs ideal explicit): ${algorithm.toPrecision(3)}; more than that is hardware error the table does not cover` };
  const attribution = attribute(rows, base, range, allOffEntry, outputs);

  // ---- range events, tensors, accuracy, time and energy
  const countersOf = (c: Backend) => Object.fromEntries(RANGE_COUNTERS.map((k) => [k, c.counters()[k] ?? 0]));
  const saturation: Record<string, Record<string, number>> = { chip: countersOf(chip) };
  for (const v of measured) saturation[v.key] = countersOf(v.chip!);
  const tensors = ((image.metadata.tensors as { name: string; maxAbs: number; bitsUsed: number; status: string }[]) ?? []).map((t) => ({ name: t.name, maxAbs: t.maxAbs, bitsUsed: t.bitsUsed, status: t.status }));
  const accuracy: AccuracyReport = tracker ? tracker.result() : { available: false, reason: (target as { reason: string }).reason };
  const timeEnergy = timeAndEnergy(image, spec, { presentation: net.stimulus.presentation, ticks: steps, plasticTicks: run.plasticTicks, counters: chip.counters() });

  const files = new Map<string, string | Uint8Array>([['chip.nlaimg', bytes]]);
  const netFile = net.file;
  // image and spec paths are relative to the report folder
  const commands: Record<string, string> = {
    compile: `nla compile ${netFile} --hw ${opts.hw} -o chip.nlaimg${opts.calibrationTicks !== undefined ? ` --calibrate ${opts.calibrationTicks}` : ''}${replicasArgs(opts.maxReplicas)}`,
    run: `nla run chip.nlaimg --steps ${steps} --seed ${seed}`,
    estimate: 'nla estimate chip.nlaimg',
  };
  for (const v of variants)
    if (v.spec && v.status === 'measured') {
      const name = v.key.replace(':', '-');
      files.set(`specs/${name}.json`, serialiseHwSpec(v.spec));
      commands[`compile_${name}`] = `nla compile ${netFile} --hw specs/${name}.json -o ${name}.nlaimg${opts.calibrationTicks !== undefined ? ` --calibrate ${opts.calibrationTicks}` : ''}${replicasArgs(opts.maxReplicas)}`;
    }
  const summary: ReportSummary = {
    tool: 'nla report',
    created: new Date().toISOString(),
    command: opts.command ?? null,
    commands,
    network: { name: net.name, file: netFile, sha256: net.sourceHash, seed: net.seed, scheme_file: net.dynamics.scheme, scheme_chip: scheme },
    hw_spec: { name: spec.name, hash: baseHash, given: opts.hw },
    image: { sha256: imageHash(bytes), bytes: bytes.length, cores: image.cores.length, routes: image.routes.length, file: 'chip.nlaimg' },
    seed,
    chip_emulator: chip.name,
    dt_s: dt,
    steps,
    duration_s: steps * dt,
    every,
    samples: run.t.length,
    start: 'every level starts from rest (all state zero, as the chip image does); the ideal model is not settled onto its equilibrium',
    levels: LEVELS.map((l) => ({ ...l })),
    probes: probes.map(probeKey),
    comparisons,
    prospectivity: prospectivity(layers),
    saturation,
    tensors: { count: tensors.length, flagged: tensors.filter((t) => t.status !== 'ok'), all: tensors },
    accuracy,
    time_energy: timeEnergy,
    attribution,
    run_times: { compile_s: compileS, step_s: Object.fromEntries(run.stepSeconds), run_s: runS, total_s: (performance.now() - started) / 1000 },
    warnings: [
      ...((image.metadata.warnings as string[]) ?? []),
      ...(opts.calibrationTicks === undefined && steps > defaultCalibrationTicks(net) ? [`the run (${steps} ticks) is longer than the calibration (${defaultCalibrationTicks(net)} ticks): ranges reached later may saturate`] : []),
    ],
  };
  return { summary, files, run, probes };
}

// One row of a sweep: the network and hw-spec of one configuration compiled, run on the emulated
// chip beside the ideal explicit model from rest (as the report does), and the output error and
// the static time and energy estimate read off. Runs in a worker thread (worker.ts); anything that
// goes wrong becomes the row's reason, so one bad configuration never stops the sweep.
//
// The ideal model's output does not depend on the hw-spec, only on the network and its dt, so a
// sweep runs it once per dt, as a task of its own (measureIdeal), while the workers run the chips
// alone (measureChip); each chip's recorded outputs are compared with the ideal trace when both
// are there (completeRow): the numbers of the whole row (measureRow), to the bit, without 12
// identical float runs in a 12-row sweep, and the float run beside the chips, not before them.
import { isUserError } from '../../compiler/common/errors.js';
import { parseHwSpec, serialiseHwSpec } from '../../compiler/hwspec/index.js';
import { parseNetwork } from '../../compiler/network/load.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { planSteps } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { chipBackend } from '../commands/run.js';
import { compileNetwork } from '../compile/compile.js';
import type { calibrate } from '../../emulator/calibrate.js';
import { StimulusDriver } from '../report/drive.js';
import { timeAndEnergy } from '../report/energy.js';
import { runLockstep, type ProbeSpec } from '../report/lockstep.js';
import { applySpecAxes, configKey, type Config } from './axes.js';
import type { Backend } from '../../emulator/backend.js';
import type { NetworkIR, Signal } from '../../compiler/network/index.js';
import { PairAccumulator, type PairStats } from '../report/stats.js';

/** what every row of a sweep shares (sent once to each worker) */
export interface SweepContext {
  network: { file: string; text: string };
  /** the base hw-spec, serialised */
  spec: string;
  /** run length: ticks, or network time in s (then ticks = duration / dt of the row) */
  steps?: number;
  duration?: number;
  seed: number;
  calibrationTicks?: number;
  backend: 'wasm' | 'reference';
}

export interface SweepRow {
  key: string;
  config: Config;
  /** compiled and ran; otherwise `reason` says why not */
  ok: boolean;
  reason: string | null;
  steps: number | null;
  /** RMS of the chip's output voltages against the ideal explicit model (every output neuron and tick) */
  rms: number | null;
  /** the same relative to the ideal output's range */
  rms_over_range: number | null;
  /** largest |chip - ideal| over output neurons and ticks */
  max_error: number | null;
  energy_pj_per_tick: number | null;
  energy_pj_per_sample: number | null;
  wall_s_per_tick: number | null;
  cores: number | null;
  /** seconds this row took to compute */
  seconds: number;
}

/** output voltages of one run: per tick, the output populations' u concatenated */
export interface OutputTrace {
  populations: { name: string; size: number; offset: number }[];
  width: number;
  values: Float64Array;
}

/** a row whose chip part is done: its numbers but the errors, and the chip's output trace */
export interface ChipPart {
  row: SweepRow;
  /** the ideal trace it is compared with (idealKey) */
  idealKey: string;
  outputs: OutputTrace;
}

/** the ideal run a configuration is compared with: it depends on the network's dt and the length only */
export const idealKey = (dt: number, steps: number): string => `${dt} ${steps}`;

/** this thread's calibration runs: configurations that lower to the same program share one */
const calibrations = new Map<string, ReturnType<typeof calibrate>>();

/** a row's traces are kept (and its ideal run shared) up to this many values; longer rows run both in lock step */
export const TRACE_VALUES = 1 << 24;

/** wraps a backend and records its output voltages, step by step, as runLockstep probes them */
class OutputRecorder implements Backend {
  readonly name: string;
  private k = 0;
  constructor(
    private readonly inner: Backend,
    readonly outputs: OutputTrace,
  ) {
    this.name = inner.name;
  }
  setInput(population: string, values: Float64Array): void {
    this.inner.setInput(population, values);
  }
  setTarget(population: string, values: Float64Array, nudge: Float64Array): void {
    this.inner.setTarget(population, values, nudge);
  }
  setPlastic(on: boolean): void {
    this.inner.setPlastic(on);
  }
  start(): void {
    this.inner.start();
  }
  step(): void {
    this.inner.step();
    this.k++;
  }
  probe(population: string, signal: Signal, out: Float64Array): void {
    this.inner.probe(population, signal, out);
    const p = this.outputs.populations.find((q) => q.name === population);
    if (p && signal === 'u' && this.k > 0) this.outputs.values.set(out, (this.k - 1) * this.outputs.width + p.offset);
  }
  counters(): Record<string, number> {
    return this.inner.counters();
  }
}

function emptyTrace(net: NetworkIR, steps: number): OutputTrace {
  let offset = 0;
  const populations = net.populations.filter((p) => p.kind === 'output').map((p) => ({ name: p.name, size: p.size, offset: (offset += p.size) - p.size }));
  return { populations, width: offset, values: new Float64Array(offset * steps) };
}

/** the network of a configuration (its dt) and the run length */
function networkOf(ctx: SweepContext, config: Config): { net: NetworkIR; steps: number } {
  const net = parseNetwork(ctx.network.text, ctx.network.file, config.dt !== undefined ? { dt: config.dt } : {});
  return { net, steps: planSteps(net, { steps: ctx.steps, duration: ctx.duration }).steps };
}

/** the key of the ideal run a configuration needs, when its traces are small enough to split the row; else null */
export function splitKey(ctx: SweepContext, config: Config): string | null {
  try {
    const { net, steps } = networkOf(ctx, config);
    return emptyTrace(net, 0).width * steps <= TRACE_VALUES ? idealKey(net.dynamics.dt, steps) : null;
  } catch {
    return null; // the row fails on its own, with the reason
  }
}

/** the ideal model is not started (no relaxation at t = 0): it runs from rest, as the chip starts */
const fromRest = (): void => {};

const driverOf = (net: NetworkIR, steps: number) => new StimulusDriver(net, { presentation: net.stimulus.presentation, dataset: mnistSplit, where: net.file }, steps);
const probesOf = (net: NetworkIR): ProbeSpec[] => net.populations.filter((p) => p.kind === 'output').map((p) => ({ population: p.name, signal: 'u', size: p.size }));

/** runs the ideal explicit model from rest alone (a configuration with this dt) and records its output voltages */
export async function measureIdeal(ctx: SweepContext, config: Config): Promise<OutputTrace> {
  const { net, steps } = networkOf(ctx, config);
  const recorder = new OutputRecorder(await createIdealModel(net, { scheme: 'explicit' }), emptyTrace(net, steps));
  const outputs = net.populations.filter((p) => p.kind === 'output').map((p) => p.name);
  runLockstep({ driver: driverOf(net, steps), dt: net.dynamics.dt, steps, every: steps, levels: [{ key: 'explicit', backend: recorder, begin: fromRest }], probes: probesOf(net), pairs: [], variants: [], attributionRef: 'explicit', outputs });
  return recorder.outputs;
}

/**
 * The errors of a chip trace against the ideal one: the same additions in the same order as
 * runLockstep's (tick by tick, output population by population), so the same numbers to the bit.
 */
export function compareTraces(ideal: OutputTrace, chip: OutputTrace): PairStats {
  const acc = new PairAccumulator();
  const ticks = chip.values.length / chip.width;
  if (ideal.width !== chip.width || ideal.values.length !== chip.values.length) throw new Error(`compareTraces: the traces differ in shape (${ideal.width} x ${ideal.values.length / ideal.width} vs ${chip.width} x ${ticks})`);
  for (let k = 0; k < ticks; k++)
    for (const p of chip.populations) {
      const at = k * chip.width + p.offset;
      acc.add(ideal.values.subarray(at, at + p.size), chip.values.subarray(at, at + p.size));
    }
  return acc.result();
}

/** the row of a chip part, given its ideal trace (or the reason the ideal run failed) */
export function completeRow(part: ChipPart, ideal: OutputTrace | { reason: string }): SweepRow {
  if ('reason' in ideal) return { ...part.row, ok: false, reason: ideal.reason, energy_pj_per_tick: null, energy_pj_per_sample: null, wall_s_per_tick: null, cores: null };
  const error = compareTraces(ideal, part.outputs);
  return { ...part.row, rms: error.rms, rms_over_range: error.rmsOverRange, max_error: error.max };
}

/** a failure of a row's run as a row's reason: user errors as they are, anything else as a bug */
export function reasonOf(e: unknown): string {
  const message = ((e as Error)?.message ?? String(e)).replace(/\s*\n\s*/g, '; '); // one line: a table cell
  return isUserError(e) ? message : `internal error (a bug in nla, please report it): ${message}`;
}

/** a row without numbers (failed, or before its run) */
function emptyRow(key: string, config: Config, started: number, steps: number | null, reason: string | null): SweepRow {
  return {
    key,
    config,
    ok: reason === null,
    reason,
    steps,
    rms: null,
    rms_over_range: null,
    max_error: null,
    energy_pj_per_tick: null,
    energy_pj_per_sample: null,
    wall_s_per_tick: null,
    cores: null,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Compiles a configuration and runs the chip, in lock step with the ideal model (`ideal`: the
 * whole row) or alone, recording its output voltages (`ideal` null: a chip part, to be compared
 * with the shared ideal trace by completeRow).
 */
async function measure(ctx: SweepContext, config: Config, alone: boolean): Promise<SweepRow | ChipPart> {
  const started = performance.now();
  const key = configKey(config);
  let steps: number | null = null;
  try {
    const { net, steps: n } = networkOf(ctx, config);
    steps = n;
    // serialised and parsed: the edited spec passes the checks of a spec file
    const base = parseHwSpec(ctx.spec, 'hw-spec.json');
    const name = `${base.name}+${key.replace(/[=,]/g, '-')}`; // hw-spec names take letters, digits and _ . + -
    const spec = parseHwSpec(serialiseHwSpec({ ...applySpecAxes(base, config), name }), `${name}.json`);
    const { image } = compileNetwork(net, spec, { calibrationTicks: ctx.calibrationTicks, calibrations });

    const outputs = net.populations.filter((p) => p.kind === 'output').map((p) => p.name);
    const chip = chipBackend(ctx.backend)(image, { seed: ctx.seed });
    const recorder = alone ? new OutputRecorder(chip, emptyTrace(net, n)) : null;
    const levels = recorder ? [{ key: 'chip', backend: recorder }] : [{ key: 'explicit', backend: await createIdealModel(net, { scheme: 'explicit' }), begin: fromRest }, { key: 'chip', backend: chip }];
    // from rest, both; no series are needed, only the accumulated errors
    const run = runLockstep({ driver: driverOf(net, n), dt: net.dynamics.dt, steps: n, every: n, levels, probes: probesOf(net), pairs: [], variants: [], attributionRef: levels[0]!.key, outputs });
    const estimate = timeAndEnergy(image, spec, { presentation: net.stimulus.presentation, ticks: n, plasticTicks: run.plasticTicks, counters: chip.counters() }).modes[0]!;
    const row: SweepRow = {
      ...emptyRow(key, config, started, n, null),
      energy_pj_per_tick: estimate.energy_pj_per_tick.total,
      energy_pj_per_sample: estimate.energy_pj_per_sample,
      wall_s_per_tick: estimate.wall_s_per_tick,
      cores: image.cores.length,
    };
    if (recorder) return { row, idealKey: idealKey(net.dynamics.dt, n), outputs: recorder.outputs };
    const error = run.outputError.get('chip')!;
    return { ...row, rms: error.rms, rms_over_range: error.rmsOverRange, max_error: error.max };
  } catch (e) {
    return emptyRow(key, config, started, steps, reasonOf(e));
  }
}

/** one configuration, whole: the chip beside its own run of the ideal model */
export async function measureRow(ctx: SweepContext, config: Config): Promise<SweepRow> {
  return (await measure(ctx, config, false)) as SweepRow;
}

/** the chip part of a configuration (or its failed row): completeRow compares it with the ideal trace */
export async function measureChip(ctx: SweepContext, config: Config): Promise<SweepRow | ChipPart> {
  return measure(ctx, config, true);
}

export const isChipPart = (r: SweepRow | ChipPart): r is ChipPart => 'outputs' in r;

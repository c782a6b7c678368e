// One row of a sweep: the network and hw-spec of one configuration compiled, run on the emulated
// chip beside the ideal explicit model from rest (as the report does), and the output error and
// the static time and energy estimate read off. Runs in a worker thread (worker.ts); anything that
// goes wrong becomes the row's reason, so one bad configuration never stops the sweep.
//
// The ideal model's output does not depend on the hw-spec, only on the network and its dt, so a
// worker runs it once per dt and replays the recorded output voltages for the other rows
// (IdealReplay): the same numbers, without 12 identical float runs in a 12-row sweep.
import { isUserError } from '../../compiler/common/errors.js';
import { parseHwSpec, serialiseHwSpec } from '../../compiler/hwspec/index.js';
import { parseNetwork } from '../../compiler/network/load.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { planSteps } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { chipBackend } from '../commands/run.js';
import { compileNetwork } from '../compile/compile.js';
import { StimulusDriver } from '../report/drive.js';
import { timeAndEnergy } from '../report/energy.js';
import { runLockstep, type ProbeSpec } from '../report/lockstep.js';
import { applySpecAxes, configKey, type Config } from './axes.js';
import type { Backend } from '../../emulator/backend.js';
import type { Signal } from '../../compiler/network/index.js';

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

/** the ideal explicit model's output voltages of one run: per tick, the outputs' u concatenated */
interface IdealOutputs {
  populations: { name: string; size: number; offset: number }[];
  width: number;
  values: Float64Array;
}

/** recorded outputs per (dt, steps) of this worker's network; at most this many values are kept */
const idealCache = new Map<string, IdealOutputs>();
const IDEAL_CACHE_VALUES = 1 << 24;

/**
 * Runs in the lock step in place of the ideal model: after the k-th step() its probe of an
 * output's u is what the ideal model gave after its k-th step. Only output voltages are recorded,
 * which is all a sweep row compares.
 */
class IdealReplay implements Backend {
  readonly name = 'ideal (replayed)';
  private k = 0;
  constructor(private readonly outputs: IdealOutputs) {}
  setInput(): void {}
  setTarget(): void {}
  setPlastic(): void {}
  start(): void {
    this.k = 0;
  }
  step(): void {
    this.k++;
  }
  probe(population: string, signal: Signal, out: Float64Array): void {
    const p = this.outputs.populations.find((q) => q.name === population);
    if (!p || signal !== 'u' || this.k === 0) throw new Error(`IdealReplay: ${population}.${signal} after step ${this.k} was not recorded`);
    const at = (this.k - 1) * this.outputs.width + p.offset;
    out.set(this.outputs.values.subarray(at, at + p.size));
  }
  counters(): Record<string, number> {
    return {};
  }
}

/** wraps the ideal model and records its output voltages, step by step, as runLockstep probes them */
class IdealRecorder implements Backend {
  readonly name: string;
  private k = 0;
  constructor(
    private readonly inner: Backend,
    readonly outputs: IdealOutputs,
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

export async function measureRow(ctx: SweepContext, config: Config): Promise<SweepRow> {
  const started = performance.now();
  const key = configKey(config);
  const failed = (reason: string, steps: number | null = null): SweepRow => ({
    key,
    config,
    ok: false,
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
  });
  let steps: number | null = null;
  try {
    const net = parseNetwork(ctx.network.text, ctx.network.file, config.dt !== undefined ? { dt: config.dt } : {});
    // serialised and parsed: the edited spec passes the checks of a spec file
    const base = parseHwSpec(ctx.spec, 'hw-spec.json');
    const name = `${base.name}+${key.replace(/[=,]/g, '-')}`; // hw-spec names take letters, digits and _ . + -
    const spec = parseHwSpec(serialiseHwSpec({ ...applySpecAxes(base, config), name }), `${name}.json`);
    steps = planSteps(net, { steps: ctx.steps, duration: ctx.duration }).steps;
    const { image } = compileNetwork(net, spec, { calibrationTicks: ctx.calibrationTicks });

    const outputs = net.populations.filter((p) => p.kind === 'output');
    const probes: ProbeSpec[] = outputs.map((p) => ({ population: p.name, signal: 'u', size: p.size }));
    const chip = chipBackend(ctx.backend)(image, { seed: ctx.seed });
    const idealKey = `${net.dynamics.dt} ${steps}`;
    let ideal: Backend;
    let begin: () => void = () => {}; // from rest, as the chip starts
    const cached = idealCache.get(idealKey);
    if (cached) {
      ideal = new IdealReplay(cached);
      begin = () => ideal.start();
    } else {
      const model = await createIdealModel(net, { scheme: 'explicit' });
      let offset = 0;
      const populations = outputs.map((p) => ({ name: p.name, size: p.size, offset: (offset += p.size) - p.size }));
      const record = offset * steps <= IDEAL_CACHE_VALUES;
      ideal = record ? new IdealRecorder(model, { populations, width: offset, values: new Float64Array(offset * steps) }) : model;
    }
    const driver = new StimulusDriver(net, { presentation: net.stimulus.presentation, dataset: mnistSplit, where: net.file }, steps);
    const run = runLockstep({
      driver,
      dt: net.dynamics.dt,
      steps,
      every: steps, // no series are needed, only the accumulated errors
      levels: [
        { key: 'explicit', backend: ideal, begin },
        { key: 'chip', backend: chip },
      ],
      probes,
      pairs: [],
      variants: [],
      attributionRef: 'explicit',
      outputs: outputs.map((p) => p.name),
    });
    const error = run.outputError.get('chip')!;
    if (ideal instanceof IdealRecorder) idealCache.set(idealKey, ideal.outputs);
    const estimate = timeAndEnergy(image, spec, { presentation: net.stimulus.presentation, ticks: steps, plasticTicks: run.plasticTicks, counters: chip.counters() }).modes[0]!;
    return {
      key,
      config,
      ok: true,
      reason: null,
      steps,
      rms: error.rms,
      rms_over_range: error.rmsOverRange,
      max_error: error.max,
      energy_pj_per_tick: estimate.energy_pj_per_tick.total,
      energy_pj_per_sample: estimate.energy_pj_per_sample,
      wall_s_per_tick: estimate.wall_s_per_tick,
      cores: image.cores.length,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (e) {
    const message = ((e as Error)?.message ?? String(e)).replace(/\s*\n\s*/g, '; '); // one line: a table cell
    return failed(isUserError(e) ? message : `internal error (a bug in nla, please report it): ${message}`, steps);
  }
}

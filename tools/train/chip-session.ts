// What every `nla train --backend chip` trainer shares (MNIST in chip.ts, pattern completion in
// chip-pattern.ts): compiling the experiment's network for a hw-spec, the chip's counters per
// stretch of training and per test, and checkpoints by replay.
//
// The chip cannot be loaded with weights or state from outside (its public API reads weights
// back, nothing writes them), so a checkpoint stores the weights read back (for inspection) and
// the log of what the chip ran; resuming replays that log on a fresh chip, which is deterministic
// (seeded), so the resumed run is bit for bit the uninterrupted one. For the same reason tests run
// on the training chip itself (plasticity off, so its weights do not change), and training
// continues from the state the test left.
import { UserError } from '../../compiler/common/errors.js';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import type { NetworkIR } from '../../compiler/network/index.js';
import type { Image } from '../../compiler/image/types.js';
import type { Machine } from '../../compiler/ir/machine.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';
import type { WasmChip } from '../../emulator/chip/wasm.js';
import { compileNetwork } from '../compile/compile.js';
import type { SampleResult, Trainer } from './trainers.js';

/** chip counters of a stretch of samples: totals (energy pJ, chip wall time s, ticks) and count */
export interface ChipTotals {
  samples: number;
  energy_pj: number;
  wall_time_s: number;
  ticks: number;
  saturation_state: number;
  saturation_weight: number;
  clip_adc: number;
  clip_dac: number;
  saturation_input: number;
}

const zeroTotals = (): ChipTotals => ({ samples: 0, energy_pj: 0, wall_time_s: 0, ticks: 0, saturation_state: 0, saturation_weight: 0, clip_adc: 0, clip_dac: 0, saturation_input: 0 });

/** per-sample chip figures of the stretch since the last test (training) and of the test itself */
export interface ChipPoint {
  hw: string;
  train_energy_uj_per_sample: number | null;
  train_chip_time_ms_per_sample: number | null;
  test_energy_uj_per_sample: number | null;
  test_chip_time_ms_per_sample: number | null;
  /** range events while training since the last test */
  train_saturations: Omit<ChipTotals, 'samples' | 'energy_pj' | 'wall_time_s' | 'ticks'>;
}

/**
 * The network compiled for hw-spec `hw` (calibration as usual) and a Wasm chip running it (run
 * seed = the experiment's seed). A network the hw-spec cannot hold stops with the compiler's
 * reason, naming the experiment's network (`what`).
 */
export function compileForChip(net: NetworkIR, hw: string, seed: number, what: string, opts: { probes: string[]; growth: Record<string, number> }): { chip: WasmChip; image: Image; machine: Machine } {
  const spec = loadHwSpec(hw);
  let compiled: { image: Image; machine: Machine };
  try {
    compiled = compileNetwork(net, spec, { probes: opts.probes, quantize: { growth: opts.growth } });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new UserError(`--backend chip --hw ${hw}: the ${what} does not compile for this hw-spec: ${why}`);
  }
  return { chip: createNodeWasmChip(compiled.image, { seed }), ...compiled };
}

/**
 * The DAC step of the coarsest crossbar read of an input population's vectors (its rate rbar_in
 * and prospective rate r_in'), in real units: 2^-dx for the smallest exponent quantize gave them;
 * null if no read takes them.
 */
export function inputGrid(machine: Machine, population: string): number | null {
  const { ops, vectors, quant } = machine.program;
  let dx = Infinity;
  ops.forEach((o, k) => {
    if (o.op === 'mvm' && vectors[o.x]!.population === population && quant?.mvm[k]) dx = Math.min(dx, quant.mvm[k]!.dx);
  });
  return Number.isFinite(dx) ? 2 ** -dx : null;
}

/**
 * A Trainer on one chip: subclasses present samples (trainSample, evalSample) and score tests
 * (evalStart, evalResult); this class logs what ran, keeps the counters and replays the log.
 */
export abstract class ChipTrainerBase implements Trainer {
  /** what the chip ran: a training sample's index (>= 0), or -n for a completed test of n samples */
  private log: number[] = [];
  private replaying = false;
  private pendingTrain = 0;
  private testCount = 0;
  private trainTotals = zeroTotals();
  private lastPoint: ChipPoint | null = null;

  protected constructor(
    readonly chip: WasmChip,
    readonly image: Image,
    readonly hw: string,
    readonly stepsPerSample: number,
  ) {
    this.chip.start();
  }

  /** one training sample: nudged, plastic */
  protected abstract trainSample(index: number): SampleResult;
  protected abstract evalStart(): void;
  /** one test sample: plasticity off, so the weights do not change */
  protected abstract evalSample(index: number): SampleResult;
  protected abstract evalResult(): { metric: number; loss: number };

  trainOne(index: number): SampleResult {
    const r = this.trainSample(index);
    if (!this.replaying) this.log.push(index);
    this.pendingTrain++;
    return r;
  }

  evalBegin(): void {
    this.add(this.trainTotals, this.pendingTrain);
    this.pendingTrain = 0;
    this.testCount = 0;
    this.evalStart();
  }

  evalOne(index: number): SampleResult {
    this.testCount++;
    return this.evalSample(index);
  }

  evalEnd(): { metric: number; loss: number } {
    if (!this.replaying) this.log.push(-this.testCount);
    const train = this.trainTotals;
    const ev = zeroTotals();
    this.add(ev, this.testCount);
    const per = (t: ChipTotals, v: number, unit: number) => (t.samples ? (v / t.samples) * unit : null);
    this.lastPoint = {
      hw: this.hw,
      train_energy_uj_per_sample: per(train, train.energy_pj, 1e-6),
      train_chip_time_ms_per_sample: per(train, train.wall_time_s, 1e3),
      test_energy_uj_per_sample: per(ev, ev.energy_pj, 1e-6),
      test_chip_time_ms_per_sample: per(ev, ev.wall_time_s, 1e3),
      train_saturations: {
        saturation_state: train.saturation_state,
        saturation_weight: train.saturation_weight,
        clip_adc: train.clip_adc,
        clip_dac: train.clip_dac,
        saturation_input: train.saturation_input,
      },
    };
    this.trainTotals = zeroTotals();
    return this.evalResult();
  }

  /** adds the chip's counters since the last start() to t (n samples) and restarts them */
  private add(t: ChipTotals, n: number): void {
    const c = this.chip.counters();
    t.samples += n;
    t.energy_pj += c.energy_pj;
    t.wall_time_s += c.wall_time_s;
    t.ticks += c.ticks;
    t.saturation_state += c.saturation_state;
    t.saturation_weight += c.saturation_weight;
    t.clip_adc += c.clip_adc;
    t.clip_dac += c.clip_dac;
    t.saturation_input += c.saturation_input;
    this.chip.start();
  }

  /** the chip figures of the last test and the training since the one before */
  chipPoint(): ChipPoint | null {
    return this.lastPoint;
  }

  setEtaScale(f: number): void {
    if (f !== 1)
      throw new UserError(
        `--backend chip: the learning rate is compiled into the chip image and cannot be scaled during the run (the eta schedule drops it after 22 000 s of simulated time); train on the chip for fewer epochs, or recompile with a smaller --eta`,
      );
  }

  snapshot(): Record<string, Float64Array> {
    const s: Record<string, Float64Array> = { log: Float64Array.from(this.log) };
    for (const m of this.image.matrices) s[`weights.${m.name}`] = this.chip.weights(m.name);
    return s;
  }

  /** replays the logged samples and tests on this (fresh) chip: deterministic, so bit for bit */
  restore(s: Record<string, Float64Array>): void {
    const log = Array.from(s.log ?? []);
    this.replaying = true;
    try {
      for (const op of log) {
        if (op >= 0) this.trainOne(op);
        else {
          this.evalBegin();
          for (let i = 0; i < -op; i++) this.evalOne(i);
          this.evalEnd();
        }
      }
    } finally {
      this.replaying = false;
    }
    this.log = log;
  }
}

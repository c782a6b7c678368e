// Runs every level of the data path (and the chips of the attribution variants) in lock step on one
// stimulus, tick by tick, so nothing but the decimated series for plots and lags is kept: errors,
// correlations and ranges are accumulated as the run goes, so memory stays bounded for any length.
import type { Backend } from '../../emulator/backend.js';
import type { Signal } from '../../compiler/network/index.js';
import type { AccuracyTracker } from './accuracy.js';
import type { StimulusDriver } from './drive.js';
import { PairAccumulator, type PairStats } from './stats.js';

export interface Level {
  key: string;
  backend: Backend;
  /** called once after the first tick's stimulus is placed (default backend.start()) */
  begin?: () => void;
}

export interface ProbeSpec {
  population: string;
  signal: Signal;
  size: number;
}

export const probeKey = (p: { population: string; signal: string }): string => `${p.population}.${p.signal}`;

export interface Pair {
  key: string;
  /** the reference level */
  ref: string;
  /** the level compared with it */
  cmp: string;
}

export interface LockstepPlan {
  driver: StimulusDriver;
  /** network time per tick, s */
  dt: number;
  steps: number;
  /** keep every `every`-th tick of every level and probe for plots and lags */
  every: number;
  levels: Level[];
  probes: ProbeSpec[];
  pairs: Pair[];
  /** further levels compared with a level (`ref`) on the output voltages only */
  variants: (Level & { ref: string })[];
  /** the level the base levels' output errors are measured against */
  attributionRef: string;
  /** output populations whose u the attribution compares (the probes must include their u) */
  outputs: string[];
  accuracy?: { tracker: AccuracyTracker; levels: string[] };
  onProgress?: (done: number, total: number) => void;
}

export interface LockstepResult {
  /** times (s) of the kept samples: after ticks every-1, 2 every-1, ... */
  t: Float64Array;
  /** level -> probe -> per neuron, the kept samples */
  series: Map<string, Map<string, Float64Array[]>>;
  /** pair -> probe -> statistics over every tick */
  pairs: Map<string, Map<string, PairStats>>;
  /** level -> output u against attributionRef, variant -> against its ref; every tick, all output neurons */
  outputError: Map<string, PairStats>;
  /** seconds spent in step() per level and variant */
  stepSeconds: Map<string, number>;
  /** ticks run with plasticity on */
  plasticTicks: number;
}

export function runLockstep(plan: LockstepPlan): LockstepResult {
  const { steps, every, levels, probes, driver, dt } = plan;
  const all = [...levels, ...plan.variants];
  const samples = Math.floor(steps / every);
  const t = new Float64Array(samples);
  const buf = new Map(levels.map((l) => [l.key, probes.map((p) => new Float64Array(p.size))]));
  const series = new Map(levels.map((l) => [l.key, new Map(probes.map((p) => [probeKey(p), Array.from({ length: p.size }, () => new Float64Array(samples))]))]));
  const pairAcc = plan.pairs.map((pr) => ({ pr, acc: probes.map(() => new PairAccumulator()), ref: buf.get(pr.ref)!, cmp: buf.get(pr.cmp)! }));
  const outIdx = plan.outputs.map((o) => probes.findIndex((p) => p.population === o && p.signal === 'u'));
  if (outIdx.some((i) => i < 0)) throw new Error('runLockstep: every output needs a u probe');
  const refOut = buf.get(plan.attributionRef)!;
  const outputAcc = new Map(all.map((l) => [l.key, new PairAccumulator()]));
  const variantBuf = plan.variants.map(() => outIdx.map((i) => new Float64Array(probes[i]!.size)));
  // a variant's reference is a base level or another variant (the chip with every non-ideality off)
  const variantRef = plan.variants.map((v) => {
    if (buf.has(v.ref)) return outIdx.map((i) => buf.get(v.ref)![i]!);
    const n = plan.variants.findIndex((w) => w.key === v.ref);
    if (n < 0) throw new Error(`runLockstep: variant ${v.key} is compared with '${v.ref}', which is not run`);
    return variantBuf[n]!;
  });
  const stepSeconds = new Map(all.map((l) => [l.key, 0]));
  const accuracyOut = plan.accuracy ? probes.findIndex((p) => p.population === plan.accuracy!.tracker.population && p.signal === 'u') : -1;
  const accuracyValues = new Map<string, Float64Array>();
  let plasticTicks = 0;
  const backends = all.map((l) => l.backend);

  for (let k = 0; k < steps; k++) {
    driver.place(k, backends);
    if (k === 0) for (const l of all) (l.begin ?? (() => l.backend.start()))();
    if (driver.plastic(k)) plasticTicks++;
    for (const l of all) {
      const t0 = performance.now();
      l.backend.step();
      stepSeconds.set(l.key, stepSeconds.get(l.key)! + (performance.now() - t0) / 1000);
    }
    const kept = (k + 1) % every === 0 ? (k + 1) / every - 1 : -1;
    if (kept >= 0) t[kept] = (k + 1) * dt;
    for (const l of levels) {
      const bs = buf.get(l.key)!;
      probes.forEach((p, j) => {
        l.backend.probe(p.population, p.signal, bs[j]!);
        if (kept >= 0) {
          const s = series.get(l.key)!.get(probeKey(p))!;
          for (let i = 0; i < p.size; i++) s[i]![kept] = bs[j]![i]!;
        }
      });
    }
    for (const { acc, ref, cmp } of pairAcc) acc.forEach((a, j) => a.add(ref[j]!, cmp[j]!));
    for (const l of levels) outIdx.forEach((i) => outputAcc.get(l.key)!.add(refOut[i]!, buf.get(l.key)![i]!));
    plan.variants.forEach((v, n) => outIdx.forEach((i, o) => v.backend.probe(probes[i]!.population, 'u', variantBuf[n]![o]!)));
    plan.variants.forEach((v, n) => outIdx.forEach((_, o) => outputAcc.get(v.key)!.add(variantRef[n]![o]!, variantBuf[n]![o]!)));
    if (plan.accuracy && accuracyOut >= 0) {
      for (const l of plan.accuracy.levels) accuracyValues.set(l, buf.get(l)![accuracyOut]!);
      plan.accuracy.tracker.add(k, accuracyValues);
    }
    if ((k & 255) === 255) plan.onProgress?.(k + 1, steps);
  }
  plan.onProgress?.(steps, steps);
  return {
    t,
    series,
    pairs: new Map(pairAcc.map(({ pr, acc }) => [pr.key, new Map(probes.map((p, j) => [probeKey(p), acc[j]!.result()]))])),
    outputError: new Map([...outputAcc].map(([k, a]) => [k, a.result()])),
    stepSeconds,
    plasticTicks,
  };
}

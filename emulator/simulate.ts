// Drives any Backend through a network's stimulus and protocol (phases), recording probes.
import type { NetworkIR, Probe } from '../compiler/network/index.js';
import { UserError } from '../compiler/common/errors.js';
import type { Backend } from './backend.js';
import { createSignal, type SignalContext, type SignalSource } from './stimulus/signals.js';
import type { Trace } from './trace.js';

export interface RunOptions {
  /** total simulated time in s (default: the sum of the phase durations; the last phase extends) */
  duration?: number;
  /** number of steps (overrides duration) */
  steps?: number;
  /** probes to record (default net.probes) */
  record?: Probe[];
  /** weights to record: projection names (full matrices, row-major) */
  recordWeights?: string[];
  /** record every k-th step (default 1) */
  every?: number;
  onProgress?: (done: number, total: number) => void;
  /** called after every step with the number of steps done (for measurements that need every step) */
  onStep?: (done: number) => void;
  meta?: Record<string, unknown>;
}

export interface PhaseAt {
  index: number;
  start: number; // s
}

/** total steps of a run and the phase active at each step */
export function planSteps(net: NetworkIR, opts: RunOptions): { steps: number; phaseStart: number[] } {
  const dt = net.dynamics.dt;
  const total = opts.steps ?? Math.round((opts.duration ?? net.phases.reduce((s, p) => s + p.duration, 0)) / dt);
  if (!Number.isFinite(total) || total < 1) throw new UserError(`the run must have at least one step of dt = ${dt} s`);
  const phaseStart: number[] = [];
  let acc = 0;
  for (const p of net.phases) {
    phaseStart.push(Math.round(acc / dt));
    acc += p.duration;
  }
  return { steps: total, phaseStart };
}

export function runBackend(backend: Backend, net: NetworkIR, ctx: SignalContext, opts: RunOptions = {}): Trace {
  const dt = net.dynamics.dt;
  const { steps, phaseStart } = planSteps(net, opts);
  const every = Math.max(1, Math.floor(opts.every ?? 1));
  const pops = new Map(net.populations.map((p) => [p.name, p]));
  // `shown`: the dataset sample in buf, which a dataset source need not fill again while it lasts
  const inputs: { name: string; src: SignalSource; buf: Float64Array; shown?: number }[] = [];
  for (const [name, spec] of Object.entries(net.stimulus.inputs)) {
    const size = pops.get(name)!.size;
    inputs.push({ name, src: createSignal(spec, size, 'input', { ...ctx, where: `${net.file}: stimulus.inputs.${name}` }), buf: new Float64Array(size) });
  }
  const fill = (x: { src: SignalSource | null; buf: Float64Array; shown?: number }, t: number) => {
    if (!x.src) return;
    const sample = x.src.sample?.(t);
    if (sample !== undefined && sample === x.shown) return;
    x.src.fill(t, x.buf);
    x.shown = sample;
  };
  const targets: { name: string; src: SignalSource | null; buf: Float64Array; mask: Float64Array[]; shown?: number }[] = [];
  for (const p of net.populations) {
    if (p.kind !== 'output') continue;
    const spec = net.stimulus.targets[p.name];
    const src = spec ? createSignal(spec, p.size, 'target', { ...ctx, where: `${net.file}: stimulus.targets.${p.name}` }) : null;
    const mask = net.phases.map((ph) => {
      const m = new Float64Array(p.size);
      for (const sel of ph.nudge) if (sel.population === p.name) m.fill(1, sel.start, sel.end);
      return m;
    });
    targets.push({ name: p.name, src, buf: new Float64Array(p.size), mask });
  }
  const record = opts.record ?? net.probes;
  const probeBufs = record.map((p) => ({ key: `${p.population}.${p.signal}`, probe: p, buf: new Float64Array(pops.get(p.population)!.size) }));
  const trace: Trace = { dt, t: [], probes: {}, meta: { ...opts.meta } };
  for (const p of probeBufs) trace.probes[p.key] = [];
  const weightsOf = opts.recordWeights ?? [];
  for (const w of weightsOf) trace.probes[`${w}.W`] = [];

  let phase = 0;
  const place = (n: number) => {
    const t = n * dt;
    while (phase + 1 < phaseStart.length && n >= phaseStart[phase + 1]) phase++;
    for (const x of inputs) {
      fill(x, t);
      backend.setInput(x.name, x.buf);
    }
    for (const y of targets) {
      fill(y, t);
      backend.setTarget(y.name, y.buf, y.mask[phase]);
    }
    backend.setPlastic(net.phases[phase].plastic);
  };
  const sample = (n: number) => {
    trace.t.push(n * dt);
    for (const p of probeBufs) {
      backend.probe(p.probe.population, p.probe.signal, p.buf);
      trace.probes[p.key].push(Array.from(p.buf));
    }
    for (const w of weightsOf) trace.probes[`${w}.W`].push(Array.from(weightsOfBackend(backend, w)));
  };

  place(0);
  backend.start();
  for (let n = 0; n < steps; n++) {
    if (n > 0) place(n);
    if (n % every === 0) sample(n);
    backend.step();
    opts.onStep?.(n + 1);
    if (opts.onProgress && (n & 1023) === 1023) opts.onProgress(n + 1, steps);
  }
  place(steps);
  sample(steps);
  opts.onProgress?.(steps, steps);
  trace.meta.steps = steps;
  return trace;
}

function weightsOfBackend(backend: Backend, projection: string): Float64Array {
  const b = backend as Backend & { weights?: (p: string) => Float64Array };
  if (!b.weights) throw new UserError(`backend '${backend.name}' cannot record weights`);
  return b.weights(projection);
}

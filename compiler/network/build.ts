// From a structurally valid network file (plain data that passed network.schema.json) to the
// Network IR: every default filled in, durations in seconds, frequencies in Hz. Building never
// fails on references (an unknown population just yields a placeholder); the semantic checks
// report those. It does report durations that parse to 0, which the schema cannot see.
import type { Problem } from '../common/errors.js';
import type {
  Activation,
  Init,
  NetworkIR,
  NeuronModel,
  NudgeSelection,
  Phase,
  PopulationKind,
  Probe,
  Projection,
  Role,
  Scheme,
  Signal,
  SignalSpec,
} from './ir.js';
import { problem, type Segment } from '../common/messages.js';
import { tryParseDuration, tryParseFrequency } from './schema.js';

// ---------------------------------------------------------------- the file as written

export type RawDuration = number | string;
export interface RawInit {
  dist: Init['dist'];
  std?: number;
  mean?: number;
  clip?: number;
  low?: number;
  high?: number;
  value?: number;
  values?: number[][];
}
export interface RawNeuron {
  tau?: RawDuration;
  activation?: Activation;
  clip_max?: number;
  std_a?: number;
  std_d?: number;
  bias?: boolean;
  bias_init?: RawInit;
}
export interface RawPopulation {
  name: string;
  kind: PopulationKind;
  size: number;
  neuron?: RawNeuron;
}
export interface RawProjection {
  from: string;
  to: string;
  name?: string;
  role?: Role;
  init?: RawInit;
  mask?: 'none' | 'no_self';
  plastic?: boolean;
  eta?: number;
}
export interface RawSignal {
  kind: SignalSpec['kind'];
  value?: number | number[];
  freq?: number | string;
  amplitude?: number;
  offset?: number;
  phase_spread?: number;
  period?: RawDuration;
  low?: number;
  high?: number;
  seed?: number;
  latents?: number;
  fmin?: number | string;
  fmax?: number | string;
  split?: 'train' | 'test';
  count?: number;
  on?: number;
  off?: number;
}
export interface RawNetwork {
  name: string;
  seed?: number;
  neuron?: RawNeuron;
  populations: RawPopulation[];
  projections?: RawProjection[];
  dynamics: {
    scheme?: Scheme;
    dt: RawDuration;
    tau_in?: RawDuration;
    beta?: number;
    beta_i?: number;
    solver?: 'auto' | 'dense' | 'layered';
    gle?: { tau_r?: RawDuration; gamma?: number };
    relax?: number;
    implicit_relaxation?: number;
    implicit_sweep?: 'jacobi' | 'forward';
    implicit_iterations?: number;
  };
  stimulus?: {
    presentation?: RawDuration;
    inputs?: Record<string, RawSignal>;
    targets?: Record<string, RawSignal>;
  };
  phases?: { name: string; duration: RawDuration; nudge?: string[]; plastic?: boolean }[];
  probes?: string[];
}

// ---------------------------------------------------------------- defaults

export const DEFAULTS = {
  seed: 1,
  tau: 0.01,
  activation: 'hard_sigmoid' as Activation,
  clipMax: 1,
  stdA: 1,
  stdD: 1,
  bias: false,
  role: 'forward' as Role,
  eta: 1e-3,
  scheme: 'explicit' as Scheme,
  tauIn: 0.01,
  beta: 0.1,
  betaI: 0.1 / 1.1,
  solver: 'auto' as const,
  gamma: 1,
  relax: 20,
  implicitRelaxation: 1,
  implicitSweep: 'jacobi' as const,
  implicitIterations: 1,
  presentation: 0.1,
  phaseName: 'run',
  phaseDuration: 0.1,
} as const;

/** Roles whose weights learn unless `plastic: false` is given. */
export const PLASTIC_BY_DEFAULT: readonly Role[] = ['forward', 'wip', 'wpi'];

/** "out" or "out[0:2]" -> population and optional range. */
export function parseNudge(s: string): { population: string; range?: [number, number] } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9]+):([0-9]+)\])?$/.exec(s.trim());
  if (!m) return { population: s };
  return m[2] === undefined ? { population: m[1]! } : { population: m[1]!, range: [Number(m[2]), Number(m[3])] };
}

// ---------------------------------------------------------------- building

export function buildNetwork(raw: RawNetwork, file: string, sourceHash: string): { ir: NetworkIR; problems: Problem[] } {
  const problems: Problem[] = [];
  // The schema guarantees the form of durations and frequencies, and > 0 for plain numbers;
  // strings such as "0ms" are caught here.
  const positive = (kind: string, example: string, parse: (v: unknown) => number | undefined) =>
    (value: RawDuration | undefined, path: Segment[], fallback: number): number => {
      if (value === undefined) return fallback;
      const x = parse(value) ?? NaN;
      if (x > 0) return x;
      problems.push(problem(path, `a ${kind} must be greater than 0, got ${JSON.stringify(value)}`, `write a positive ${kind} such as ${example}`));
      return NaN; // later comparisons skip it; the IR is not returned when there are problems
    };
  const duration = positive('duration', '"10ms"', tryParseDuration);
  const frequency = positive('frequency', '"5Hz"', tryParseFrequency);
  const seed = raw.seed ?? DEFAULTS.seed;

  const top = raw.neuron ?? {};
  // The top-level tau is parsed once, so a bad one is reported once however many populations use it.
  const defaultTau = duration(top.tau, ['neuron', 'tau'], DEFAULTS.tau);
  const neuronOf = (own: RawNeuron | undefined, path: Segment[]): NeuronModel => {
    const n = { ...top, ...own };
    return {
      tau: own?.tau !== undefined ? duration(own.tau, [...path, 'tau'], DEFAULTS.tau) : defaultTau,
      activation: n.activation ?? DEFAULTS.activation,
      clipMax: n.clip_max ?? DEFAULTS.clipMax,
      stdA: n.std_a ?? DEFAULTS.stdA,
      stdD: n.std_d ?? DEFAULTS.stdD,
      bias: n.bias ?? DEFAULTS.bias,
      biasInit: n.bias_init ? buildInit(n.bias_init) : { dist: 'zeros' },
    };
  };
  const populations = raw.populations.map((p, i) => ({
    name: p.name,
    kind: p.kind,
    size: p.size,
    neuron: neuronOf(p.neuron, ['populations', i, 'neuron']),
  }));
  const sizeOf = (name: string): number | undefined => populations.find((p) => p.name === name)?.size;

  const projections: Projection[] = (raw.projections ?? []).map((p) => {
    const role = p.role ?? DEFAULTS.role;
    const fanIn = sizeOf(p.from) ?? 1;
    return {
      name: p.name ?? `${p.from}->${p.to}`,
      from: p.from,
      to: p.to,
      role,
      init: p.init ? buildInit(p.init) : { dist: 'normal', mean: 0, std: 1 / Math.sqrt(fanIn), clip: null },
      noSelf: p.mask === 'no_self',
      plastic: p.plastic ?? PLASTIC_BY_DEFAULT.includes(role),
      eta: p.eta ?? DEFAULTS.eta,
    };
  });

  const d = raw.dynamics;
  const dynamics = {
    scheme: d.scheme ?? DEFAULTS.scheme,
    dt: duration(d.dt, ['dynamics', 'dt'], NaN),
    tauIn: duration(d.tau_in, ['dynamics', 'tau_in'], DEFAULTS.tauIn),
    beta: d.beta ?? DEFAULTS.beta,
    betaI: d.beta_i ?? DEFAULTS.betaI,
    solver: d.solver ?? DEFAULTS.solver,
    gle: { tauR: duration(d.gle?.tau_r, ['dynamics', 'gle', 'tau_r'], defaultTau), gamma: d.gle?.gamma ?? DEFAULTS.gamma },
    relax: d.relax ?? DEFAULTS.relax,
    implicitRelaxation: d.implicit_relaxation ?? DEFAULTS.implicitRelaxation,
    implicitSweep: d.implicit_sweep ?? DEFAULTS.implicitSweep,
    implicitIterations: d.implicit_iterations ?? DEFAULTS.implicitIterations,
  };

  const s = raw.stimulus ?? {};
  const presentation = duration(s.presentation, ['stimulus', 'presentation'], DEFAULTS.presentation);
  const signals = (section: 'inputs' | 'targets'): Record<string, SignalSpec> => {
    const out: Record<string, SignalSpec> = {};
    for (const [key, spec] of Object.entries(s[section] ?? {})) {
      out[key] = buildSignal(spec, ['stimulus', section, key], { presentation, seed, duration, frequency });
    }
    return out;
  };
  const stimulus = { inputs: signals('inputs'), targets: signals('targets'), presentation };

  const fullRange = (population: string): NudgeSelection => ({ population, start: 0, end: sizeOf(population) ?? 0 });
  const phases: Phase[] = raw.phases
    ? raw.phases.map((ph, i) => ({
        name: ph.name,
        duration: duration(ph.duration, ['phases', i, 'duration'], NaN),
        nudge: (ph.nudge ?? []).map((sel) => {
          const { population, range } = parseNudge(sel);
          return range ? { population, start: range[0], end: range[1] } : fullRange(population);
        }),
        plastic: ph.plastic ?? true,
      }))
    : [
        {
          name: DEFAULTS.phaseName,
          duration: DEFAULTS.phaseDuration,
          nudge: populations.filter((p) => p.kind === 'output' && stimulus.targets[p.name] !== undefined).map((p) => fullRange(p.name)),
          plastic: true,
        },
      ];

  const probes: Probe[] = raw.probes
    ? raw.probes.map((text) => {
        const dot = text.lastIndexOf('.');
        return { population: text.slice(0, dot).trim(), signal: text.slice(dot + 1).trim() as Signal };
      })
    : populations.filter((p) => p.kind !== 'input').map((p) => ({ population: p.name, signal: 'u' as const }));

  const ir: NetworkIR = {
    name: raw.name,
    file,
    sourceHash,
    seed,
    populations,
    projections,
    dynamics,
    stimulus,
    phases,
    probes,
    microcircuit: populations.some((p) => p.kind === 'interneuron'),
    feedforward: true, // set by the caller from the cycle check
  };
  return { ir, problems };
}

export function buildInit(r: RawInit): Init {
  switch (r.dist) {
    case 'normal':
      return { dist: 'normal', mean: r.mean ?? 0, std: r.std!, clip: r.clip ?? null };
    case 'uniform':
      return { dist: 'uniform', low: r.low!, high: r.high! };
    case 'zeros':
      return { dist: 'zeros' };
    case 'constant':
      return { dist: 'constant', value: r.value! };
    case 'values':
      return { dist: 'values', values: r.values!.map((row) => [...row]) };
  }
}

interface SignalContext {
  presentation: number;
  seed: number;
  duration: (value: RawDuration | undefined, path: Segment[], fallback: number) => number;
  frequency: (value: number | string | undefined, path: Segment[], fallback: number) => number;
}

function buildSignal(r: RawSignal, path: Segment[], ctx: SignalContext): SignalSpec {
  switch (r.kind) {
    case 'constant':
      return { kind: 'constant', value: Array.isArray(r.value) ? [...r.value] : r.value! };
    case 'sine':
      return { kind: 'sine', freq: ctx.frequency(r.freq, [...path, 'freq'], NaN), amplitude: r.amplitude!, offset: r.offset ?? 0, phaseSpread: r.phase_spread ?? 0 };
    case 'random_steps':
      return {
        kind: 'random_steps',
        period: ctx.duration(r.period, [...path, 'period'], ctx.presentation),
        low: r.low ?? 0,
        high: r.high ?? 1,
        seed: r.seed ?? ctx.seed,
      };
    case 'square':
      return { kind: 'square', period: ctx.duration(r.period, [...path, 'period'], NaN), low: r.low ?? 0, high: r.high ?? 1 };
    case 'multichannel':
      return {
        kind: 'multichannel',
        latents: r.latents ?? 4,
        fmin: ctx.frequency(r.fmin, [...path, 'fmin'], 1),
        fmax: ctx.frequency(r.fmax, [...path, 'fmax'], 10),
        low: r.low ?? 0,
        high: r.high ?? 1,
        seed: r.seed ?? ctx.seed,
      };
    case 'mnist':
      return { kind: 'mnist', split: r.split ?? 'train', offset: r.offset ?? 0, count: r.count ?? 100, on: r.on ?? 1, off: r.off ?? 0 };
  }
}

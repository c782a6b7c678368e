// The Network IR: what a validated network file means, in SI units (seconds), with every
// default filled in. The ideal model, the compiler passes and the report all read this; none of
// them reads the raw YAML/JSON.

export const ACTIVATIONS = [
  'hard_sigmoid', // clip(u, 0, 1)
  'logistic', // 1 / (1 + exp(-u))
  'relu', // max(u, 0)
  'clipped_relu', // clip(u, 0, clip_max)
  'linear', // u
  'tanh',
  'softplus', // log(1 + exp(u))
  'std', // rho_std of spec section 5 (matched to a depressing synapse with parameters a, d)
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const POPULATION_KINDS = ['input', 'hidden', 'interneuron', 'output'] as const;
export type PopulationKind = (typeof POPULATION_KINDS)[number];

export const ROLES = [
  'forward', // W: bottom-up (or recurrent) weights, W[i][j] from presynaptic j to postsynaptic i
  'topdown', // B: fixed random feedback (feedback alignment, or the microcircuit's apical input)
  'wip', // pyramids -> interneurons of the same layer (microcircuit)
  'wpi', // interneurons -> pyramids' apical dendrites (microcircuit)
  'bip', // next layer's pyramids -> interneurons (microcircuit nudging of interneurons)
] as const;
export type Role = (typeof ROLES)[number];

export const SCHEMES = [
  'explicit', // NLA, Hessian solve each step (Algorithm 1, explicit form)
  'implicit', // NLA, one fixed-point iteration per step (what the analog chip runs)
  'no_lookahead', // ablation: classical leaky integrator, tau du/dt = -u + W rbar + ebar
  'backprop', // ablation: tau du/dt = -u + W r, weights by backprop of the instantaneous net
  'le', // Latent Equilibrium
  'gle', // Generalized Latent Equilibrium
] as const;
export type Scheme = (typeof SCHEMES)[number];

export const SIGNALS = ['u', 'udot', 'r', 'rbar', 'ebar', 'em', 'target', 'uI', 'f'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface NeuronModel {
  tau: number; // membrane time constant, s
  activation: Activation;
  clipMax: number; // upper clip of clipped_relu
  stdA: number; // STD vesicle-pool parameter a (activation 'std')
  stdD: number; // STD parameter d (activation 'std')
  bias: boolean; // a presynaptic neuron of constant rate 1 with plastic weights
  biasInit: Init;
}

export interface Population {
  name: string;
  kind: PopulationKind;
  size: number;
  neuron: NeuronModel;
}

export type Init =
  | { dist: 'normal'; mean: number; std: number; clip: number | null }
  | { dist: 'uniform'; low: number; high: number }
  | { dist: 'zeros' }
  | { dist: 'constant'; value: number }
  | { dist: 'values'; values: number[][] }; // rows = postsynaptic (to.size), cols = presynaptic

export interface Projection {
  name: string; // given, or "<from>-><to>"
  from: string;
  to: string;
  role: Role;
  init: Init;
  noSelf: boolean; // mask: no synapse from neuron i to neuron i (only meaningful when from == to)
  plastic: boolean;
  eta: number; // learning rate
}

export interface GleParams {
  tauR: number; // s, prospective (rate) time constant; tau_m is the neuron's tau
  gamma: number;
}

export interface Dynamics {
  scheme: Scheme;
  dt: number; // s
  tauIn: number; // s, input low-pass
  beta: number; // output nudging strength
  betaI: number; // interneuron nudging (microcircuit)
  solver: 'auto' | 'dense' | 'layered';
  gle: GleParams;
  /** Newton relaxation steps of f at t = 0 (explicit/implicit), so the net starts on f = 0. */
  relax: number;
  /** w of the implicit scheme: du/dt <- (1 - w) du/dt + w * new (1 = plain iteration) */
  implicitRelaxation: number;
  /**
   * order of the implicit scheme's update: 'jacobi' = every population from the previous step's
   * udot (spec section 3); 'forward' = populations in forward order, the prospective drive
   * W rp of each from the udot its presynaptic populations got in this step (feedforward nets)
   */
  implicitSweep: 'jacobi' | 'forward';
  /** fixed-point iterations of the implicit scheme per step (1: the spec's form) */
  implicitIterations: number;
}

export type SignalSpec =
  | { kind: 'constant'; value: number | number[] }
  | { kind: 'sine'; freq: number; amplitude: number; offset: number; phaseSpread: number }
  | { kind: 'random_steps'; period: number; low: number; high: number; seed: number }
  | { kind: 'square'; period: number; low: number; high: number }
  | { kind: 'multichannel'; latents: number; fmin: number; fmax: number; low: number; high: number; seed: number }
  | { kind: 'mnist'; split: 'train' | 'test'; offset: number; count: number; on: number; off: number };

export interface Stimulus {
  /** one entry per input population (by name) */
  inputs: Record<string, SignalSpec>;
  /** target voltages u* per output population (by name) */
  targets: Record<string, SignalSpec>;
  /** s, how long each sample / level is held when a signal or dataset presents samples */
  presentation: number;
}

export interface NudgeSelection {
  population: string;
  start: number; // first neuron index (inclusive)
  end: number; // last neuron index (exclusive)
}

export interface Phase {
  name: string;
  duration: number; // s
  nudge: NudgeSelection[]; // which output neurons receive beta (u* - u)
  plastic: boolean; // learning on or off in this phase
}

export interface Probe {
  population: string;
  signal: Signal;
}

export interface NetworkIR {
  name: string;
  file: string; // where it came from (for messages)
  sourceHash: string; // sha256 of the file text
  seed: number;
  populations: Population[];
  projections: Projection[];
  dynamics: Dynamics;
  stimulus: Stimulus;
  phases: Phase[];
  probes: Probe[];
  /** true when the net has interneuron populations (spec section 4) */
  microcircuit: boolean;
  /** true when forward projections among network populations form no cycle */
  feedforward: boolean;
}

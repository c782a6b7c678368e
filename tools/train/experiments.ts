// The experiments of `nla train`: one row per experiment (name -> network builder, data, settings).
// A new experiment is one more row. Settings follow spec/nla-dynamics.md section 8 (the paper's
// Fig. 3 and Fig. 4 setups); docs/train.md explains every choice.
import { parseNetwork, type NetworkIR, type Scheme } from '../../compiler/network/index.js';

/** What every experiment can be asked to change on the command line. */
export interface TrainSettings {
  /** training samples per epoch (MNIST digits, or pattern windows) */
  train: number;
  /** test samples per evaluation */
  test: number;
  epochs: number;
  /** s per sample */
  presentation: number;
  /** s per Euler step */
  dt: number;
  seed: number;
  /** hidden neurons */
  hidden: number;
  /** interneurons of the hidden layer (microcircuit experiments; 0 elsewhere) */
  interneurons: number;
  /** learning rate in 1/s (the code's unit: dW/dt = eta ..., t in seconds) */
  eta: number;
  /**
   * how a digit enters: 'instant' = it is the input rate rbar_in (no input lag, as in the
   * authors' code); 'lowpass' = it is the raw input r_in, seen through the tau_in low-pass
   */
  input: 'instant' | 'lowpass';
}

/** 'microcircuit': the NLA trainer on a microcircuit net (also reports the alignment angle) */
export type TrainerKind = 'nla' | 'microcircuit' | 'backprop' | 'pattern';

export interface Experiment {
  name: string;
  description: string;
  kind: TrainerKind;
  /** integration scheme of the ideal model (nla and pattern kinds) */
  scheme: Scheme;
  /** the figure the test metric is: classification accuracy or correlation with the truth */
  metric: 'accuracy' | 'correlation';
  defaults: TrainSettings;
  /** training data available (the command refuses --train beyond it) */
  maxTrain: number;
  maxTest: number;
  /** simulated time after which eta drops by `etaDecay` (the paper: 1e-3 -> 1e-4 after 22 000 s) */
  etaDecayAfter: number;
  etaDecay: number;
  /** the step for a presentation time when --dt is not given */
  dtFor(presentation: number): number;
  /** the network the ideal model runs (the backprop baseline takes its shapes and initial weights from it) */
  network(s: TrainSettings): NetworkIR;
}

/**
 * The paper's dt for a presentation time (spec section 8): 5 ms -> 0.05 ms, 10 ms -> 0.1 ms,
 * 50 ms -> 0.5 ms, anything else 1 ms. Each keeps 100 steps per sample up to 100 ms.
 */
export function paperDt(presentation: number): number {
  const ms = Math.round(presentation * 1e6) / 1e3;
  if (ms === 5) return 0.05e-3;
  if (ms === 10) return 0.1e-3;
  if (ms === 50) return 0.5e-3;
  return Math.min(1e-3, presentation);
}

/**
 * The paper's eta = 1e-3 is per millisecond (its code integrates in ms: W += dt[ms] * eta * dW),
 * so in this code's seconds it is 1 per second: at 100 ms per digit and beta = 0.1 a digit moves
 * the weights by about eta * T * beta = 0.01 times the error, an ordinary SGD step.
 */
export const PAPER_ETA = 1e-3 / 1e-3;

/** The MNIST nets' stimulus and protocol: the training digits with their one-hot targets on 'out', nudged and plastic. */
function mnistProtocol(s: TrainSettings) {
  return {
    stimulus: {
      presentation: s.presentation,
      inputs: { in: { kind: 'mnist', split: 'train', offset: 0, count: s.train } },
      targets: { out: { kind: 'mnist', split: 'train', offset: 0, count: s.train, on: 1, off: 0 } },
    },
    phases: [{ name: 'train', duration: s.presentation * Math.max(1, s.train), nudge: ['out'], plastic: true }],
  };
}

/** 784-H-10 NLA net of Fig. 4 (hard sigmoid, biases, N(0, 0.01^2) clipped at 0.03). */
function mnistNetwork(scheme: Scheme) {
  return (s: TrainSettings): NetworkIR => {
    const init = { dist: 'normal', std: 0.01, clip: 0.03 };
    const raw = {
      name: 'mnist-train',
      seed: s.seed,
      neuron: { tau: 0.01, activation: 'hard_sigmoid', bias: true, bias_init: init },
      populations: [
        { name: 'in', kind: 'input', size: 784 },
        { name: 'hidden', kind: 'hidden', size: s.hidden },
        { name: 'out', kind: 'output', size: 10 },
      ],
      projections: [
        { name: 'W1', from: 'in', to: 'hidden', init, eta: s.eta },
        { name: 'W2', from: 'hidden', to: 'out', init, eta: s.eta },
      ],
      // relax: Newton steps when the net is (re)settled at a sample switch; 4 reach the
      // equilibrium of the hard-sigmoid net as well as 20 at a seventh of the cost
      dynamics: { scheme, dt: s.dt, tau_in: 0.01, beta: 0.1, solver: 'layered', relax: 4 },
      ...mnistProtocol(s),
      probes: [],
    };
    return parseNetwork(JSON.stringify(raw), `experiment '${scheme === 'no_lookahead' ? 'mnist-no-lookahead' : 'mnist'}' (tools/train/experiments.ts).json`);
  };
}

const mnistDefaults: TrainSettings = {
  train: 8000,
  test: 2000,
  epochs: 1,
  presentation: 0.1,
  dt: 1e-3,
  seed: 1,
  hidden: 500,
  interneurons: 0,
  eta: PAPER_ETA,
  input: 'instant',
};

/**
 * The microcircuit's dt (spec section 4, Fig. 5): 0.25 ms (400 steps at 100 ms per digit), or the
 * presentation itself when that is shorter.
 */
export function microcircuitDt(presentation: number): number {
  return Math.min(0.25e-3, presentation);
}

/**
 * Fig. 5 (spec section 4): 784-H-10 pyramids (H = 300) with I = 40 linear interneurons in the
 * hidden layer, hard sigmoid, tau = tau_in = 10 ms, beta 0.1, betaI 0.1/1.1; W, WIP, WPI ~
 * N(0, 0.01^2) clipped at 0.03, the fixed B and BIP ~ 5 N(0, 0.01^2) clipped at 0.15; W, WIP and
 * WPI all learn with eta from scratch. No bias neurons: the spec's Fig. 5 setup has none (and an
 * output bias would be a part of u_{l+1} that the interneurons, without a bias of their own,
 * could not predict from rho(u_l)).
 */
function microcircuitNetwork(s: TrainSettings): NetworkIR {
  const init = { dist: 'normal', std: 0.01, clip: 0.03 };
  const fixed = { dist: 'normal', std: 0.05, clip: 0.15 };
  const raw = {
    name: 'mnist-microcircuit-train',
    seed: s.seed,
    neuron: { tau: 0.01, activation: 'hard_sigmoid' },
    populations: [
      { name: 'in', kind: 'input', size: 784 },
      { name: 'hidden', kind: 'hidden', size: s.hidden },
      { name: 'inter', kind: 'interneuron', size: s.interneurons, neuron: { activation: 'linear' } },
      { name: 'out', kind: 'output', size: 10 },
    ],
    projections: [
      { name: 'W1', from: 'in', to: 'hidden', init, eta: s.eta },
      { name: 'W2', from: 'hidden', to: 'out', init, eta: s.eta },
      { name: 'B', from: 'out', to: 'hidden', role: 'topdown', init: fixed },
      { name: 'WIP', from: 'hidden', to: 'inter', role: 'wip', init, eta: s.eta },
      { name: 'WPI', from: 'inter', to: 'hidden', role: 'wpi', init, eta: s.eta },
      { name: 'BIP', from: 'out', to: 'inter', role: 'bip', init: fixed },
    ],
    // solver auto: the microcircuit block elimination (emulator/ideal/solvers.ts MicrocircuitSolver)
    dynamics: { scheme: 'explicit', dt: s.dt, tau_in: 0.01, beta: 0.1, beta_i: 0.1 / 1.1, solver: 'auto', relax: 4 },
    ...mnistProtocol(s),
    probes: [],
  };
  return parseNetwork(JSON.stringify(raw), `experiment 'mnist-microcircuit' (tools/train/experiments.ts).json`);
}

/** Fig. 3: 96 fully recurrent neurons (56 visible + 40 hidden), logistic, no self-loops. */
function patternNetwork(s: TrainSettings): NetworkIR {
  const init = { dist: 'normal', std: 0.1, clip: 0.3 };
  const raw = {
    name: 'pattern-train',
    seed: s.seed,
    neuron: { tau: 0.01, activation: 'logistic' },
    populations: [
      { name: 'visible', kind: 'output', size: PATTERN_VISIBLE },
      { name: 'hidden', kind: 'hidden', size: s.hidden },
    ],
    projections: [
      { from: 'visible', to: 'visible', mask: 'no_self', init, eta: s.eta },
      { from: 'hidden', to: 'visible', init, eta: s.eta },
      { from: 'visible', to: 'hidden', init, eta: s.eta },
      { from: 'hidden', to: 'hidden', mask: 'no_self', init, eta: s.eta },
    ],
    dynamics: { scheme: 'explicit', dt: s.dt, tau_in: 0.01, beta: 0.1, solver: 'dense' },
    stimulus: {
      presentation: s.presentation,
      targets: { visible: { kind: 'multichannel', ...PATTERN_SIGNAL } },
    },
    phases: [{ name: 'train', duration: s.presentation, nudge: ['visible'], plastic: true }],
    probes: [],
  };
  return parseNetwork(JSON.stringify(raw), `experiment 'pattern' (tools/train/experiments.ts).json`);
}

export const PATTERN_VISIBLE = 56;
export const PATTERN_FREE = 14;
/** the generated multichannel signal of the pattern experiment (6 shared latents, 0.5-4 Hz) */
export const PATTERN_SIGNAL = { latents: 6, fmin: 0.5, fmax: 4, low: -1, high: 1, seed: 11 };

export const EXPERIMENTS: Experiment[] = [
  {
    name: 'mnist',
    description: 'MNIST, Fig. 4: 784-500-10 NLA (explicit scheme, rt-DeEP plasticity) on the ideal model',
    kind: 'nla',
    scheme: 'explicit',
    metric: 'accuracy',
    defaults: mnistDefaults,
    maxTrain: 8000,
    maxTest: 2000,
    etaDecayAfter: 22000,
    etaDecay: 0.1,
    dtFor: paperDt,
    network: mnistNetwork('explicit'),
  },
  {
    name: 'mnist-backprop',
    description: 'baseline: the same 784-500-10 net, init and data, plain SGD backprop on the squared output error',
    kind: 'backprop',
    scheme: 'explicit',
    metric: 'accuracy',
    defaults: mnistDefaults,
    maxTrain: 8000,
    maxTest: 2000,
    etaDecayAfter: 22000,
    etaDecay: 0.1,
    dtFor: paperDt,
    network: mnistNetwork('explicit'),
  },
  {
    name: 'mnist-no-lookahead',
    description: 'ablation: the MNIST net without lookahead (tau du/dt = -u + W rbar + ebar); fails at short presentation times',
    kind: 'nla',
    scheme: 'no_lookahead',
    metric: 'accuracy',
    defaults: mnistDefaults,
    maxTrain: 8000,
    maxTest: 2000,
    etaDecayAfter: 22000,
    etaDecay: 0.1,
    dtFor: paperDt,
    network: mnistNetwork('no_lookahead'),
  },
  {
    name: 'pattern',
    description: 'recurrent pattern completion, Fig. 3: 96 neurons (56 visible + 40 hidden) learn generated multichannel signals; 14 free visible neurons must reproduce held-out ones',
    kind: 'pattern',
    scheme: 'explicit',
    metric: 'correlation',
    // a sample is a 100 ms window of the signal: 600 windows = 60 s of training signal per epoch,
    // 100 windows = 10 s of held-out signal per test
    defaults: { train: 600, test: 100, epochs: 1, presentation: 0.1, dt: 1e-3, seed: 1, hidden: 40, interneurons: 0, eta: PAPER_ETA, input: 'instant' },
    maxTrain: 1_000_000,
    maxTest: 100_000,
    etaDecayAfter: Infinity,
    etaDecay: 1,
    dtFor: (presentation) => Math.min(1e-3, presentation), // the paper's 1 ms
    network: patternNetwork,
  },
  {
    name: 'mnist-microcircuit',
    description: 'MNIST with the dendritic microcircuit, Fig. 5: 784-300-10 pyramids, 40 interneurons, W, WIP and WPI learned together from scratch (rt-DeEL); reports the angle between WPI WIP and B W2',
    kind: 'microcircuit',
    scheme: 'explicit',
    metric: 'accuracy',
    defaults: { ...mnistDefaults, hidden: 300, interneurons: 40, dt: microcircuitDt(0.1) },
    maxTrain: 8000,
    maxTest: 2000,
    etaDecayAfter: 22000,
    etaDecay: 0.1,
    dtFor: microcircuitDt,
    network: microcircuitNetwork,
  },
];

export function findExperiment(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}

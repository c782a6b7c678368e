// Small networks shared by tests.
import { parseNetwork, type NetworkIR } from '../../compiler/network/index.js';

/** 12-10-6 pyramids, 6 interneurons, logistic, strong enough weights for nontrivial dynamics */
export const SMALL_MICROCIRCUIT = `name: small-microcircuit
seed: 5
neuron: {tau: 10ms, activation: logistic}
populations:
  - {name: in, kind: input, size: 12}
  - {name: hidden, kind: hidden, size: 10}
  - {name: inter, kind: interneuron, size: 6, neuron: {activation: linear}}
  - {name: out, kind: output, size: 6}
projections:
  - {name: W1, from: in, to: hidden, init: {dist: normal, std: 0.5}, eta: 0.5}
  - {name: W2, from: hidden, to: out, init: {dist: normal, std: 0.5}, eta: 0.5}
  - {name: B, from: out, to: hidden, role: topdown, init: {dist: normal, std: 0.5}}
  - {name: WIP, from: hidden, to: inter, role: wip, init: {dist: normal, std: 0.3}, eta: 0.5}
  - {name: WPI, from: inter, to: hidden, role: wpi, init: {dist: normal, std: 0.3}, eta: 0.5}
  - {name: BIP, from: out, to: inter, role: bip, init: {dist: normal, std: 0.5}}
dynamics: {scheme: implicit, dt: 0.1ms, tau_in: 5ms, beta: 0.3, beta_i: 0.1}
stimulus:
  presentation: 20ms
  inputs: {in: {kind: random_steps}}
  targets: {out: {kind: sine, freq: 10Hz, amplitude: 0.3, offset: 0.5, phase_spread: 1}}
phases: [{name: train, duration: 400ms, nudge: [out], plastic: true}]
`;

export function smallMicrocircuit(): NetworkIR {
  return parseNetwork(SMALL_MICROCIRCUIT, 'small-microcircuit.yaml');
}

/** the same with STD-matched output neurons: top-down rows can read their voltages from rates */
export function smallMicrocircuitStd(): NetworkIR {
  const text = SMALL_MICROCIRCUIT.replace('{name: out, kind: output, size: 6}', '{name: out, kind: output, size: 6, neuron: {activation: std, std_a: 1, std_d: 2}}');
  if (text === SMALL_MICROCIRCUIT) throw new Error('smallMicrocircuitStd: the output line changed');
  return parseNetwork(text, 'small-microcircuit-std.yaml');
}

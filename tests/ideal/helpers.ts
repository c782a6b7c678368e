// Small helpers for the ideal-model tests: inline network files and driving a model by hand.
import { parseNetwork, type NetworkIR } from '../../compiler/network/index.js';
import { createIdealModel, type IdealModel, type IdealOptions } from '../../emulator/ideal/index.js';
import { runBackend, type RunOptions } from '../../emulator/simulate.js';
import type { Trace } from '../../emulator/trace.js';

export function net(yaml: string, file = 'inline.yaml'): NetworkIR {
  return parseNetwork(yaml, file);
}

export async function model(n: NetworkIR, opts: IdealOptions & { kernels?: 'wasm' | 'js' } = {}): Promise<IdealModel> {
  return createIdealModel(n, { kernels: 'js', ...opts });
}

export function run(m: IdealModel, opts: RunOptions = {}): Trace {
  return runBackend(m, m.net, { presentation: m.net.stimulus.presentation, where: m.net.file }, opts);
}

/** Layered feedforward chain of `depth` weight layers as a network file. */
export function chainYaml(o: {
  depth: number;
  width?: number;
  activation?: string;
  outActivation?: string;
  beta?: number;
  dt?: string;
  scheme?: string;
  solver?: string;
  target?: string;
  plastic?: boolean;
  inputs?: string;
  std?: number;
  duration?: string;
}): string {
  const w = o.width ?? 6;
  const pops = ['  - {name: in, kind: input, size: 3}'];
  const projs: string[] = [];
  let prev = 'in';
  for (let l = 1; l < o.depth; l++) {
    pops.push(`  - {name: h${l}, kind: hidden, size: ${w}}`);
    projs.push(`  - {from: ${prev}, to: h${l}, init: {dist: normal, std: ${prev === 'in' ? 1 : (o.std ?? 0.6)}}, plastic: ${o.plastic ?? false}}`);
    prev = `h${l}`;
  }
  pops.push(`  - {name: out, kind: output, size: 2, neuron: {activation: ${o.outActivation ?? 'linear'}}}`);
  projs.push(`  - {from: ${prev}, to: out, init: {dist: normal, std: ${o.std ?? 0.6}}, plastic: ${o.plastic ?? false}}`);
  return `name: chain${o.depth}
seed: 3
neuron: {tau: 10ms, activation: ${o.activation ?? 'tanh'}}
populations:
${pops.join('\n')}
projections:
${projs.join('\n')}
dynamics: {scheme: ${o.scheme ?? 'explicit'}, dt: ${o.dt ?? '0.05ms'}, tau_in: 10ms, beta: ${o.beta ?? 0}, solver: ${o.solver ?? 'auto'}}
stimulus:
  presentation: 5ms
  inputs:
    in: ${o.inputs ?? '{kind: random_steps, low: -1, high: 1}'}
  targets:
    out: ${o.target ?? '{kind: sine, freq: 20Hz, amplitude: 0.5, phase_spread: 1}'}
phases:
  - {name: run, duration: ${o.duration ?? '50ms'}, nudge: [out], plastic: ${o.plastic ?? false}}
`;
}

/** F_W(rbar_in) at the output population of a feedforward ideal model. */
export function forwardPass(m: IdealModel): Float64Array {
  const all = m.forward(new Float64Array(m.st.n));
  const out = m.st.bySpace.net.find((p) => p.pop.kind === 'output')!;
  return all.slice(out.offset, out.offset + out.size);
}

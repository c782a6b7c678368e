// The microcircuit's block elimination (MicrocircuitSolver) solves the same explicit system as the
// dense LU of J: one solve agrees to rounding, and whole runs with plasticity and nudging stay
// together (explicit scheme), on the small test net, on deeper nets (a second microcircuit layer,
// a plain hidden layer below one) and on the paper's 784-300-10 net with 40 interneurons.
import { describe, expect, it } from 'vitest';
import { parseNetwork, type NetworkIR } from '../../compiler/network/index.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import type { IdealModel } from '../../emulator/ideal/model.js';
import { drive } from '../../emulator/ideal/schemes.js';
import { stimulusDriver } from '../helpers/drive.js';
import { SMALL_MICROCIRCUIT } from '../helpers/nets.js';

const explicitText = SMALL_MICROCIRCUIT.replace('scheme: implicit', 'scheme: explicit');

/** in -> h1 -> h2 -> out; interneurons on the layers listed (each nudged from the layer above) */
function deepYaml(activation: string, withInter: ('h1' | 'h2')[]): string {
  const up = { h1: 'h2', h2: 'out' } as const;
  const inter = withInter.map((l) => `  - {name: i_${l}, kind: interneuron, size: 7, neuron: {activation: linear}}`).join('\n');
  const mc = withInter
    .map((l) =>
      [
        `  - {from: ${up[l]}, to: ${l}, role: topdown, init: {dist: normal, std: 0.5}}`,
        `  - {from: ${l}, to: i_${l}, role: wip, init: {dist: normal, std: 0.3}, eta: 0.5}`,
        `  - {from: i_${l}, to: ${l}, role: wpi, init: {dist: normal, std: 0.3}, eta: 0.5}`,
        `  - {from: ${up[l]}, to: i_${l}, role: bip, init: {dist: normal, std: 0.5}}`,
      ].join('\n'),
    )
    .join('\n');
  return `name: deep-microcircuit
seed: 9
neuron: {tau: 10ms, activation: ${activation}, bias: true, bias_init: {dist: normal, std: 0.2}}
populations:
  - {name: in, kind: input, size: 9}
  - {name: h1, kind: hidden, size: 8}
  - {name: h2, kind: hidden, size: 7}
${inter}
  - {name: out, kind: output, size: 5}
projections:
  - {from: in, to: h1, init: {dist: normal, std: 0.6}, eta: 0.5}
  - {from: h1, to: h2, init: {dist: normal, std: 0.6}, eta: 0.5}
  - {from: h2, to: out, init: {dist: normal, std: 0.6}, eta: 0.5}
${mc}
dynamics: {scheme: explicit, dt: 0.1ms, tau_in: 5ms, beta: 0.3, beta_i: 0.1}
stimulus:
  presentation: 20ms
  inputs: {in: {kind: random_steps, low: -0.5, high: 1.5}}
  targets: {out: {kind: sine, freq: 10Hz, amplitude: 0.3, offset: 0.5, phase_spread: 1}}
phases: [{name: train, duration: 400ms, nudge: [out], plastic: true}]
`;
}

function relMax(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / Math.max(s, 1e-300);
}

/** one solve of the same right-hand side by both solvers at the block model's current state */
function solveBoth(m: IdealModel, dense: IdealModel): number {
  dense.restore(m.snapshot());
  drive(m.st);
  drive(dense.st);
  const n = m.st.n;
  const rhs = Float64Array.from({ length: n }, (_, i) => Math.sin(1 + 3.7 * i));
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  m.solver.prepare();
  m.solver.solve(rhs, a);
  dense.solver.prepare();
  dense.solver.solve(rhs, b);
  return relMax(a, b, n);
}

async function compareRuns(net: NetworkIR, steps: number): Promise<{ solve: number; run: number }> {
  const block = await createIdealModel(net, { kernels: 'js', solver: 'microcircuit' });
  const dense = await createIdealModel(net, { kernels: 'js', solver: 'dense' });
  expect(block.solver.kind).toBe('microcircuit');
  expect(dense.solver.kind).toBe('dense');
  const place = stimulusDriver(net, [block, dense]);
  place(0);
  block.start();
  dense.start();
  let run = 0;
  for (let k = 1; k < steps; k++) {
    place(k);
    block.step();
    dense.step();
    run = Math.max(run, relMax(block.st.u, dense.st.u, block.st.n));
  }
  expect(block.counters().dense_fallbacks).toBe(0);
  const probe = await createIdealModel(net, { kernels: 'js', solver: 'dense' });
  const out = { solve: solveBoth(block, probe), run };
  console.log(`${net.name}: one solve ${out.solve.toExponential(2)}, run ${out.run.toExponential(2)}, max abs u ${Math.max(...Array.from(block.st.u.subarray(0, block.st.n), Math.abs)).toFixed(3)}`);
  return out;
}

describe('microcircuit block solver = dense LU', () => {
  it('auto picks it for explicit microcircuits, not for the implicit scheme', async () => {
    const net = parseNetwork(explicitText, 'small-explicit.yaml');
    expect((await createIdealModel(net, { kernels: 'js' })).solver.kind).toBe('microcircuit');
    expect((await createIdealModel(net, { kernels: 'js', scheme: 'implicit' })).solver.kind).toBe('dense');
  });

  it('small microcircuit (logistic: rho\'\' and the apical diagonal term), 3000 steps with plasticity', async () => {
    const r = await compareRuns(parseNetwork(explicitText, 'small-explicit.yaml'), 3000);
    expect(r.solve).toBeLessThan(1e-12);
    expect(r.run).toBeLessThan(1e-9);
  });

  it.each([
    ['logistic', ['h1', 'h2']],
    ['hard_sigmoid', ['h1', 'h2']],
    ['logistic', ['h2']],
    ['logistic', ['h1']],
  ] as const)('deeper net, %s, interneurons on %j', async (activation, layers) => {
    const r = await compareRuns(parseNetwork(deepYaml(activation, [...layers]), 'deep.yaml'), 2000);
    expect(r.solve).toBeLessThan(1e-12);
    expect(r.run).toBeLessThan(1e-9);
  });

  it("the paper's 784-300-10 net with 40 interneurons: one solve equals the dense LU's", async () => {
    const text = (await import('node:fs')).readFileSync(new URL('../../examples/microcircuit.yaml', import.meta.url), 'utf8');
    const net = parseNetwork(text, 'microcircuit.yaml');
    const block = await createIdealModel(net, { kernels: 'js' });
    const dense = await createIdealModel(net, { kernels: 'js', solver: 'dense' });
    expect(block.solver.kind).toBe('microcircuit');
    const place = stimulusDriver(net, [block]);
    place(0);
    block.start();
    for (let k = 1; k < 40; k++) {
      place(k);
      block.step();
    }
    expect(solveBoth(block, dense)).toBeLessThan(1e-12);
  });
});

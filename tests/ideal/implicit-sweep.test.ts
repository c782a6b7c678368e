// dynamics.implicit_sweep: the plain (Jacobi) implicit iteration diverges once the Hessian has an
// eigenvalue near 2 (two layers: the largest singular value s of W2 rho' above about 0.67), which
// MNIST training reaches (s about 0.7 after one epoch); the forward sweep contracts by
// s sqrt(beta) per step and tracks the explicit scheme. A net with s = 1.7 shows both.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNetwork, type NetworkIR } from '../../compiler/network/index.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { stimulusDriver } from '../helpers/drive.js';
import { examplePath } from '../../tools/bench/paths.js';

const W2 = JSON.stringify(Array.from({ length: 2 }, () => Array.from({ length: 6 }, () => 0.5)));
const NET = (sweep: string, iterations = 1) => `name: sweep
seed: 3
neuron: {tau: 10ms, activation: linear}
populations:
  - {name: in, kind: input, size: 3}
  - {name: h, kind: hidden, size: 6}
  - {name: out, kind: output, size: 2}
projections:
  - {from: in, to: h, init: {dist: normal, std: 0.5}}
  - {from: h, to: out, init: {dist: values, values: ${W2}}}
dynamics: {scheme: implicit, dt: 0.5ms, beta: 0.1, implicit_sweep: ${sweep}, implicit_iterations: ${iterations}}
stimulus:
  presentation: 20ms
  inputs: {in: {kind: random_steps, low: 0, high: 1}}
  targets: {out: {kind: constant, value: [0.5, 1]}}
phases: [{name: run, duration: 200ms, nudge: [out]}]
`;

/** max |u_scheme - u_explicit| and max |u_scheme| over 400 steps of the net's own stimulus */
async function run(net: NetworkIR): Promise<{ dev: number; peak: number }> {
  const a = await createIdealModel(net, { scheme: 'implicit', kernels: 'js' });
  const b = await createIdealModel(net, { scheme: 'explicit', kernels: 'js' });
  const place = stimulusDriver(net, [a, b]);
  place(0);
  a.start();
  b.start();
  let dev = 0;
  let peak = 0;
  for (let k = 0; k < 400; k++) {
    if (k > 0) place(k);
    a.step();
    b.step();
    for (let i = 0; i < a.st.n; i++) {
      dev = Math.max(dev, Math.abs(a.st.u[i]! - b.st.u[i]!));
      peak = Math.max(peak, Math.abs(a.st.u[i]!));
    }
  }
  return { dev, peak };
}

describe('implicit_sweep', () => {
  it("'jacobi' diverges where the Hessian's largest eigenvalue passes 2; 'forward' tracks the explicit scheme", async () => {
    const jacobi = await run(parseNetwork(NET('jacobi'), 'jacobi.yaml'));
    const forward = await run(parseNetwork(NET('forward'), 'forward.yaml'));
    console.log(`implicit_sweep: jacobi peak ${jacobi.peak}, forward peak ${forward.peak} dev ${forward.dev}`);
    expect(!(jacobi.peak < 1e3)).toBe(true); // grows without bound (or to NaN)
    expect(forward.peak).toBeLessThan(10);
    expect(forward.dev).toBeLessThan(0.03); // 0.014: the implicit lag, at 5% of the range
  });
  it('implicit_iterations: a second iteration per step brings the forward sweep closer to the explicit scheme', async () => {
    const one = await run(parseNetwork(NET('forward'), 'one.yaml'));
    const two = await run(parseNetwork(NET('forward', 2), 'two.yaml'));
    console.log(`implicit_iterations: deviation from the explicit scheme ${one.dev} (1), ${two.dev} (2)`);
    expect(two.dev).toBeLessThan(one.dev / 2);
  });
  it("'forward' needs a feedforward network without interneurons", () => {
    const recurrent = NET('forward').replace('  - {from: h, to: out,', '  - {from: out, to: h, init: {dist: normal, std: 0.1}}\n  - {from: h, to: out,');
    expect(() => parseNetwork(recurrent, 'recurrent.yaml')).toThrow(/implicit_sweep 'forward' needs a feedforward network/);
  });
  it('implicit_iterations above 1 is refused for networks with interneurons, naming the field', () => {
    const micro = readFileSync(examplePath('microcircuit.yaml'), 'utf8').replace('dynamics: {scheme: explicit,', 'dynamics: {implicit_iterations: 2, scheme: explicit,');
    expect(() => parseNetwork(micro, 'micro.yaml')).toThrow(/dynamics\.implicit_iterations.*interneuron populations/s);
    expect(() => parseNetwork(NET('forward', 0), 'zero.yaml')).toThrow(/implicit_iterations/);
  });
});

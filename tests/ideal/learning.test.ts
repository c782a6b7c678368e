// Plasticity: each learning scheme reduces the free (beta = 0) output error on a small task.
import { describe, expect, it } from 'vitest';
import { errorStats } from '../../emulator/metrics.js';
import { model, net, run } from './helpers.js';

// Map two input levels to two target levels (alternating every 100 ms); needs weights and biases.
const task = (scheme: string, plastic: boolean) => `
name: two-levels
seed: 4
neuron: {tau: 10ms, activation: hard_sigmoid, bias: true}
populations:
  - {name: in, kind: input, size: 3}
  - {name: h, kind: hidden, size: 8}
  - {name: out, kind: output, size: 2, neuron: {activation: linear}}
projections:
  - {from: in, to: h, init: {dist: normal, std: 0.5}, eta: 10}
  - {from: h, to: out, init: {dist: normal, std: 0.5}, eta: 10}
dynamics: {scheme: ${scheme}, dt: 0.5ms, tau_in: 10ms, beta: 0.2}
stimulus:
  presentation: 100ms
  inputs: {in: {kind: square, period: 100ms, low: 0.2, high: 0.9}}
  targets: {out: {kind: square, period: 100ms, low: 0.8, high: 0.1}}
phases:
  - {name: train, duration: 6s, nudge: [out], plastic: ${plastic}}
  - {name: test, duration: 400ms, nudge: [], plastic: false}
probes: [out.u, out.target]
`;

async function testError(scheme: string, plastic: boolean): Promise<number> {
  const n = net(task(scheme, plastic));
  const trace = run(await model(n));
  // test phase, second half of each 100 ms presentation (the net sees rbar_in, which needs a few
  // tau_in to follow a switch of the raw input)
  const keep = trace.t.map((t, k) => (t >= 6.0 && ((t + 1e-9) % 0.1) >= 0.05 ? k : -1)).filter((k) => k >= 0);
  const u = keep.flatMap((k) => trace.probes['out.u'][k]);
  const target = keep.flatMap((k) => trace.probes['out.target'][k]);
  return errorStats(u, target).rms;
}

describe('learning reduces the free output error', () => {
  for (const scheme of ['explicit', 'implicit', 'backprop', 'le']) {
    // measured (rms before -> after): explicit 0.77 -> 0.19, implicit 0.77 -> 0.27, backprop and le similar to explicit
    it(`${scheme}: rms error after training < 0.4 x before`, async () => {
      const before = await testError(scheme, false);
      const after = await testError(scheme, true);
      expect(before).toBeGreaterThan(0.1);
      expect(after).toBeLessThan(0.4 * before);
    });
  }
});

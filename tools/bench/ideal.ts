// Ideal-model figures: steps per second on the paper's 784-500-10 MNIST net with plasticity
// (batch 1, f64, one core), and the instantaneity figures of examples/chain.yaml.
import { loadNetwork } from '../../compiler/network/index.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { lagSamples } from '../../emulator/metrics.js';
import { runBackend } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { examplePath } from './paths.js';

export async function benchIdealMnist(kernels: 'wasm' | 'js', steps = 3000): Promise<string> {
  const net = loadNetwork(examplePath('mnist.yaml'));
  mnistSplit('train'); // load the digits before timing
  const model = await createIdealModel(net, { kernels });
  const ctx = { presentation: net.stimulus.presentation, dataset: mnistSplit, where: 'mnist.yaml' };
  runBackend(model, net, ctx, { steps: 300, record: [] }); // warm-up: V8 tiers up Wasm later
  const t0 = performance.now();
  runBackend(model, net, ctx, { steps, record: [] });
  const s = (performance.now() - t0) / 1000;
  return `ideal model, 784-500-10 MNIST, explicit layered solve, plasticity on, batch 1, f64, ${kernels} kernels: ${(steps / s).toFixed(0)} steps/s (${steps} steps in ${s.toFixed(2)} s)`;
}

/** Explicit NLA vs the without-lookahead ablation on the chain example. */
export async function benchChain(): Promise<string[]> {
  const net = loadNetwork(examplePath('chain.yaml'));
  const depth = net.projections.length;
  const tau = net.populations[1].neuron.tau;
  const lines: string[] = [];
  for (const scheme of ['explicit', 'no_lookahead'] as const) {
    const model = await createIdealModel(net, { scheme });
    const out = model.st.bySpace.net.find((p) => p.pop.kind === 'output')!;
    const F = new Float64Array(model.st.n);
    const u: number[] = [];
    const f: number[] = [];
    let worst = 0;
    const warm = Math.round((5 * tau) / net.dynamics.dt);
    const total = warm + Math.round((40 * tau) / net.dynamics.dt);
    const ctx = { presentation: net.stimulus.presentation, where: 'chain.yaml' };
    const probe = new Float64Array(out.size);
    const every = Math.max(1, Math.round(1e-4 / net.dynamics.dt)); // lag resolution 0.1 ms
    const onStep = (k: number) => {
      if (k < warm) return;
      model.forward(F);
      model.probe(out.pop.name, 'u', probe);
      for (let i = 0; i < out.size; i++) worst = Math.max(worst, Math.abs(probe[i] - F[out.offset + i]));
      if (k % every !== 0) return;
      u.push(probe[0]);
      f.push(F[out.offset]);
    };
    runBackend(model, net, ctx, { steps: total, record: [], onStep });
    const maxShift = Math.round((2 * depth * tau) / (every * net.dynamics.dt));
    const { lag } = lagSamples(u, f, maxShift);
    const lagMs = lag * every * net.dynamics.dt * 1e3;
    lines.push(
      `chain (depth ${depth}, tau ${tau * 1e3} ms, input switching every ${net.stimulus.presentation * 1e3} ms), ${scheme}: ` +
        `max|u_out - F_W(rbar_in)| after 5 tau = ${worst.toExponential(2)}, lag behind F_W = ${lagMs.toFixed(1)} ms (${(lagMs / (tau * 1e3)).toFixed(2)} tau)`,
    );
  }
  return lines;
}


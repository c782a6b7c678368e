// Ideal-model figures: steps per second on the paper's 784-500-10 MNIST net with plasticity
// (batch 1, f64, one core), and the instantaneity figures of examples/chain.yaml.
import { loadNetwork, type NetworkIR, type Scheme } from '../../compiler/network/index.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
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

/**
 * Explicit NLA vs the without-lookahead ablation on the chain example: (1) max|u_out - F_W(rbar_in)|
 * over 40 tau of its own stimulus (inputs switching every 0.5 tau) after 5 tau of warm-up;
 * (2) the delay of each layer behind F_W after one input step: the time its voltage needs to
 * cross half-way between the old and new values of F_W, minus the time F_W needs, averaged over
 * the layer's neurons that move by more than 0.02.
 */
export async function benchChain(): Promise<string[]> {
  const net = loadNetwork(examplePath('chain.yaml'));
  const dt = net.dynamics.dt;
  const tau = net.populations[1].neuron.tau;
  const lines: string[] = [`chain example: depth ${net.projections.length}, tau ${tau * 1e3} ms, dt ${dt * 1e3} ms`];
  for (const scheme of ['explicit', 'no_lookahead'] as const) {
    const model = await createIdealModel(net, { scheme });
    const F = new Float64Array(model.st.n);
    const out = model.st.bySpace.net.find((p) => p.pop.kind === 'output')!;
    const warm = Math.round((5 * tau) / dt);
    let worst = 0;
    const onStep = (k: number) => {
      if (k < warm) return;
      model.forward(F);
      for (let i = out.offset; i < out.offset + out.size; i++) worst = Math.max(worst, Math.abs(model.st.u[i] - F[i]));
    };
    runBackend(model, net, { presentation: net.stimulus.presentation, where: 'chain.yaml' }, { steps: warm + Math.round((40 * tau) / dt), record: [], onStep });
    const delays = await stepDelays(net, scheme, tau);
    lines.push(
      `  ${scheme}: max|u_out - F_W(rbar_in)| = ${worst.toExponential(2)}; delay behind F_W after an input step, per layer: ` +
        delays.map((d) => `${d.name} ${(d.delay * 1e3).toFixed(1)} ms`).join(', '),
    );
  }
  return lines;
}

async function stepDelays(base: NetworkIR, scheme: Scheme, tau: number): Promise<{ name: string; delay: number }[]> {
  const hold = 40 * tau; // one input step at t = hold, then hold again
  const spec = base.stimulus.inputs.in;
  const net: NetworkIR = { ...base, stimulus: { ...base.stimulus, inputs: { in: spec.kind === 'random_steps' ? { ...spec, period: hold } : spec } } };
  const model = await createIdealModel(net, { scheme });
  const st = model.st;
  const dt = net.dynamics.dt;
  const every = Math.max(1, Math.round(1e-4 / dt));
  const u: Float64Array[] = [];
  const f: Float64Array[] = [];
  const F = new Float64Array(st.n);
  const onStep = (k: number) => {
    if (k % every) return;
    model.forward(F);
    u.push(st.u.slice(0, st.n));
    f.push(F.slice());
  };
  runBackend(model, net, { presentation: hold, where: 'chain.yaml' }, { steps: Math.round((2 * hold) / dt), record: [], onStep });
  const s0 = Math.round(hold / (every * dt)) - 1;
  const end = u.length - 1;
  const crossing = (series: Float64Array[], i: number, a: number, b: number) => {
    for (let k = s0; k <= end; k++) if ((series[k][i] - (a + b) / 2) * Math.sign(b - a) >= 0) return (k - s0) * every * dt;
    return NaN;
  };
  return st.topo.map((p) => {
    const d: number[] = [];
    for (let i = p.offset; i < p.offset + p.size; i++) {
      const [a, b] = [f[s0][i], f[end][i]];
      if (Math.abs(b - a) > 0.02) d.push(crossing(u, i, a, b) - crossing(f, i, a, b));
    }
    const ok = d.filter(Number.isFinite);
    return { name: p.pop.name, delay: ok.length === d.length && ok.length ? ok.reduce((x, y) => x + y, 0) / ok.length : NaN };
  });
}

// The lowering check of the compiler issue: the lowered program run in f64 without quantization
// matches the ideal model's implicit scheme at the same dt to 1e-9 over 1000 steps.
import { describe, expect, it } from 'vitest';
import { loadNetwork, parseNetwork, type NetworkIR } from '../../compiler/network/index.js';
import { ProgramInterpreter } from '../../compiler/ir/interpret.js';
import { validateProgram } from '../../compiler/ir/program.js';
import { compileProgram } from '../../compiler/passes/pipeline.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { examplePath } from '../../tools/bench/paths.js';
import { stimulusDriver } from '../helpers/drive.js';
import { smallMicrocircuit, smallMicrocircuitStd } from '../helpers/nets.js';


/** max |u_ideal - u_lowered| over `steps` steps of the network's own stimulus, phases included */
async function maxDeviation(net: NetworkIR, steps: number, idealScheme: 'implicit' | 'explicit' | 'le' = 'implicit', lowered_: 'implicit' | 'le' = 'implicit'): Promise<number> {
  const ideal = await createIdealModel(net, { scheme: idealScheme, kernels: 'js' });
  const program = compileProgram(net, { scheme: lowered_ });
  const lowered = new ProgramInterpreter(program);
  const place = stimulusDriver(net, [ideal, lowered]);
  place(0);
  ideal.start();
  // start the program from the ideal model's settled state
  const st = ideal.st;
  for (const s of st.bySpace.net) {
    lowered.setVector(`${s.pop.name}.u`, st.u.subarray(s.offset, s.offset + s.size));
    if (lowered_ === 'le') lowered.setVector(`${s.pop.name}.drivePrev`, st.u.subarray(s.offset, s.offset + s.size)); // settled: u = drive
    else if (s.pop.kind === 'output') lowered.setVector(`${s.pop.name}.targetPrev`, st.uStarPrev.subarray(s.offset, s.offset + s.size));
  }
  for (const s of st.bySpace.input) lowered.setVector(`${s.pop.name}.rbar`, st.rbarIn.subarray(s.offset, s.offset + s.size));
  let worst = 0;
  const a = new Float64Array(st.n);
  for (let k = 0; k < steps; k++) {
    if (k > 0) place(k);
    ideal.step();
    lowered.step();
    for (const s of st.bySpace.net) {
      const out = a.subarray(0, s.size);
      lowered.probe(s.pop.name, 'u', out);
      for (let i = 0; i < s.size; i++) worst = Math.max(worst, Math.abs(out[i] - st.u[s.offset + i]));
    }
  }
  return worst;
}

describe('lower: the f64 program equals the ideal implicit scheme', () => {
  it('chain example (tanh, 6 layers), and the comparison can tell implicit from explicit', async () => {
    const net = loadNetwork(examplePath('chain.yaml'));
    expect(await maxDeviation(net, 1000)).toBeLessThan(1e-9);
    const coarse = { ...net, dynamics: { ...net.dynamics, dt: 2e-4 } };
    expect(await maxDeviation(coarse, 1000)).toBeLessThan(1e-9);
    expect(await maxDeviation(coarse, 1000, 'explicit')).toBeGreaterThan(1e-6);
  });
  it('recurrent example (logistic, no self-loops, plasticity, partial nudging)', async () => {
    const net = loadNetwork(examplePath('recurrent.yaml'));
    expect(await maxDeviation(net, 1000)).toBeLessThan(1e-9);
  });
  it('MNIST example shape (bias neurons, hard sigmoid, plasticity, nudging on)', async () => {
    const net = loadNetwork(examplePath('mnist.yaml'));
    expect(await maxDeviation(net, 1000)).toBeLessThan(1e-9);
  }, 60000);
  it("implicit_sweep 'forward': the lowered tick equals the ideal forward sweep (MNIST shape, chain with relaxation), and it is not the Jacobi order", async () => {
    const mnist = loadNetwork(examplePath('mnist.yaml'));
    const forward = { ...mnist, dynamics: { ...mnist.dynamics, implicitSweep: 'forward' as const } };
    expect(await maxDeviation(forward, 1000)).toBeLessThan(1e-9);
    const chain = loadNetwork(examplePath('chain.yaml'));
    expect(await maxDeviation({ ...chain, dynamics: { ...chain.dynamics, implicitSweep: 'forward' as const } }, 1000)).toBeLessThan(1e-9);
    // implicit_iterations: the iteration repeated within the step, with and without the sweep
    expect(await maxDeviation({ ...forward, dynamics: { ...forward.dynamics, implicitIterations: 2 } }, 300)).toBeLessThan(1e-9);
    expect(await maxDeviation({ ...chain, dynamics: { ...chain.dynamics, implicitIterations: 3 } }, 1000)).toBeLessThan(1e-9);
    // the forward program against the ideal Jacobi order: a real difference
    const ideal = await createIdealModel(mnist, { scheme: 'implicit', kernels: 'js' });
    const lowered = new ProgramInterpreter(compileProgram(forward, { scheme: 'implicit' }));
    const place = stimulusDriver(mnist, [ideal, lowered]);
    place(0);
    ideal.st.rbarIn.fill(0);
    let diff = 0;
    const u = new Float64Array(10);
    for (let k = 0; k < 50; k++) {
      if (k > 0) place(k);
      ideal.step();
      lowered.step();
      lowered.probe('out', 'u', u);
      const o = ideal.st.bySpace.net.find((p) => p.pop.kind === 'output')!.offset;
      for (let i = 0; i < 10; i++) diff = Math.max(diff, Math.abs(u[i]! - ideal.st.u[o + i]!));
    }
    expect(diff).toBeGreaterThan(1e-6);
  }, 60000);
  it('feedback alignment (topdown B)', async () => {
    const net = parseNetwork(
      `name: fa
seed: 2
neuron: {tau: 10ms, activation: tanh, bias: true}
populations:
  - {name: in, kind: input, size: 4}
  - {name: h, kind: hidden, size: 6}
  - {name: out, kind: output, size: 3}
projections:
  - {from: in, to: h, init: {dist: normal, std: 0.5}, eta: 0.5}
  - {from: h, to: out, init: {dist: normal, std: 0.5}, eta: 0.5}
  - {from: out, to: h, role: topdown, init: {dist: normal, std: 0.5}}
dynamics: {scheme: implicit, dt: 0.2ms, beta: 0.3}
stimulus:
  presentation: 10ms
  inputs: {in: {kind: random_steps}}
  targets: {out: {kind: sine, freq: 30Hz, amplitude: 0.3, offset: 0.5, phase_spread: 1}}
phases: [{name: run, duration: 200ms, nudge: [out]}]
`,
      'fa.yaml',
    );
    expect(await maxDeviation(net, 1000)).toBeLessThan(1e-9);
  });
  it('Latent Equilibrium: the lowered LE tick equals the ideal LE scheme (chain at a coarse dt; MNIST net with nudging and plasticity)', async () => {
    const example = loadNetwork(examplePath('chain.yaml'));
    // a coarser dt than the example's (tau/50): 1000 steps span 20 tau and 40 input switches
    const chain = { ...example, dynamics: { ...example.dynamics, dt: 2e-4 } };
    expect(await maxDeviation(chain, 1000, 'le', 'le')).toBeLessThan(1e-9);
    const mnist = loadNetwork(examplePath('mnist.yaml'));
    expect(await maxDeviation(mnist, 300, 'le', 'le')).toBeLessThan(1e-9);
    expect(await maxDeviation(chain, 1000, 'implicit', 'le')).toBeGreaterThan(1e-6);
  }, 60000);
  it('microcircuit: the lowered tick equals the ideal implicit microcircuit (interneurons, all three plasticity rules, nudging)', async () => {
    expect(await maxDeviation(smallMicrocircuit(), 1000)).toBeLessThan(1e-9);
    const paper = loadNetwork(examplePath('microcircuit.yaml'));
    expect(await maxDeviation({ ...paper, dynamics: { ...paper.dynamics, scheme: 'implicit' } }, 100)).toBeLessThan(1e-9);
  }, 60000);
  it('STD rows: the vesicle pool times the rate tracks the voltage it stands for', () => {
    const net = smallMicrocircuitStd();
    const program = compileProgram(net, { scheme: 'implicit', std: 'pool' });
    const run = new ProgramInterpreter(program);
    const place = stimulusDriver(net, [run]);
    const id = (name: string) => program.vectors.findIndex((v) => v.name === name);
    let worst = 0;
    let seen = 0;
    let sum = 0;
    for (let k = 0; k < 3000; k++) {
      place(k);
      run.step();
      if (k < 1000) continue; // the pools start at v_inf(0) and settle within a few tau
      const [u, ustd] = [run.vec[id('out.u')]!, run.vec[id('out.ustd')]!];
      for (let i = 0; i < u.length; i++) if (u[i]! > 0.2) {
        const rel = Math.abs(ustd[i]! - u[i]!) / u[i]!;
        worst = Math.max(worst, rel);
        sum += rel;
        seen++;
      }
    }
    // the pool relaxes with tau, so it lags a moving voltage (10 Hz targets here): a few percent
    console.log(`STD rows: v rbar vs u, mean relative error ${(sum / seen).toExponential(2)}, worst ${worst.toExponential(2)}`);
    expect(seen).toBeGreaterThan(1000);
    expect(sum / seen).toBeLessThan(0.02);
    expect(worst).toBeLessThan(0.1);
  });
  it('the program of every example passes validation', () => {
    for (const name of ['chain', 'mnist', 'recurrent']) validateProgram(compileProgram(loadNetwork(examplePath(`${name}.yaml`)), { scheme: 'implicit' }), 'lower');
  });
});

// `nla train mnist-microcircuit` (spec section 4, Fig. 5) shrunken: 784-40-10 pyramids with 10
// interneurons learn MNIST digits (test accuracy far above chance) while the lateral loop WPI WIP
// turns towards the top-down loop B W2 (the angle between them falls at every test); testing runs
// with beta = 0 but keeps the interneurons' nudging betaI BIP u_{l+1}; checkpoints resume bit for
// bit; bad arguments are refused.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runTraining, resolveSettings, type TrainOptions } from '../../tools/train/driver.js';
import { readCheckpoint } from '../../tools/train/checkpoint.js';
import { findExperiment } from '../../tools/train/experiments.js';
import { NlaTrainer } from '../../tools/train/trainers.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { evalActivation } from '../../compiler/network/activations.js';
import { useCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nla-train-mc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { nla } = useCli('train-mc-cli');

describe('nla train mnist-microcircuit (shrunken)', () => {
  // dt 1 ms instead of the paper's 0.25 ms and eta 8/s keep the test short
  test('784-40-10 + 10 interneurons, 600 digits: test accuracy far above chance, the alignment angle falls at every test', async () => {
    const s = await runTraining({
      experiment: 'mnist-microcircuit',
      settings: { train: 600, test: 200, hidden: 40, interneurons: 10, eta: 8, dt: 1e-3 },
      evalEvery: 200,
      out: join(dir, 'learn'),
    });
    expect(s.finished).toBe(true);
    expect(s.config).toMatchObject({ hidden: 40, interneurons: 10, presentation: 0.1, dt: 1e-3 });
    expect(s.speed.steps_per_sample).toBe(100);
    expect(s.curve.map((c) => c.seen)).toEqual([0, 200, 400, 600]);
    const angles = s.curve.map((c) => c.alignment_angle_deg!);
    console.log(`microcircuit test: accuracy ${s.curve.map((c) => (100 * c.test_metric).toFixed(1)).join(' -> ')} %, angle ${angles.map((a) => a.toFixed(1)).join(' -> ')} deg`);
    for (const a of angles) expect(a).toBeGreaterThan(0);
    expect(angles[0]).toBeGreaterThan(80); // random initial weights: nearly orthogonal loops
    for (let k = 1; k < angles.length; k++) expect(angles[k]).toBeLessThan(angles[k - 1]);
    expect(angles[angles.length - 1]).toBeLessThan(angles[0] - 10);
    expect(s.curve[0].test_metric).toBeLessThan(0.2); // chance before training
    expect(s.final!.test_metric).toBeGreaterThan(0.35);
    expect(s.final!.test_loss).toBeLessThan(s.curve[0].test_loss);
    const summary = JSON.parse(readFileSync(s.files.summary, 'utf8'));
    expect(summary.curve.map((c: { alignment_angle_deg: number }) => c.alignment_angle_deg)).toEqual(angles);
    const svg = readFileSync(s.files.curve, 'utf8');
    expect(svg).toMatch(/angle between WPI WIP and B W2/);
    expect(svg).not.toMatch(/<script|href=/);
  });

  test('testing: beta = 0 (the output is not nudged), the interneurons keep betaI BIP u_{l+1}', async () => {
    const exp = findExperiment('mnist-microcircuit')!;
    const s = resolveSettings(exp, { train: 20, test: 5, hidden: 12, interneurons: 10, dt: 1e-3, presentation: 0.02 });
    const t = await NlaTrainer.create(exp, s, { train: mnistSplit('train'), test: mnistSplit('test') }, 'js');
    for (let i = 0; i < 3; i++) t.trainOne(i);
    t.evalBegin();
    t.evalOne(0);
    const st = t.evalModel.st;
    expect(st.beta).toBe(0);
    expect(st.net.dynamics.betaI).toBeCloseTo(0.1 / 1.1, 15);
    // the output's error is zero; the interneurons' voltage is the spec's
    // uI = (1 - betaI) WIP rho(u_hidden) + betaI BIP u_out at the state of the last step
    const out = st.bySpace.net.find((p) => p.pop.kind === 'output')!;
    for (let i = out.offset; i < out.offset + out.size; i++) expect(Math.abs(st.eb[i])).toBe(0);
    const get = (name: string) => st.blocks.find((b) => b.proj.name === name)!;
    const [wip, bip] = [get('WIP'), get('BIP')];
    const hidden = wip.from;
    const u = st.u.slice(0, st.n);
    for (let i = 0; i < st.n; i++) u[i] -= st.dt * st.udot[i]; // the voltages the last step's drive saw
    const r = new Float64Array(st.n);
    evalActivation(hidden.pop.neuron, u, hidden.offset, hidden.offset + hidden.size, r, new Float64Array(st.n), new Float64Array(st.n));
    const bI = st.net.dynamics.betaI;
    for (let q = 0; q < wip.rows; q++) {
      let a = 0;
      let b = 0;
      for (let c = 0; c < wip.cols; c++) a += wip.W[q * wip.cols + c] * r[hidden.offset + c];
      for (let c = 0; c < bip.cols; c++) b += bip.W[q * bip.cols + c] * u[out.offset + c];
      expect(st.uI[q]).toBeCloseTo((1 - bI) * a + bI * b, 12);
    }
    expect(t.alignmentAngle()).toBeGreaterThan(0);
  });

  test('stopping and resuming ends with the same bits as one uninterrupted run', async () => {
    const base = (out: string, stopAfter?: number): TrainOptions => ({
      experiment: 'mnist-microcircuit',
      settings: { train: 30, test: 10, hidden: 12, interneurons: 10, epochs: 2, presentation: 0.02, dt: 1e-3, eta: 2 },
      evalEvery: 20,
      checkpointEvery: 7,
      kernels: 'js',
      out: join(dir, out),
      stopAfter,
    });
    const whole = await runTraining(base('whole'));
    let s = await runTraining(base('parts', 17));
    while (!s.finished) s = await runTraining(base('parts', 13));
    const a = readCheckpoint(whole.files.checkpoint)!;
    const b = readCheckpoint(s.files.checkpoint)!;
    expect(Object.keys(a.arrays)).toContain('W:WPI');
    for (const k of Object.keys(a.arrays)) expect(Buffer.from(b.arrays[k].buffer).equals(Buffer.from(a.arrays[k].buffer)), k).toBe(true);
    const strip = (c: typeof s.curve) => c.map(({ wall_s: _w, ...rest }) => rest);
    expect(strip(s.curve)).toEqual(strip(whole.curve));
  });
});

describe('nla train mnist-microcircuit: arguments', () => {
  test.each([
    [['train', 'mnist-microcircuit', '--hidden', '40', '--interneurons', '9'], /--interneurons: a microcircuit needs at least min\(hidden, outputs\) = min\(40, 10\) = 10 interneurons/],
    [['train', 'mnist', '--interneurons', '40'], /--interneurons: experiment 'mnist' has no interneurons; only mnist-microcircuit does/],
    [['train', 'mnist-microcircuit', '--interneurons', 'many'], /--interneurons: expected a non-negative integer, got 'many'/],
    [['train', 'mnist-microcircuit', '--backend', 'chip', '--relaxation', '0.5'], /--relaxation 0.5: only pattern runs on the chip/],
    [['train', 'mnist-microcircuit', '--presentation', '10ms', '--dt', '0.3ms'], /--presentation 10 ms is not a whole number of steps of --dt 0.3 ms/],
  ])('%j is refused', async (args, message) => {
    const r = await nla(...(args as string[]), '--out', join(dir, 'never'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  test("the paper's settings are the defaults: 784-300-10, 40 interneurons, dt 0.25 ms at 100 ms", () => {
    const exp = findExperiment('mnist-microcircuit')!;
    const s = resolveSettings(exp, {});
    expect(s).toMatchObject({ hidden: 300, interneurons: 40, presentation: 0.1, dt: 0.25e-3, eta: 1, train: 8000, test: 2000 });
    expect(resolveSettings(exp, { presentation: 0.05 }).dt).toBe(0.25e-3);
    expect(resolveSettings(exp, { dt: 1e-3 }).dt).toBe(1e-3);
    const net = exp.network(s);
    const proj = Object.fromEntries(net.projections.map((p) => [p.name, p]));
    expect(net.dynamics).toMatchObject({ beta: 0.1, scheme: 'explicit', tauIn: 0.01 });
    expect(net.dynamics.betaI).toBeCloseTo(0.1 / 1.1, 15);
    for (const k of ['W1', 'W2', 'WIP', 'WPI']) {
      expect(proj[k]).toMatchObject({ plastic: true, eta: 1, init: { dist: 'normal', std: 0.01, clip: 0.03 } });
    }
    for (const k of ['B', 'BIP']) expect(proj[k]).toMatchObject({ plastic: false, init: { dist: 'normal', std: 0.05, clip: 0.15 } });
    expect(net.populations.map((p) => [p.name, p.kind, p.size, p.neuron.activation])).toEqual([
      ['in', 'input', 784, 'hard_sigmoid'],
      ['hidden', 'hidden', 300, 'hard_sigmoid'],
      ['inter', 'interneuron', 40, 'linear'],
      ['out', 'output', 10, 'hard_sigmoid'],
    ]);
    expect(net.populations.every((p) => p.neuron.tau === 0.01 && !p.neuron.bias)).toBe(true);
  });
});

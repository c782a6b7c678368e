// `nla train mnist-microcircuit --backend chip`: the shrunken microcircuit (784-40-10 pyramids,
// 10 interneurons, 600 digits) compiled for high-precision with the plain Jacobi implicit
// iteration and trained with the chip's own plasticity (W1, W2, WIP, WPI) learns, its alignment
// angle (from the weights read back) falls at every test, and both follow the ideal trainer on
// the same protocol.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runTraining, type TrainOptions } from '../../tools/train/driver.js';

const dir = mkdtempSync(join(tmpdir(), 'nla-train-chip-mc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// dt 1 ms and eta 8/s as the ideal microcircuit test (tests/train/microcircuit.test.ts)
const opts = (out: string, extra: Partial<TrainOptions> = {}): TrainOptions => ({
  experiment: 'mnist-microcircuit',
  backend: 'chip',
  hw: 'high-precision',
  settings: { train: 600, test: 200, hidden: 40, interneurons: 10, eta: 8, dt: 1e-3, input: 'lowpass' },
  evalEvery: 200,
  out: join(dir, out),
  ...extra,
});

describe('nla train mnist-microcircuit --backend chip', () => {
  test('high-precision, 784-40-10 + 10 interneurons, 600 digits: learns on the chip, the angle falls, both as on the ideal trainer', async () => {
    const s = await runTraining(opts('hp'));
    expect(s.finished).toBe(true);
    expect(s.description).toMatch(/on the emulated chip \(hw-spec high-precision\)/);
    const acc = s.curve.map((c) => c.test_metric);
    const angles = s.curve.map((c) => c.alignment_angle_deg!);
    console.log(`microcircuit on the chip: accuracy ${acc.map((a) => (100 * a).toFixed(1)).join(' -> ')} %, angle ${angles.map((a) => a.toFixed(1)).join(' -> ')} deg`);
    expect(acc[0]).toBeLessThan(0.2); // the untrained chip: chance
    expect(s.final!.test_metric).toBeGreaterThan(0.35);
    expect(s.final!.test_metric - acc[0]).toBeGreaterThan(0.2);
    expect(angles[0]).toBeGreaterThan(80); // random initial weights: nearly orthogonal loops
    for (let k = 1; k < angles.length; k++) expect(angles[k]).toBeLessThan(angles[k - 1]);
    expect(angles[angles.length - 1]).toBeLessThan(angles[0] - 10);
    expect(s.final!.chip!.train_energy_uj_per_sample!).toBeGreaterThan(s.final!.chip!.test_energy_uj_per_sample!);

    // the ideal trainer (explicit scheme) on the same protocol (input lowpass, which neither
    // re-settles): the chip's Jacobi iteration does not oscillate here, so the results agree
    const ideal = await runTraining({ ...opts('ideal'), backend: 'ideal', hw: undefined });
    const [c, i] = [s.final!, ideal.final!];
    console.log(`chip vs ideal: accuracy ${c.test_metric} vs ${i.test_metric}, loss ${c.test_loss} vs ${i.test_loss}, angle ${c.alignment_angle_deg} vs ${i.alignment_angle_deg}`);
    expect(Math.abs(c.test_metric - i.test_metric)).toBeLessThan(0.05);
    expect(Math.abs(c.test_loss - i.test_loss) / i.test_loss).toBeLessThan(0.05);
    expect(Math.abs(c.alignment_angle_deg! - i.alignment_angle_deg!)).toBeLessThan(1);
  });
});

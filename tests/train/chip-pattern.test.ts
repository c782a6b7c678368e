// `nla train pattern --backend chip`: the 96-neuron recurrent net compiled for high-precision and
// trained with the chip's own plasticity (shrunken: short windows, few of them) completes the
// held-out signal clearly better than before training, reports the chip's figures, and a stopped
// run resumes (by replay on a fresh chip) to the same bits as an uninterrupted one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runTraining, type TrainOptions } from '../../tools/train/driver.js';
import { readCheckpoint } from '../../tools/train/checkpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'nla-train-chip-pattern-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 300 windows of 100 ms (30 s of signal) per epoch, 40 held-out windows per test
const opts = (out: string, extra: Partial<TrainOptions> = {}): TrainOptions => ({
  experiment: 'pattern',
  backend: 'chip',
  hw: 'high-precision',
  settings: { train: 300, test: 40, epochs: 2 },
  out: join(dir, out),
  ...extra,
});

describe('nla train pattern --backend chip: recurrent pattern completion with on-chip plasticity', () => {
  test('high-precision: the free neurons correlate clearly better with their held-out truth after training', async () => {
    const s = await runTraining(opts('hp'));
    expect(s.finished).toBe(true);
    expect(s.metric).toBe('correlation');
    expect(s.description).toMatch(/pattern on the emulated chip \(hw-spec high-precision\)/);
    const before = s.curve[0].test_metric;
    const after = s.final!.test_metric;
    console.log(`chip pattern (shrunken): correlation ${s.curve.map((c) => c.test_metric.toFixed(3)).join(' -> ')}`);
    expect(Math.abs(before)).toBeLessThan(0.15); // untrained: the free neurons do not follow
    expect(after).toBeGreaterThan(0.3);
    expect(after - before).toBeGreaterThan(0.25);
    expect(s.final!.test_loss).toBeLessThan(s.curve[0].test_loss);
    const c = s.final!.chip!;
    expect(c.hw).toBe('high-precision');
    expect(c.train_energy_uj_per_sample!).toBeGreaterThan(c.test_energy_uj_per_sample!); // learning costs
    expect(c.test_chip_time_ms_per_sample!).toBeGreaterThan(0);
    expect(c.train_saturations).toEqual({ saturation_state: 0, saturation_weight: 0, clip_adc: 0, clip_dac: 0, saturation_input: 0 });
  });

  test('a stopped run resumes by replay to the same bits (weights read back, curve, chip figures)', async () => {
    const small = { settings: { train: 40, test: 10, presentation: 0.02, epochs: 2 }, evalEvery: 30 };
    const whole = await runTraining(opts('whole', small));
    expect(whole.finished).toBe(true);
    let s = await runTraining(opts('parts', { ...small, stopAfter: 45 }));
    expect(s.stopped).toBe('stop-after');
    s = await runTraining(opts('parts', small));
    expect(s.resumed).toBe(true);
    expect(s.finished).toBe(true);
    const a = readCheckpoint(whole.files.checkpoint)!;
    const b = readCheckpoint(s.files.checkpoint)!;
    expect(Object.keys(a.arrays)).toContain('weights.visible->visible');
    expect(Object.keys(b.arrays).sort()).toEqual(Object.keys(a.arrays).sort());
    for (const k of Object.keys(a.arrays)) expect(Buffer.from(b.arrays[k].buffer).equals(Buffer.from(a.arrays[k].buffer)), k).toBe(true);
    const strip = (c: typeof s.curve) => c.map((p) => [p.seen, p.test_metric, p.test_loss, p.train_loss, p.chip]);
    expect(strip(s.curve)).toEqual(strip(whole.curve));
  });
});

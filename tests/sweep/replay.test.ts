// A sweep runs the ideal model once per dt, as a task of its own, and compares each chip's recorded
// outputs with that trace afterwards: such a split row must give, to the bit, the numbers of a row
// that ran the model beside the chip.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadHwSpec, serialiseHwSpec } from '../../compiler/hwspec/index.js';
import { completeRow, isChipPart, measureChip, measureIdeal, measureRow, type SweepContext, type SweepRow } from '../../tools/sweep/measure.js';
import { planTasks } from '../../tools/sweep/pool.js';
import { examplePath } from '../../tools/bench/paths.js';

const file = examplePath('chain.yaml');
const ctx: SweepContext = { network: { file, text: readFileSync(file, 'utf8') }, spec: serialiseHwSpec(loadHwSpec('default')), steps: 400, seed: 3, backend: 'wasm' };
const numbers = (r: SweepRow) => [r.ok, r.reason, r.rms, r.rms_over_range, r.max_error, r.energy_pj_per_tick, r.energy_pj_per_sample, r.cores, r.steps];

describe('the shared ideal trace', () => {
  it('a split row (chip alone, then compared with the ideal trace) equals the whole row; another dt needs its own trace', async () => {
    const whole = await measureRow(ctx, { weight_bits: 6 });
    expect(whole.ok).toBe(true);
    expect(whole.rms).toBeGreaterThan(0);
    const trace = await measureIdeal(ctx, { weight_bits: 6 });
    const part = await measureChip(ctx, { weight_bits: 6 });
    if (!isChipPart(part)) throw new Error(`the chip part failed: ${part.reason}`);
    expect(numbers(completeRow(part, trace))).toEqual(numbers(whole));
    // another configuration on the same trace: a different error
    const other = await measureChip(ctx, { weight_bits: 5 });
    if (!isChipPart(other)) throw new Error(`the chip part failed: ${other.reason}`);
    expect(completeRow(other, trace).rms).not.toBe(whole.rms);
    // another dt: another key, and its trace differs
    const finer = await measureChip(ctx, { weight_bits: 6, dt: 2.5e-5 });
    if (!isChipPart(finer)) throw new Error(`the chip part failed: ${finer.reason}`);
    expect(finer.idealKey).not.toBe(part.idealKey);
    expect(() => completeRow(finer, { ...trace, width: trace.width + 1 })).toThrow(/differ in shape/);
    const fine = await measureIdeal(ctx, { dt: 2.5e-5 });
    expect(numbers(completeRow(finer, fine))).toEqual(numbers(await measureRow(ctx, { weight_bits: 6, dt: 2.5e-5 })));
    // a failed ideal run fails the rows that need it, with its reason
    expect(completeRow(part, { reason: 'boom' })).toMatchObject({ ok: false, reason: 'boom', rms: null });
  });
  it('plans one ideal run per dt, before the rows; rows that fail to parse are not split', () => {
    const tasks = planTasks(ctx, [{ weight_bits: 6 }, { weight_bits: 5 }, { weight_bits: 6, dt: 2.5e-5 }, { dt: -1 }]);
    expect(tasks.map((t) => t.kind)).toEqual(['ideal', 'ideal', 'row', 'row', 'row', 'row']);
    expect(tasks.filter((t) => t.kind === 'row').map((t) => (t.kind === 'row' ? t.split : null))).toEqual([true, true, true, false]);
  });
});

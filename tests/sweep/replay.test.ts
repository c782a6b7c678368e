// A sweep worker runs the ideal model once per dt and replays its output voltages for the other
// rows: a row measured with the replay must give the numbers of a row that ran the model itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadHwSpec, serialiseHwSpec } from '../../compiler/hwspec/index.js';
import { measureRow, type SweepContext } from '../../tools/sweep/measure.js';
import { examplePath } from '../../tools/bench/paths.js';

describe('ideal output replay', () => {
  it('a row measured again (replayed ideal) equals its first measurement; another dt runs the model again', async () => {
    const file = examplePath('chain.yaml');
    const ctx: SweepContext = { network: { file, text: readFileSync(file, 'utf8') }, spec: serialiseHwSpec(loadHwSpec('default')), steps: 400, seed: 3, backend: 'wasm' };
    const first = await measureRow(ctx, { weight_bits: 6 });
    const again = await measureRow(ctx, { weight_bits: 6 });
    expect(first.ok).toBe(true);
    const numbers = (r: typeof first) => [r.rms, r.rms_over_range, r.max_error, r.energy_pj_per_tick, r.steps];
    expect(numbers(again)).toEqual(numbers(first));
    expect(first.rms).toBeGreaterThan(0);
    // another configuration on the same dt replays; on another dt the model runs (and differs)
    const other = await measureRow(ctx, { weight_bits: 5 });
    const finer = await measureRow(ctx, { weight_bits: 6, dt: 2.5e-5 });
    expect(other.ok && finer.ok).toBe(true);
    expect(other.rms).not.toBe(first.rms);
    expect(finer.rms).not.toBe(first.rms);
  });
});

// Differential test: random valid images (random-images.ts) run for a few ticks on the reference
// chip and on the Wasm core, with the same random port codes each tick; after every tick memory,
// crossbars, ports, probes and every counter must be identical, bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../compiler/common/rng.js';
import { expectSameState, pair } from './compare.js';
import { RandomImage, randomPortCodes, type SpecVariant } from './random-images.js';

const TICKS = 4;

const variant: fc.Arbitrary<SpecVariant> = fc.record({
  preset: fc.constantFrom('default', 'bss2-like', 'high-precision'),
  noise: fc.boolean(),
  mismatch: fc.boolean(),
  state: fc.constantFrom('nearest_even', 'floor', 'stochastic'),
  adc: fc.constantFrom('nearest_even', 'floor'),
  fractionalDac: fc.boolean(),
  wideWeights: fc.boolean(),
  wideState: fc.boolean(),
});

/** Runs one random image on both; returns the reference's counters and the Wasm datapath it got. */
function runRandom(seed: number, v: SpecVariant, runSeed: number): { counters: Record<string, number>; datapath: string } {
  const { image, text, ports } = new RandomImage(seed, v).build();
  const p = pair(image, runSeed);
  const rng = new Rng(seed, 7);
  try {
    for (let k = 0; k < TICKS; k++) {
      for (const port of ports) {
        const codes = randomPortCodes(rng, port.size);
        p.ref.reference.portCodes.get(port.id)!.set(codes);
        p.wasm.portCodes(port.id).set(codes);
      }
      p.ref.step();
      p.wasm.step();
      expectSameState(p, `tick ${k}`);
    }
  } catch (e) {
    (e as Error).message += `\n(seed ${seed}, run seed ${runSeed}, ${JSON.stringify(v)})\n${text}`;
    throw e;
  }
  return { counters: p.ref.counters(), datapath: `${p.wasm.datapath.cells} cells, ${p.wasm.datapath.sums} sums` };
}

describe('random programs: the Wasm core is the reference, bit for bit', () => {
  it('random images of every instruction, spec variant and control structure', () => {
    const total: Record<string, number> = {};
    const datapaths = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), variant, fc.nat(1000), (seed, v, runSeed) => {
        const { counters, datapath } = runRandom(seed, v, runSeed);
        for (const [k, x] of Object.entries(counters)) total[k] = (total[k] ?? 0) + x;
        datapaths.add(datapath);
      }),
      { numRuns: 300 },
    );
    // the runs reach every cost class, every range event and every way of computing line sums
    for (const cls of ['vector_op', 'lut', 'lpf', 'leak', 'outer_update', 'std_update', 'mvm', 'send', 'recv', 'io', 'barrier', 'control']) expect(total[`${cls}_executions`], cls).toBeGreaterThan(20);
    for (const k of ['saturation_state', 'saturation_weight', 'clip_adc', 'clip_dac', 'stochastic_draws']) expect(total[k], k).toBeGreaterThan(20);
    expect([...datapaths].sort()).toEqual(['i16 cells, f64 sums', 'i16 cells, i32 sums', 'i16 cells, i64 sums', 'i32 cells, f64 sums', 'i32 cells, i32 sums', 'i32 cells, i64 sums']);
  }, 120_000);
});

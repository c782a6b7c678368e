// The Program IR: one tick of a network as a straight-line list of vector operations, the
// algorithm the chip runs. `lower` produces it from the Network IR; later passes annotate it
// (fixed-point formats, cores, addresses) and `encode` turns it into instructions. Executed in
// f64 by interpret.ts it is the second level of truth (ideal model -> lowered program -> chip).

export type VectorRole = 'state' | 'param' | 'temp' | 'const' | 'port';

export interface VectorDecl {
  name: string; // e.g. "h1.u", "h1.udot", "tmp.h1.e"
  length: number;
  role: VectorRole;
  /** initial value (state, param, const); temps and ports start at 0 */
  init: number | Float64Array;
  population?: string;
}

export interface MatrixDecl {
  name: string; // the projection's name
  rows: number; // postsynaptic
  cols: number; // presynaptic
  init: Float64Array; // row-major
  /** learning rate times dt of its outer-product update (0: fixed) */
  rate: number;
  noSelf: boolean;
  /** presynaptic (columns) and postsynaptic (rows) population */
  pre: string;
  post: string;
}

export type PortKind = 'input' | 'target' | 'nudge';

export interface PortDecl {
  kind: PortKind;
  population: string;
  vector: number; // the port vector the host writes before each tick
}

export interface ProbeDecl {
  population: string;
  signal: string;
  vector: number;
}

/** The function of a lookup table (compiler/network/activations.ts tableValue evaluates it). */
export type { TableFn as LutFn } from '../network/activations.js';
import type { TableFn as LutFn } from '../network/activations.js';

/** Vector operations; v* are vector ids, m a matrix id. All vectors of an op have one length. */
export type Op =
  | { op: 'mvm'; dst: number; m: number; x: number; transpose: boolean; accumulate: boolean }
  | { op: 'add' | 'sub' | 'mul'; dst: number; a: number; b: number }
  | { op: 'scale'; dst: number; a: number; k: number } // dst = k a
  | { op: 'axpy'; dst: number; a: number; k: number; b: number } // dst = a + k b
  | { op: 'copy'; dst: number; a: number }
  | { op: 'lut'; dst: number; a: number; fn: LutFn }
  | { op: 'lpf'; state: number; x: number; k: number } // state += k (x - state)
  | { op: 'leak'; state: number; drive: number; k: number } // state += k (drive - state)
  | { op: 'outer'; m: number; a: number; x: number } // W += rate a x^T (if plasticity is on)
  | { op: 'outer_bias'; dst: number; a: number; rate: number } // b += rate a (if plasticity is on)
  | { op: 'std'; state: number; rbar: number; k: number; fn: LutFn }; // STD pool: v += k (v_inf(rbar) - v)

export interface Program {
  name: string;
  dt: number;
  scheme: string;
  vectors: VectorDecl[];
  matrices: MatrixDecl[];
  ports: PortDecl[];
  probes: ProbeDecl[];
  ops: Op[];
  /** set by `quantize` */
  quant?: import('./quant.js').Quantization;
  /** set by `map` */
  tiling?: Tiling;
}

/** How `map` cuts populations into per-core slices and matrices into crossbar blocks. */
export interface Tiling {
  /** the largest slice: min(core.neurons, crossbar rows, crossbar cols) */
  sliceSize: number;
  /** population -> [start, end) of each slice */
  slices: Record<string, [number, number][]>;
  /** per matrix: its blocks, pre slice i x post slice j */
  blocks: { i: number; j: number; pre0: number; m: number; post0: number; n: number }[][];
}

/** Every vector an op reads and writes, with the length the op requires of it. */
export function opOperands(o: Op): { reads: number[]; writes: number[] } {
  switch (o.op) {
    case 'mvm':
      return { reads: o.accumulate ? [o.x, o.dst] : [o.x], writes: [o.dst] };
    case 'add':
    case 'sub':
    case 'mul':
      return { reads: [o.a, o.b], writes: [o.dst] };
    case 'scale':
    case 'copy':
    case 'lut':
      return { reads: [o.a], writes: [o.dst] };
    case 'axpy':
      return { reads: [o.a, o.b], writes: [o.dst] };
    case 'lpf':
      return { reads: [o.state, o.x], writes: [o.state] };
    case 'leak':
      return { reads: [o.state, o.drive], writes: [o.state] };
    case 'outer':
      return { reads: [o.a, o.x], writes: [] };
    case 'outer_bias':
      return { reads: [o.dst, o.a], writes: [o.dst] };
    case 'std':
      return { reads: [o.state, o.rbar], writes: [o.state] };
  }
}

/** Structural checks between passes: ids in range, lengths consistent, nothing read before written. */
export function validateProgram(p: Program, after: string): void {
  const problems: string[] = [];
  const vec = (id: number, where: string) => {
    if (!Number.isInteger(id) || id < 0 || id >= p.vectors.length) problems.push(`${where}: vector ${id} does not exist`);
    return p.vectors[id];
  };
  const written = new Set<number>();
  p.vectors.forEach((v, i) => {
    if (v.role !== 'temp') written.add(i);
  });
  p.ops.forEach((o, k) => {
    const where = `op ${k} (${o.op})`;
    const { reads, writes } = opOperands(o);
    for (const r of reads) {
      vec(r, where);
      if (!written.has(r)) problems.push(`${where}: reads ${p.vectors[r]?.name ?? r} before anything writes it`);
    }
    for (const w of writes) {
      const v = vec(w, where);
      if (v && (v.role === 'const' || v.role === 'port')) problems.push(`${where}: writes ${v.role} vector ${v.name}`);
      written.add(w);
    }
    if (o.op === 'mvm' || o.op === 'outer') {
      const m = p.matrices[o.m];
      if (!m) {
        problems.push(`${where}: matrix ${o.m} does not exist`);
        return;
      }
      if (o.op === 'mvm') {
        const [xl, yl] = o.transpose ? [m.rows, m.cols] : [m.cols, m.rows];
        if (p.vectors[o.x]?.length !== xl) problems.push(`${where}: x has length ${p.vectors[o.x]?.length}, ${m.name} needs ${xl}`);
        if (p.vectors[o.dst]?.length !== yl) problems.push(`${where}: dst has length ${p.vectors[o.dst]?.length}, ${m.name} gives ${yl}`);
      } else {
        if (p.vectors[o.a]?.length !== m.rows) problems.push(`${where}: a has length ${p.vectors[o.a]?.length}, ${m.name} has ${m.rows} rows`);
        if (p.vectors[o.x]?.length !== m.cols) problems.push(`${where}: x has length ${p.vectors[o.x]?.length}, ${m.name} has ${m.cols} columns`);
      }
      return;
    }
    const ids = [...reads, ...writes];
    const lengths = new Set(ids.map((i) => p.vectors[i]?.length));
    if (lengths.size > 1) problems.push(`${where}: operands have different lengths (${ids.map((i) => `${p.vectors[i]?.name}:${p.vectors[i]?.length}`).join(', ')})`);
  });
  for (const port of p.ports) if (p.vectors[port.vector]?.role !== 'port') problems.push(`port ${port.kind} ${port.population}: vector is not a port vector`);
  for (const pr of p.probes) vec(pr.vector, `probe ${pr.population}.${pr.signal}`);
  if (problems.length) throw new Error(`invalid program after pass '${after}' (a bug in that pass):\n  ${problems.join('\n  ')}`);
}

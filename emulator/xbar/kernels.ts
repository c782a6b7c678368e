// The crossbar kernels behind one interface, three backends on one arena layout:
//   'simd'   Wasm v128 kernels of build/xbar.wasm (the fast path)
//   'scalar' the same module's plain-loop kernels (for comparison)
//   'js'     the TypeScript twin (emulator/xbar/js.ts)
// All three give identical results on every input (tests/xbar/ checks it). Each call checks
// shapes, ranges and overlaps (a few comparisons) and allocates nothing. No Node APIs here.
import { XbarArena, XbarI16, XbarI32 } from './arena.js';
import * as js from './js.js';

export type XbarBackend = 'simd' | 'scalar' | 'js';

export interface XbarKernels {
  readonly backend: XbarBackend;
  /** the memory and allocator the buffers passed to this instance must come from */
  readonly arena: XbarArena;
  /**
   * Forward product, inputs on rows: y[c] = sum_r W[r*stride + c] * x[r] for c < cols.
   * W: at least (rows-1)*stride + cols codes; x: rows DAC codes; y: cols sums (i32, wrapping
   * modulo 2^32 past the i32 range: see sumFitsI32). y must not overlap W or x.
   */
  mvm(W: XbarI16, rows: number, cols: number, stride: number, x: XbarI16, y: XbarI32): void;
  /** Transposed product: y[r] = sum_c W[r*stride + c] * x[c] for r < rows (x: cols, y: rows). */
  mvmt(W: XbarI16, rows: number, cols: number, stride: number, x: XbarI16, y: XbarI32): void;
  /**
   * Outer-product update, in place:
   * W[r*stride + c] = clamp(W + ((a[r]*x[c] + 2^(sh-1)) >> sh), lo, hi), rounding to nearest
   * with ties up. a (rows) and x (cols) are int32 slots holding int16 values: only their low 16
   * bits are used (sign-extended). 1 <= sh <= 30; lo <= hi, both within int16.
   */
  outer(
    W: XbarI16, rows: number, cols: number, stride: number, a: XbarI32, x: XbarI32,
    sh: number, lo: number, hi: number,
  ): void;
}

/** Exports of build/xbar.wasm (byte addresses and i32 arguments). */
export interface XbarExports {
  heapBase(): number;
  mvm_i16(W: number, rows: number, cols: number, stride: number, x: number, y: number): void;
  mvmt_i16(W: number, rows: number, cols: number, stride: number, x: number, y: number): void;
  outer_i16(W: number, rows: number, cols: number, stride: number, a: number, x: number, sh: number, lo: number, hi: number): void;
  mvm_i16_scalar(W: number, rows: number, cols: number, stride: number, x: number, y: number): void;
  mvmt_i16_scalar(W: number, rows: number, cols: number, stride: number, x: number, y: number): void;
  outer_i16_scalar(W: number, rows: number, cols: number, stride: number, a: number, x: number, sh: number, lo: number, hi: number): void;
}

/**
 * True when every forward or transposed sum over `n` products of weights |w| <= maxAbsW and
 * inputs |x| <= maxAbsX is exact in i32 (n * maxAbsW * maxAbsX <= 2^31 - 1). Otherwise sums may
 * wrap modulo 2^32 (identically in all backends). With the presets: default (8-bit weights,
 * 8-bit DAC, 256 rows) 2^22 and bss2-like (6-bit, 5-bit unsigned, 128 rows) 2^17 are exact;
 * high-precision (16-bit x 16-bit over 256 rows, up to 2^38) is not: its full-scale column sums
 * need a wider path (for example two passes over x split into its high and low bytes).
 */
export function sumFitsI32(n: number, maxAbsW: number, maxAbsX: number): boolean {
  return n * maxAbsW * maxAbsX <= 2 ** 31 - 1;
}

// ---------------------------------------------------------------- checks

function fail(op: string, msg: string): never {
  throw new RangeError(`nla xbar ${op}: ${msg}`);
}

function isI32(v: number): boolean {
  return (v | 0) === v;
}

function own(op: string, arena: XbarArena, what: string, b: XbarI16 | XbarI32, kind: typeof XbarI16 | typeof XbarI32): void {
  if (!(b instanceof kind)) fail(op, `${what} must be an ${kind === XbarI16 ? 'XbarI16' : 'XbarI32'} (arena.alloc${kind === XbarI16 ? 'I16' : 'I32'})`);
  if (b.arena !== arena) fail(op, `${what} was allocated in another arena than this kernel instance's`);
}

function checkMatrix(op: string, arena: XbarArena, W: XbarI16, rows: number, cols: number, stride: number): void {
  if (!(isI32(rows) && rows >= 0 && isI32(cols) && cols >= 0)) {
    fail(op, `rows and cols must be non-negative int32, got ${rows} x ${cols}`);
  }
  if (!(isI32(stride) && stride >= cols)) fail(op, `stride must be an int32 >= cols (${cols}), got ${stride}`);
  own(op, arena, 'W', W, XbarI16);
  const need = rows === 0 || cols === 0 ? 0 : (rows - 1) * stride + cols;
  if (W.length < need) fail(op, `W has ${W.length} codes, a ${rows} x ${cols} matrix with stride ${stride} needs ${need}`);
}

function checkLen(op: string, what: string, b: XbarI16 | XbarI32, need: number): void {
  if (b.length < need) fail(op, `${what} has length ${b.length}, needs at least ${need}`);
}

/** byte ranges [b.ptr, b.ptr + n*size) of the used parts must not intersect */
function disjoint(op: string, what: string, p: number, pEnd: number, q: number, qEnd: number): void {
  if (p < qEnd && q < pEnd) fail(op, `${what} overlap (outputs must not alias inputs)`);
}

function checkProduct(
  op: string, arena: XbarArena, W: XbarI16, rows: number, cols: number, stride: number,
  x: XbarI16, nx: number, y: XbarI32, ny: number,
): void {
  checkMatrix(op, arena, W, rows, cols, stride);
  own(op, arena, 'x', x, XbarI16);
  own(op, arena, 'y', y, XbarI32);
  checkLen(op, 'x', x, nx);
  checkLen(op, 'y', y, ny);
  const wEnd = W.ptr + 2 * (rows === 0 || cols === 0 ? 0 : (rows - 1) * stride + cols);
  const yEnd = y.ptr + 4 * ny;
  disjoint(op, 'y and W', y.ptr, yEnd, W.ptr, wEnd);
  disjoint(op, 'y and x', y.ptr, yEnd, x.ptr, x.ptr + 2 * nx);
}

function checkOuter(
  op: string, arena: XbarArena, W: XbarI16, rows: number, cols: number, stride: number,
  a: XbarI32, x: XbarI32, sh: number, lo: number, hi: number,
): void {
  checkMatrix(op, arena, W, rows, cols, stride);
  own(op, arena, 'a', a, XbarI32);
  own(op, arena, 'x', x, XbarI32);
  checkLen(op, 'a', a, rows);
  checkLen(op, 'x', x, cols);
  if (!(isI32(sh) && sh >= 1 && sh <= 30)) {
    fail(op, `sh must be an integer in 1..30 (the rounding term 2^(sh-1) and the product must fit i32), got ${sh}`);
  }
  if (!(isI32(lo) && isI32(hi) && lo >= -32768 && hi <= 32767 && lo <= hi)) {
    fail(op, `clamp bounds must be integers with -32768 <= lo <= hi <= 32767, got lo ${lo}, hi ${hi}`);
  }
  const wEnd = W.ptr + 2 * (rows === 0 || cols === 0 ? 0 : (rows - 1) * stride + cols);
  disjoint(op, 'W and a', W.ptr, wEnd, a.ptr, a.ptr + 4 * rows);
  disjoint(op, 'W and x', W.ptr, wEnd, x.ptr, x.ptr + 4 * cols);
}

// ---------------------------------------------------------------- backends

/** Kernels on an instance of build/xbar.wasm whose env.memory is arena.memory. */
export function wasmXbar(ex: XbarExports, arena: XbarArena, backend: 'simd' | 'scalar'): XbarKernels {
  const heap = ex.heapBase();
  if (heap > arena.base) {
    throw new Error(`nla xbar: the module's static data (${heap} bytes) exceeds the arena's reserve (${arena.base} bytes)`);
  }
  const simd = backend === 'simd';
  const mvm = simd ? ex.mvm_i16 : ex.mvm_i16_scalar;
  const mvmt = simd ? ex.mvmt_i16 : ex.mvmt_i16_scalar;
  const outer = simd ? ex.outer_i16 : ex.outer_i16_scalar;
  return {
    backend,
    arena,
    mvm(W, rows, cols, stride, x, y) {
      checkProduct('mvm', arena, W, rows, cols, stride, x, rows, y, cols);
      mvm(W.ptr, rows, cols, stride, x.ptr, y.ptr);
    },
    mvmt(W, rows, cols, stride, x, y) {
      checkProduct('mvmt', arena, W, rows, cols, stride, x, cols, y, rows);
      mvmt(W.ptr, rows, cols, stride, x.ptr, y.ptr);
    },
    outer(W, rows, cols, stride, a, x, sh, lo, hi) {
      checkOuter('outer', arena, W, rows, cols, stride, a, x, sh, lo, hi);
      outer(W.ptr, rows, cols, stride, a.ptr, x.ptr, sh, lo, hi);
    },
  };
}

/** Kernels running the TypeScript twin on the arena's buffers. */
export function jsXbar(arena: XbarArena): XbarKernels {
  return {
    backend: 'js',
    arena,
    mvm(W, rows, cols, stride, x, y) {
      checkProduct('mvm', arena, W, rows, cols, stride, x, rows, y, cols);
      js.mvm_i16(W.view, rows, cols, stride, x.view, y.view);
    },
    mvmt(W, rows, cols, stride, x, y) {
      checkProduct('mvmt', arena, W, rows, cols, stride, x, cols, y, rows);
      js.mvmt_i16(W.view, rows, cols, stride, x.view, y.view);
    },
    outer(W, rows, cols, stride, a, x, sh, lo, hi) {
      checkOuter('outer', arena, W, rows, cols, stride, a, x, sh, lo, hi);
      js.outer_i16(W.view, rows, cols, stride, a.view, x.view, sh, lo, hi);
    },
  };
}

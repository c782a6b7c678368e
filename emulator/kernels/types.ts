// Dense f64 linear-algebra kernels of the ideal model, behind one interface with two backends
// (plain TypeScript and Wasm SIMD) that give bit-identical results. No Node APIs here.
//
// Summation orders (the contract both backends implement; see assembly/index.ts):
//  - dot(w, x, n): four lane sums s0..s3 start at 0; for j < n4 = n - n % 4 in steps of 4,
//    s_k = s_k + w[j+k]*x[j+k]; then r = (s0 + s2) + (s1 + s3); then r = r + w[j]*x[j] for the
//    remaining j in order. gemv/gemv2/gerGemv2 store accumulate ? y[i] + r : r.
//  - gemvT: y[j] starts at (accumulate ? y[j] : 0) and adds x[i]*W[i,j] for i = 0, 1, ... in order.
//  - ger: c = scale*a[i]; W[i,j] = W[i,j] + c*x[j].
// Output arrays must not overlap input arrays (except W in ger/gerGemv2, which is updated in place).

export type KernelBackend = 'js' | 'wasm';

export interface Kernels {
  readonly backend: KernelBackend;
  /**
   * Zeroed f64 array. For wasm it lives in the instance's memory, which never grows after
   * creation (views never detach). Capacity is fixed at creation: each allocation takes
   * allocBytes(n) bytes of it (rounded up to ALLOC_ALIGN); exceeding it throws an Error.
   */
  alloc(n: number): Float64Array;
  /** y = (accumulate ? y : 0) + W x ; W row-major rows x cols, W[i*cols+j] */
  gemv(W: Float64Array, rows: number, cols: number, x: Float64Array, y: Float64Array, accumulate: boolean): void;
  /** y1 (+)= W x1 and y2 (+)= W x2 in one pass over W */
  gemv2(
    W: Float64Array, rows: number, cols: number,
    x1: Float64Array, x2: Float64Array, y1: Float64Array, y2: Float64Array, accumulate: boolean,
  ): void;
  /** y = (accumulate ? y : 0) + W^T x ; y has length cols */
  gemvT(W: Float64Array, rows: number, cols: number, x: Float64Array, y: Float64Array, accumulate: boolean): void;
  /** rank-1 update: for each i, c = scale * a[i]; W[i*cols+j] = W[i*cols+j] + c * x[j] */
  ger(W: Float64Array, rows: number, cols: number, a: Float64Array, x: Float64Array, scale: number): void;
  /**
   * fused: ger(W, rows, cols, a, xOld, scale) then gemv2(W, rows, cols, x1, x2, y1, y2, false),
   * in ONE pass over W (row by row). Bit-identical to calling the two separately.
   */
  gerGemv2(
    W: Float64Array, rows: number, cols: number, a: Float64Array, xOld: Float64Array, scale: number,
    x1: Float64Array, x2: Float64Array, y1: Float64Array, y2: Float64Array,
  ): void;
}

/** Alignment (bytes) of every allocation; padding counts against the capacity. */
export const ALLOC_ALIGN = 16;

/** Bytes of capacity that alloc(n) consumes. */
export function allocBytes(n: number): number {
  return Math.ceil((n * 8) / ALLOC_ALIGN) * ALLOC_ALIGN;
}

/** Capacity (bytes) needed to alloc() arrays of the given lengths. */
export function capacityFor(...lengths: number[]): number {
  let total = 0;
  for (const n of lengths) total += allocBytes(n);
  return total;
}

/** Bump allocator bookkeeping shared by both backends (same accounting, same errors). */
export class Capacity {
  private used = 0;
  constructor(readonly capacityBytes: number, private readonly backend: KernelBackend) {
    if (!Number.isSafeInteger(capacityBytes) || capacityBytes < 0) {
      throw new Error(`nla kernels: capacityBytes must be a non-negative integer, got ${capacityBytes}`);
    }
  }
  /** reserve allocBytes(n) bytes; returns the byte offset of the reservation */
  take(n: number): number {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new Error(`nla kernels: alloc(n) needs a non-negative integer length, got ${n}`);
    }
    const bytes = allocBytes(n);
    if (this.used + bytes > this.capacityBytes) {
      throw new Error(
        `nla kernels (${this.backend}): alloc(${n}) needs ${bytes} bytes but only ` +
          `${this.capacityBytes - this.used} of the fixed capacity of ${this.capacityBytes} bytes are left ` +
          `(create the Kernels with a larger capacityBytes, e.g. capacityFor(...lengths))`,
      );
    }
    const at = this.used;
    this.used += bytes;
    return at;
  }
  get usedBytes(): number {
    return this.used;
  }
}

/** Shape checks shared by both backends: cheap, once per call. */
export function checkShape(name: string, what: string, arr: Float64Array, need: number): void {
  if (arr.length < need) {
    throw new RangeError(`nla kernels ${name}: ${what} has length ${arr.length}, needs at least ${need}`);
  }
}

export function checkDims(name: string, rows: number, cols: number): void {
  if (!((rows | 0) === rows && rows >= 0 && (cols | 0) === cols && cols >= 0)) {
    throw new RangeError(`nla kernels ${name}: rows and cols must be non-negative int32, got ${rows} x ${cols}`);
  }
}

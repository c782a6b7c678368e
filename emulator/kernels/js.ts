// Plain TypeScript kernels, bit-identical to the Wasm SIMD ones (assembly/index.ts): each f64x2
// accumulator of the Wasm code is two scalar lane sums here, added in the same order.
import { Capacity, checkDims, checkShape, type Kernels } from './types.js';

/**
 * Canonical dot product of w[wo .. wo+n) and x[0 .. n): four lane sums over blocks of 4,
 * reduced as (s0 + s2) + (s1 + s3) (= f64x2.add then lane0 + lane1), then the tail in order.
 */
function dot(w: Float64Array, wo: number, x: Float64Array, n: number): number {
  const n4 = n & ~3;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j < n4; j += 4) {
    const o = wo + j;
    s0 += w[o] * x[j];
    s1 += w[o + 1] * x[j + 1];
    s2 += w[o + 2] * x[j + 2];
    s3 += w[o + 3] * x[j + 3];
  }
  let r = (s0 + s2) + (s1 + s3);
  for (; j < n; j++) r += w[wo + j] * x[j];
  return r;
}

export function gemv(W: Float64Array, rows: number, cols: number, x: Float64Array, y: Float64Array, accumulate: boolean): void {
  for (let i = 0, wo = 0; i < rows; i++, wo += cols) {
    const r = dot(W, wo, x, cols);
    y[i] = accumulate ? y[i] + r : r;
  }
}

export function gemv2(
  W: Float64Array, rows: number, cols: number,
  x1: Float64Array, x2: Float64Array, y1: Float64Array, y2: Float64Array, accumulate: boolean,
): void {
  const n4 = cols & ~3;
  for (let i = 0, wo = 0; i < rows; i++, wo += cols) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    let j = 0;
    for (; j < n4; j += 4) {
      const o = wo + j;
      const w0 = W[o], w1 = W[o + 1], w2 = W[o + 2], w3 = W[o + 3];
      s0 += w0 * x1[j];
      s1 += w1 * x1[j + 1];
      s2 += w2 * x1[j + 2];
      s3 += w3 * x1[j + 3];
      t0 += w0 * x2[j];
      t1 += w1 * x2[j + 1];
      t2 += w2 * x2[j + 2];
      t3 += w3 * x2[j + 3];
    }
    let r1 = (s0 + s2) + (s1 + s3);
    let r2 = (t0 + t2) + (t1 + t3);
    for (; j < cols; j++) {
      const w = W[wo + j];
      r1 += w * x1[j];
      r2 += w * x2[j];
    }
    y1[i] = accumulate ? y1[i] + r1 : r1;
    y2[i] = accumulate ? y2[i] + r2 : r2;
  }
}

export function gemvT(W: Float64Array, rows: number, cols: number, x: Float64Array, y: Float64Array, accumulate: boolean): void {
  if (!accumulate) y.fill(0, 0, cols);
  let i = 0;
  // 4 rows at a time: ((((y + p0) + p1) + p2) + p3) is the same order as one row at a time
  for (; i + 4 <= rows; i += 4) {
    const o0 = i * cols, o1 = o0 + cols, o2 = o1 + cols, o3 = o2 + cols;
    const s0 = x[i], s1 = x[i + 1], s2 = x[i + 2], s3 = x[i + 3];
    for (let j = 0; j < cols; j++) {
      y[j] = y[j] + s0 * W[o0 + j] + s1 * W[o1 + j] + s2 * W[o2 + j] + s3 * W[o3 + j];
    }
  }
  for (; i < rows; i++) {
    const o = i * cols;
    const s = x[i];
    for (let j = 0; j < cols; j++) y[j] += s * W[o + j];
  }
}

export function ger(W: Float64Array, rows: number, cols: number, a: Float64Array, x: Float64Array, scale: number): void {
  const n4 = cols & ~3;
  for (let i = 0, wo = 0; i < rows; i++, wo += cols) {
    const c = scale * a[i];
    let j = 0;
    for (; j < n4; j += 4) {
      const o = wo + j;
      const w0 = W[o] + c * x[j];
      const w1 = W[o + 1] + c * x[j + 1];
      const w2 = W[o + 2] + c * x[j + 2];
      const w3 = W[o + 3] + c * x[j + 3];
      W[o] = w0;
      W[o + 1] = w1;
      W[o + 2] = w2;
      W[o + 3] = w3;
    }
    for (; j < cols; j++) W[wo + j] += c * x[j];
  }
}

export function gerGemv2(
  W: Float64Array, rows: number, cols: number, a: Float64Array, xOld: Float64Array, scale: number,
  x1: Float64Array, x2: Float64Array, y1: Float64Array, y2: Float64Array,
): void {
  const n4 = cols & ~3;
  for (let i = 0, wo = 0; i < rows; i++, wo += cols) {
    const c = scale * a[i];
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    let j = 0;
    for (; j < n4; j += 4) {
      const o = wo + j;
      const w0 = W[o] + c * xOld[j];
      const w1 = W[o + 1] + c * xOld[j + 1];
      const w2 = W[o + 2] + c * xOld[j + 2];
      const w3 = W[o + 3] + c * xOld[j + 3];
      W[o] = w0;
      W[o + 1] = w1;
      W[o + 2] = w2;
      W[o + 3] = w3;
      s0 += w0 * x1[j];
      s1 += w1 * x1[j + 1];
      s2 += w2 * x1[j + 2];
      s3 += w3 * x1[j + 3];
      t0 += w0 * x2[j];
      t1 += w1 * x2[j + 1];
      t2 += w2 * x2[j + 2];
      t3 += w3 * x2[j + 3];
    }
    let r1 = (s0 + s2) + (s1 + s3);
    let r2 = (t0 + t2) + (t1 + t3);
    for (; j < cols; j++) {
      const w = W[wo + j] + c * xOld[j];
      W[wo + j] = w;
      r1 += w * x1[j];
      r2 += w * x2[j];
    }
    y1[i] = r1;
    y2[i] = r2;
  }
}

/** The plain-TypeScript backend. */
export function createJsKernels(capacityBytes: number): Kernels {
  const cap = new Capacity(capacityBytes, 'js');
  return {
    backend: 'js',
    alloc(n: number): Float64Array {
      cap.take(n);
      return new Float64Array(n);
    },
    gemv(W, rows, cols, x, y, accumulate) {
      checkDims('gemv', rows, cols);
      checkShape('gemv', 'W', W, rows * cols);
      checkShape('gemv', 'x', x, cols);
      checkShape('gemv', 'y', y, rows);
      gemv(W, rows, cols, x, y, accumulate);
    },
    gemv2(W, rows, cols, x1, x2, y1, y2, accumulate) {
      checkDims('gemv2', rows, cols);
      checkShape('gemv2', 'W', W, rows * cols);
      checkShape('gemv2', 'x1', x1, cols);
      checkShape('gemv2', 'x2', x2, cols);
      checkShape('gemv2', 'y1', y1, rows);
      checkShape('gemv2', 'y2', y2, rows);
      gemv2(W, rows, cols, x1, x2, y1, y2, accumulate);
    },
    gemvT(W, rows, cols, x, y, accumulate) {
      checkDims('gemvT', rows, cols);
      checkShape('gemvT', 'W', W, rows * cols);
      checkShape('gemvT', 'x', x, rows);
      checkShape('gemvT', 'y', y, cols);
      gemvT(W, rows, cols, x, y, accumulate);
    },
    ger(W, rows, cols, a, x, scale) {
      checkDims('ger', rows, cols);
      checkShape('ger', 'W', W, rows * cols);
      checkShape('ger', 'a', a, rows);
      checkShape('ger', 'x', x, cols);
      ger(W, rows, cols, a, x, scale);
    },
    gerGemv2(W, rows, cols, a, xOld, scale, x1, x2, y1, y2) {
      checkDims('gerGemv2', rows, cols);
      checkShape('gerGemv2', 'W', W, rows * cols);
      checkShape('gerGemv2', 'a', a, rows);
      checkShape('gerGemv2', 'xOld', xOld, cols);
      checkShape('gerGemv2', 'x1', x1, cols);
      checkShape('gerGemv2', 'x2', x2, cols);
      checkShape('gerGemv2', 'y1', y1, rows);
      checkShape('gerGemv2', 'y2', y2, rows);
      gerGemv2(W, rows, cols, a, xOld, scale, x1, x2, y1, y2);
    },
  };
}

// Dense f64 linear-algebra kernels for the ideal model of the network (Wasm SIMD f64x2).
//
// Every function takes raw byte addresses into the imported memory (no allocation, no
// runtime, no bounds checks: the TypeScript wrapper in emulator/kernels/wasm.ts checks shapes).
// Matrices are row-major: W[i*cols + j] lives at W + 8*(i*cols + j).
//
// The summation order is part of the contract: emulator/kernels/js.ts reproduces it exactly,
// so both backends give bit-identical results. Canonical orders:
//
//  dot(w, x, n) -- four lane sums s0..s3 (two f64x2 accumulators a = (s0,s1), b = (s2,s3)):
//      for j in [0, n4) step 4 (n4 = n & ~3): s_k = s_k + w[j+k]*x[j+k]   (k = 0..3, from 0)
//      r = (s0 + s2) + (s1 + s3)
//      for j in [n4, n): r = r + w[j]*x[j]
//    gemv/gemv2/gerGemv2 store y[i] = accumulate ? y[i] + r : r.
//  gemvT -- y[j] = (accumulate ? y[j] : 0), then for i = 0..rows-1 in order: y[j] = y[j] + x[i]*W[i,j]
//  ger   -- c = scale*a[i]; W[i,j] = W[i,j] + c*x[j] (element-wise, no order issue)
//
// Row blocking (several rows sharing each x load) never changes these per-element orders.

// @ts-ignore: decorator
@inline
function hsum(a: v128, b: v128): f64 {
  const v = f64x2.add(a, b);
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// scalar tail of a dot product: r + sum_{j in [from,to)} w[j]*x[j], sequentially
// @ts-ignore: decorator
@inline
function dotTail(r: f64, w: usize, x: usize, from: usize, to: usize): f64 {
  for (let p = from; p < to; p += 8) r += load<f64>(w + p) * load<f64>(x + p);
  return r;
}

// @ts-ignore: decorator
@inline
function put(y: usize, r: f64, accumulate: bool): void {
  store<f64>(y, accumulate ? load<f64>(y) + r : r);
}

/** First free byte after the module's static data; the JS side allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** y = (accumulate ? y : 0) + W x */
export function gemv(W: usize, rows: i32, cols: i32, x: usize, y: usize, accumulate: bool): void {
  if (rows <= 0) return;
  const rowB = (<usize>max(cols, 0)) << 3;
  const n4B = rowB & ~<usize>31;
  let w0 = W;
  let yp = y;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const w1 = w0 + rowB;
    const w2 = w1 + rowB;
    const w3 = w2 + rowB;
    // a_r accumulates the current 2-element chunk, b_r the other one; they swap every chunk, so
    // after the (even) number of chunks a_r holds lanes (s0, s1) and b_r lanes (s2, s3).
    // One chunk per iteration keeps 8 accumulators + 5 loads in V8's 15 usable xmm registers.
    let a0 = f64x2.splat(0), b0 = f64x2.splat(0);
    let a1 = f64x2.splat(0), b1 = f64x2.splat(0);
    let a2 = f64x2.splat(0), b2 = f64x2.splat(0);
    let a3 = f64x2.splat(0), b3 = f64x2.splat(0);
    for (let p: usize = 0; p < n4B; p += 16) {
      const xa = v128.load(x + p);
      const n0 = f64x2.add(a0, f64x2.mul(v128.load(w0 + p), xa));
      const n1 = f64x2.add(a1, f64x2.mul(v128.load(w1 + p), xa));
      const n2 = f64x2.add(a2, f64x2.mul(v128.load(w2 + p), xa));
      const n3 = f64x2.add(a3, f64x2.mul(v128.load(w3 + p), xa));
      a0 = b0; b0 = n0;
      a1 = b1; b1 = n1;
      a2 = b2; b2 = n2;
      a3 = b3; b3 = n3;
    }
    put(yp, dotTail(hsum(a0, b0), w0, x, n4B, rowB), accumulate);
    put(yp + 8, dotTail(hsum(a1, b1), w1, x, n4B, rowB), accumulate);
    put(yp + 16, dotTail(hsum(a2, b2), w2, x, n4B, rowB), accumulate);
    put(yp + 24, dotTail(hsum(a3, b3), w3, x, n4B, rowB), accumulate);
    w0 = w3 + rowB;
    yp += 32;
  }
  for (; i < rows; i++) {
    let a0 = f64x2.splat(0), b0 = f64x2.splat(0);
    for (let p: usize = 0; p < n4B; p += 32) {
      a0 = f64x2.add(a0, f64x2.mul(v128.load(w0 + p), v128.load(x + p)));
      b0 = f64x2.add(b0, f64x2.mul(v128.load(w0 + p, 16), v128.load(x + p, 16)));
    }
    put(yp, dotTail(hsum(a0, b0), w0, x, n4B, rowB), accumulate);
    w0 += rowB;
    yp += 8;
  }
}

/** y1 = (accumulate ? y1 : 0) + W x1 and y2 likewise with x2, in one pass over W */
export function gemv2(
  W: usize, rows: i32, cols: i32, x1: usize, x2: usize, y1: usize, y2: usize, accumulate: bool,
): void {
  if (rows <= 0) return;
  const rowB = (<usize>max(cols, 0)) << 3;
  const n4B = rowB & ~<usize>31;
  // One row at a time (4 accumulators): blocking 2 rows made V8 spill accumulators, which put
  // a store-load round trip into every accumulation chain (measured 40% slower).
  let w0 = W;
  let q: usize = 0; // byte offset into y1/y2
  for (let i = 0; i < rows; i++) {
    let a0 = f64x2.splat(0), b0 = f64x2.splat(0);
    let c0 = f64x2.splat(0), d0 = f64x2.splat(0);
    for (let p: usize = 0; p < n4B; p += 32) {
      const wa = v128.load(w0 + p);
      const wb = v128.load(w0 + p, 16);
      a0 = f64x2.add(a0, f64x2.mul(wa, v128.load(x1 + p)));
      b0 = f64x2.add(b0, f64x2.mul(wb, v128.load(x1 + p, 16)));
      c0 = f64x2.add(c0, f64x2.mul(wa, v128.load(x2 + p)));
      d0 = f64x2.add(d0, f64x2.mul(wb, v128.load(x2 + p, 16)));
    }
    put(y1 + q, dotTail(hsum(a0, b0), w0, x1, n4B, rowB), accumulate);
    put(y2 + q, dotTail(hsum(c0, d0), w0, x2, n4B, rowB), accumulate);
    w0 += rowB;
    q += 8;
  }
}

/** y = (accumulate ? y : 0) + W^T x ; y has length cols. Rows are added in order 0..rows-1. */
export function gemvT(W: usize, rows: i32, cols: i32, x: usize, y: usize, accumulate: bool): void {
  if (cols <= 0) return;
  const rowB = (<usize>cols) << 3;
  const n2B = rowB & ~<usize>15;
  if (!accumulate) memory.fill(y, 0, rowB);
  let w0 = W;
  let xp = x;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const w1 = w0 + rowB;
    const w2 = w1 + rowB;
    const w3 = w2 + rowB;
    const s0 = load<f64>(xp);
    const s1 = load<f64>(xp, 8);
    const s2 = load<f64>(xp, 16);
    const s3 = load<f64>(xp, 24);
    const v0 = f64x2.splat(s0);
    const v1 = f64x2.splat(s1);
    const v2 = f64x2.splat(s2);
    const v3 = f64x2.splat(s3);
    let p: usize = 0;
    for (; p < n2B; p += 16) {
      let acc = v128.load(y + p);
      acc = f64x2.add(acc, f64x2.mul(v0, v128.load(w0 + p)));
      acc = f64x2.add(acc, f64x2.mul(v1, v128.load(w1 + p)));
      acc = f64x2.add(acc, f64x2.mul(v2, v128.load(w2 + p)));
      acc = f64x2.add(acc, f64x2.mul(v3, v128.load(w3 + p)));
      v128.store(y + p, acc);
    }
    if (p < rowB) {
      let r = load<f64>(y + p);
      r += s0 * load<f64>(w0 + p);
      r += s1 * load<f64>(w1 + p);
      r += s2 * load<f64>(w2 + p);
      r += s3 * load<f64>(w3 + p);
      store<f64>(y + p, r);
    }
    w0 = w3 + rowB;
    xp += 32;
  }
  for (; i < rows; i++) {
    const s0 = load<f64>(xp);
    const v0 = f64x2.splat(s0);
    let p: usize = 0;
    for (; p < n2B; p += 16) {
      v128.store(y + p, f64x2.add(v128.load(y + p), f64x2.mul(v0, v128.load(w0 + p))));
    }
    if (p < rowB) store<f64>(y + p, load<f64>(y + p) + s0 * load<f64>(w0 + p));
    w0 += rowB;
    xp += 8;
  }
}

// one row of the rank-1 update: w[j] = w[j] + c*x[j] for j in [0, cols)
// @ts-ignore: decorator
@inline
function gerRow(w: usize, x: usize, c: f64, rowB: usize): void {
  const cv = f64x2.splat(c);
  const n4B = rowB & ~<usize>31;
  let p: usize = 0;
  for (; p < n4B; p += 32) {
    v128.store(w + p, f64x2.add(v128.load(w + p), f64x2.mul(cv, v128.load(x + p))));
    v128.store(w + p, f64x2.add(v128.load(w + p, 16), f64x2.mul(cv, v128.load(x + p, 16))), 16);
  }
  for (; p < rowB; p += 8) store<f64>(w + p, load<f64>(w + p) + c * load<f64>(x + p));
}

/** W[i,j] = W[i,j] + (scale*a[i]) * x[j] */
export function ger(W: usize, rows: i32, cols: i32, a: usize, x: usize, scale: f64): void {
  if (rows <= 0 || cols <= 0) return;
  const rowB = (<usize>cols) << 3;
  const n4B = rowB & ~<usize>31;
  let w0 = W;
  let ap = a;
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const w1 = w0 + rowB;
    const c0 = scale * load<f64>(ap);
    const c1 = scale * load<f64>(ap, 8);
    const cv0 = f64x2.splat(c0);
    const cv1 = f64x2.splat(c1);
    let p: usize = 0;
    for (; p < n4B; p += 32) {
      const xa = v128.load(x + p);
      const xb = v128.load(x + p, 16);
      v128.store(w0 + p, f64x2.add(v128.load(w0 + p), f64x2.mul(cv0, xa)));
      v128.store(w0 + p, f64x2.add(v128.load(w0 + p, 16), f64x2.mul(cv0, xb)), 16);
      v128.store(w1 + p, f64x2.add(v128.load(w1 + p), f64x2.mul(cv1, xa)));
      v128.store(w1 + p, f64x2.add(v128.load(w1 + p, 16), f64x2.mul(cv1, xb)), 16);
    }
    for (; p < rowB; p += 8) {
      const xs = load<f64>(x + p);
      store<f64>(w0 + p, load<f64>(w0 + p) + c0 * xs);
      store<f64>(w1 + p, load<f64>(w1 + p) + c1 * xs);
    }
    w0 = w1 + rowB;
    ap += 16;
  }
  if (i < rows) gerRow(w0, x, scale * load<f64>(ap), rowB);
}

/**
 * Fused plasticity step: ger(W, a, xOld, scale) then gemv2(W, x1, x2, y1, y2, accumulate = false),
 * row by row in one pass over W (bit-identical to the two calls).
 */
export function gerGemv2(
  W: usize, rows: i32, cols: i32, a: usize, xOld: usize, scale: f64,
  x1: usize, x2: usize, y1: usize, y2: usize,
): void {
  if (rows <= 0) return;
  const rowB = (<usize>max(cols, 0)) << 3;
  const n4B = rowB & ~<usize>31;
  let w = W;
  let q: usize = 0;
  for (let i = 0; i < rows; i++) {
    const c = scale * load<f64>(a + q);
    const cv = f64x2.splat(c);
    let a0 = f64x2.splat(0), b0 = f64x2.splat(0);
    let c0 = f64x2.splat(0), d0 = f64x2.splat(0);
    let p: usize = 0;
    for (; p < n4B; p += 32) {
      const wa = f64x2.add(v128.load(w + p), f64x2.mul(cv, v128.load(xOld + p)));
      const wb = f64x2.add(v128.load(w + p, 16), f64x2.mul(cv, v128.load(xOld + p, 16)));
      v128.store(w + p, wa);
      v128.store(w + p, wb, 16);
      a0 = f64x2.add(a0, f64x2.mul(wa, v128.load(x1 + p)));
      b0 = f64x2.add(b0, f64x2.mul(wb, v128.load(x1 + p, 16)));
      c0 = f64x2.add(c0, f64x2.mul(wa, v128.load(x2 + p)));
      d0 = f64x2.add(d0, f64x2.mul(wb, v128.load(x2 + p, 16)));
    }
    let r1 = hsum(a0, b0);
    let r2 = hsum(c0, d0);
    for (; p < rowB; p += 8) {
      const ws = load<f64>(w + p) + c * load<f64>(xOld + p);
      store<f64>(w + p, ws);
      r1 += ws * load<f64>(x1 + p);
      r2 += ws * load<f64>(x2 + p);
    }
    store<f64>(y1 + q, r1);
    store<f64>(y2 + q, r2);
    w += rowB;
    q += 8;
  }
}

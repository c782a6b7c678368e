// Integer crossbar kernels of the chip emulator (Wasm SIMD v128), built to build/xbar.wasm.
//
// The crossbar holds int16 weight codes W[r][c] in row-major order with a row stride (elements):
// W[r][c] lives at W + 2*(r*stride + c). DAC codes are int16; sums are i32. All arguments are
// raw byte addresses into the imported memory: no allocation, no runtime, no bounds checks (the
// TypeScript wrapper emulator/xbar/ checks shapes, ranges and overlaps).
//
//   mvm_i16   forward     y[c] = sum_r W[r][c] * x[r]   (inputs on rows, one output per column)
//   mvmt_i16  transposed  y[r] = sum_c W[r][c] * x[c]
//   outer_i16 update      W[r][c] = clamp(W[r][c] + ((a[r]*x[c] + 2^(sh-1)) >> sh), lo, hi)
//   *_scalar  the same with plain scalar loops (for comparison; same results)
//
// Exactness contract (shared with emulator/xbar/js.ts and tools/bench/c/xbar.c):
//  - Sums are accumulated in i32 and wrap modulo 2^32. Wrapping addition is associative, so every
//    summation order (SIMD lanes, row blocks, i32x4.dot_i16x8_s pairs, whose one overflowing case
//    (-32768)^2 + (-32768)^2 also wraps) gives the same bits: SIMD, scalar and JS agree on every
//    input. The result is the exact sum whenever that sum lies in [-2^31, 2^31); the wrapper's
//    sumFitsI32() tells when a format guarantees it (16-bit x 16-bit codes over 256 rows do not).
//  - outer_i16 uses the low 16 bits of a[r] and x[c] (sign-extended): a and x are i32 slots that
//    hold int16 values. The product is then exact (|p| <= 2^30), the rounding add cannot wrap for
//    1 <= sh <= 30 (the wrapper's range), lo <= hi lie within int16, and the clamp is exact.

const ZERO: v128 = i32x4.splat(0);

/** Rows per block of the forward product (see mvm_i16). */
const RB = 16;

/** Columns of x packed per block by outer_i16 (its static scratch: XCAP i32). */
const XCAP = 4096;
const XX: usize = memory.data(XCAP * 4, 16);

/** First free byte after the module's static data; the JS side allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

// (u[0], v[0], u[1], v[1], u[2], v[2], u[3], v[3]) and the same for lanes 4..7: V8 emits one
// punpcklwd / punpckhwd for each
// @ts-ignore: decorator
@inline function lo2(u: v128, v: v128): v128 { return i16x8.shuffle(u, v, 0, 8, 1, 9, 2, 10, 3, 11); }
// @ts-ignore: decorator
@inline function hi2(u: v128, v: v128): v128 { return i16x8.shuffle(u, v, 4, 12, 5, 13, 6, 14, 7, 15); }
// @ts-ignore: decorator
@inline function dot(a: v128, b: v128): v128 { return i32x4.dot_i16x8_s(a, b); }
// @ts-ignore: decorator
@inline function add(a: v128, b: v128): v128 { return i32x4.add(a, b); }

/** (sum of a0's lanes, sum of a1's, sum of a2's, sum of a3's) */
// @ts-ignore: decorator
@inline function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = add(i32x4.shuffle(a0, a1, 0, 4, 1, 5), i32x4.shuffle(a0, a1, 2, 6, 3, 7));
  const t1 = add(i32x4.shuffle(a2, a3, 0, 4, 1, 5), i32x4.shuffle(a2, a3, 2, 6, 3, 7));
  return add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline function hsum(a: v128): i32 {
  const t = add(a, i32x4.shuffle(a, a, 2, 3, 0, 1));
  return i32x4.extract_lane(t, 0) + i32x4.extract_lane(t, 1);
}

// ---------------------------------------------------------------- forward: y = W^T-ish (columns)

/**
 * y[c] = sum_r W[r][c] * x[r], c < cols.
 *
 * Columns are contiguous, so a v128 of a row holds 8 columns; the sum runs down the rows. Two rows
 * are interleaved (punpcklwd/hi: (W[r][c], W[r+1][c]) pairs) and multiplied by the splatted pair
 * (x[r], x[r+1]) with i32x4.dot_i16x8_s: 16 products per 2 loads + 2 shuffles + 2 dots + 2 adds,
 * against 2 extmul (3 instructions each under V8) + 2 adds per 8 for the widening multiply (measured
 * 5.5 GMAC/s against 15 at 1024x1024). Four i32x4 accumulators cover a strip of 16 columns.
 *
 * Rows go in blocks of RB = 16: the strip loop then walks 16 rows of 32 bytes, and the next strip
 * finds the other half of each 64-byte line still in L1 (full-height strips re-read every line
 * from L2: 7 GMAC/s; 16-row blocks: 15; 32-row blocks with a 2 KiB stride: 8, as 32 rows then
 * share 2 of the 64 L1 sets, beyond the 8 ways). y holds the running sums between blocks.
 */
export function mvm_i16(W: usize, rows: i32, cols: i32, stride: i32, x: usize, y: usize): void {
  if (cols <= 0) return;
  memory.fill(y, 0, <usize>cols << 2);
  const rowB = <usize>stride << 1;
  const c16 = cols & ~15;
  const c8 = cols & ~7;
  for (let r0 = 0; r0 < rows; r0 += RB) {
    const nb = min(RB, rows - r0);
    const wb = W + <usize>r0 * rowB;
    const xb = x + (<usize>r0 << 1);
    const xe = xb + (<usize>(nb & ~1) << 1); // end of the row pairs; the odd row (if any) is at xe
    const odd = nb & 1;
    let c = 0;
    for (; c < c16; c += 16) {
      const yp = y + (<usize>c << 2);
      let a0 = v128.load(yp), a1 = v128.load(yp, 16), a2 = v128.load(yp, 32), a3 = v128.load(yp, 48);
      let wp = wb + (<usize>c << 1);
      for (let xp = xb; xp < xe; xp += 4) {
        const xv = v128.load32_splat(xp); // i16 lanes x[r], x[r+1], x[r], x[r+1], ...
        const wq = wp + rowB;
        const u0 = v128.load(wp), v0 = v128.load(wq);
        const u1 = v128.load(wp, 16), v1 = v128.load(wq, 16);
        a0 = add(a0, dot(lo2(u0, v0), xv));
        a1 = add(a1, dot(hi2(u0, v0), xv));
        a2 = add(a2, dot(lo2(u1, v1), xv));
        a3 = add(a3, dot(hi2(u1, v1), xv));
        wp += rowB << 1;
      }
      if (odd) { // last row of the block, paired with zeros
        const xv = i32x4.splat(<i32>load<u16>(xe));
        const u0 = v128.load(wp), u1 = v128.load(wp, 16);
        a0 = add(a0, dot(lo2(u0, ZERO), xv));
        a1 = add(a1, dot(hi2(u0, ZERO), xv));
        a2 = add(a2, dot(lo2(u1, ZERO), xv));
        a3 = add(a3, dot(hi2(u1, ZERO), xv));
      }
      v128.store(yp, a0); v128.store(yp, a1, 16); v128.store(yp, a2, 32); v128.store(yp, a3, 48);
    }
    if (c < c8) { // one strip of 8 columns
      const yp = y + (<usize>c << 2);
      let a0 = v128.load(yp), a1 = v128.load(yp, 16);
      let wp = wb + (<usize>c << 1);
      for (let xp = xb; xp < xe; xp += 4) {
        const xv = v128.load32_splat(xp);
        const u0 = v128.load(wp), v0 = v128.load(wp + rowB);
        a0 = add(a0, dot(lo2(u0, v0), xv));
        a1 = add(a1, dot(hi2(u0, v0), xv));
        wp += rowB << 1;
      }
      if (odd) {
        const xv = i32x4.splat(<i32>load<u16>(xe));
        const u0 = v128.load(wp);
        a0 = add(a0, dot(lo2(u0, ZERO), xv));
        a1 = add(a1, dot(hi2(u0, ZERO), xv));
      }
      v128.store(yp, a0); v128.store(yp, a1, 16);
    }
    for (c = c8; c < cols; c++) { // last cols % 8 columns
      const yp = y + (<usize>c << 2);
      let s = load<i32>(yp);
      let wp = wb + (<usize>c << 1);
      for (let i = 0; i < nb; i++) {
        s += <i32>load<i16>(wp) * <i32>load<i16>(xb + (<usize>i << 1));
        wp += rowB;
      }
      store<i32>(yp, s);
    }
  }
}

// ---------------------------------------------------------------- transposed: y = W x (rows)

/** sum_{c in [from, to)} W[c]*x[c] for one row (byte offsets from, to) */
// @ts-ignore: decorator
@inline function dotTail(w: usize, x: usize, from: usize, to: usize): i32 {
  let s = 0;
  for (let p = from; p < to; p += 2) s += <i32>load<i16>(w + p) * <i32>load<i16>(x + p);
  return s;
}

/**
 * y[r] = sum_c W[r][c] * x[c], r < rows.
 *
 * Rows are contiguous: i32x4.dot_i16x8_s of 8 weights with 8 inputs gives 4 partial sums (pmaddwd).
 * Four rows share each x load (four accumulators; eight spill V8's xmm registers), 32 columns per
 * step: 4 x loads, 16 weight loads, 16 dots, 16 adds per 128 products. Against 16 columns per
 * step: 21.5 against 20 GMAC/s at 1024x1024, 25 against 17 at 256x256 (fewer loop iterations).
 */
export function mvmt_i16(W: usize, rows: i32, cols: i32, stride: i32, x: usize, y: usize): void {
  if (rows <= 0) return;
  const rowB = <usize>stride << 1;
  const nB = <usize>max(cols, 0) << 1;
  const n32 = nB & ~<usize>63;
  const n8 = nB & ~<usize>15;
  let w0 = W;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const w1 = w0 + rowB, w2 = w1 + rowB, w3 = w2 + rowB;
    let a0 = ZERO, a1 = ZERO, a2 = ZERO, a3 = ZERO;
    let p: usize = 0;
    for (; p < n32; p += 64) {
      let xv = v128.load(x + p);
      a0 = add(a0, dot(v128.load(w0 + p), xv)); a1 = add(a1, dot(v128.load(w1 + p), xv));
      a2 = add(a2, dot(v128.load(w2 + p), xv)); a3 = add(a3, dot(v128.load(w3 + p), xv));
      xv = v128.load(x + p, 16);
      a0 = add(a0, dot(v128.load(w0 + p, 16), xv)); a1 = add(a1, dot(v128.load(w1 + p, 16), xv));
      a2 = add(a2, dot(v128.load(w2 + p, 16), xv)); a3 = add(a3, dot(v128.load(w3 + p, 16), xv));
      xv = v128.load(x + p, 32);
      a0 = add(a0, dot(v128.load(w0 + p, 32), xv)); a1 = add(a1, dot(v128.load(w1 + p, 32), xv));
      a2 = add(a2, dot(v128.load(w2 + p, 32), xv)); a3 = add(a3, dot(v128.load(w3 + p, 32), xv));
      xv = v128.load(x + p, 48);
      a0 = add(a0, dot(v128.load(w0 + p, 48), xv)); a1 = add(a1, dot(v128.load(w1 + p, 48), xv));
      a2 = add(a2, dot(v128.load(w2 + p, 48), xv)); a3 = add(a3, dot(v128.load(w3 + p, 48), xv));
    }
    for (; p < n8; p += 16) {
      const xv = v128.load(x + p);
      a0 = add(a0, dot(v128.load(w0 + p), xv)); a1 = add(a1, dot(v128.load(w1 + p), xv));
      a2 = add(a2, dot(v128.load(w2 + p), xv)); a3 = add(a3, dot(v128.load(w3 + p), xv));
    }
    let s = hsum4(a0, a1, a2, a3);
    if (n8 < nB) {
      s = i32x4.replace_lane(s, 0, i32x4.extract_lane(s, 0) + dotTail(w0, x, n8, nB));
      s = i32x4.replace_lane(s, 1, i32x4.extract_lane(s, 1) + dotTail(w1, x, n8, nB));
      s = i32x4.replace_lane(s, 2, i32x4.extract_lane(s, 2) + dotTail(w2, x, n8, nB));
      s = i32x4.replace_lane(s, 3, i32x4.extract_lane(s, 3) + dotTail(w3, x, n8, nB));
    }
    v128.store(y + (<usize>r << 2), s);
    w0 = w3 + rowB;
  }
  for (; r < rows; r++) { // last rows % 4 rows, one at a time
    let a0 = ZERO, a1 = ZERO;
    let p: usize = 0;
    for (; p < n32; p += 64) {
      a0 = add(a0, dot(v128.load(w0 + p), v128.load(x + p)));
      a1 = add(a1, dot(v128.load(w0 + p, 16), v128.load(x + p, 16)));
      a0 = add(a0, dot(v128.load(w0 + p, 32), v128.load(x + p, 32)));
      a1 = add(a1, dot(v128.load(w0 + p, 48), v128.load(x + p, 48)));
    }
    for (; p < n8; p += 16) a0 = add(a0, dot(v128.load(w0 + p), v128.load(x + p)));
    store<i32>(y + (<usize>r << 2), hsum(add(a0, a1)) + dotTail(w0, x, n8, nB));
    w0 += rowB;
  }
}

// ---------------------------------------------------------------- outer-product update

/**
 * Rows of the update over one block of n <= XCAP columns whose x is packed in XX as i16 pairs
 * (x[c], B). With ap = (a[r], C) in every i32 lane and B*C = 2^(sh-1), one i32x4.dot_i16x8_s gives
 * a[r]*x[c] + 2^(sh-1) (the rounded product before the shift): one pmaddwd instead of a multiply
 * and an add. W is widened to i32, the shifted product added, the sum narrowed back with signed
 * saturation (exact: the clamp bounds lie within int16) and clamped in i16 lanes.
 *
 * `sh` is a compile-time constant at every call site (see outerBlock): V8 emits a variable v128
 * shift as 3 extra instructions (mask, move to xmm, shift by xmm) per use; constant shifts
 * measured 4.6 against 3.5 G updates/s at 1024x1024.
 */
// @ts-ignore: decorator
@inline function outerRows(
  W: usize, rows: i32, n: i32, stride: i32, a: usize, sh: i32, lo: i32, hi: i32, C: i32,
): void {
  const rowB = <usize>stride << 1;
  const nB = <usize>n << 1;
  const n16 = nB & ~<usize>31;
  const n8 = nB & ~<usize>15;
  const lov = i16x8.splat(<i16>lo), hiv = i16x8.splat(<i16>hi);
  let wp = W;
  let ap4 = a;
  for (let r = 0; r < rows; r++) {
    const ar = load<i32>(ap4);
    const ap = i32x4.splat((ar & 0xffff) | (C << 16));
    let q = XX;
    let p: usize = 0;
    for (; p < n16; p += 32) { // 16 columns per step (8: 15% slower, loop overhead)
      let w = v128.load(wp + p);
      let d0 = i32x4.shr_s(dot(v128.load(q), ap), sh);
      let d1 = i32x4.shr_s(dot(v128.load(q, 16), ap), sh);
      let s = i16x8.narrow_i32x4_s(add(i32x4.extend_low_i16x8_s(w), d0), add(i32x4.extend_high_i16x8_s(w), d1));
      v128.store(wp + p, i16x8.min_s(i16x8.max_s(s, lov), hiv));
      w = v128.load(wp + p, 16);
      d0 = i32x4.shr_s(dot(v128.load(q, 32), ap), sh);
      d1 = i32x4.shr_s(dot(v128.load(q, 48), ap), sh);
      s = i16x8.narrow_i32x4_s(add(i32x4.extend_low_i16x8_s(w), d0), add(i32x4.extend_high_i16x8_s(w), d1));
      v128.store(wp + p, i16x8.min_s(i16x8.max_s(s, lov), hiv), 16);
      q += 64;
    }
    if (p < n8) {
      const w = v128.load(wp + p);
      const d0 = i32x4.shr_s(dot(v128.load(q), ap), sh);
      const d1 = i32x4.shr_s(dot(v128.load(q, 16), ap), sh);
      const s = i16x8.narrow_i32x4_s(add(i32x4.extend_low_i16x8_s(w), d0), add(i32x4.extend_high_i16x8_s(w), d1));
      v128.store(wp + p, i16x8.min_s(i16x8.max_s(s, lov), hiv));
    }
    if (n8 < nB) outerTail(wp, <i32>(n8 >> 1), n, <i32><i16>ar, sh, lo, hi);
    wp += rowB;
    ap4 += 4;
  }
}

/** scalar update of columns [from, to) of one row, x from the packed XX */
function outerTail(w: usize, from: i32, to: i32, ar: i32, sh: i32, lo: i32, hi: i32): void {
  const bias = 1 << (sh - 1);
  for (let c = from; c < to; c++) {
    const q = w + (<usize>c << 1);
    let s = <i32>load<i16>(q) + ((ar * <i32>load<i16>(XX + (<usize>c << 2)) + bias) >> sh);
    s = s < lo ? lo : s;
    s = s > hi ? hi : s;
    store<i16>(q, <i16>s);
  }
}

/** XX[c] = (low 16 bits of x[c]) | B << 16, c < n */
function packX(x: usize, n: i32, B: i32): void {
  const mask = i32x4.splat(0xffff), hiB = i32x4.splat(B << 16);
  const nB = <usize>n << 2;
  const n4 = nB & ~<usize>15;
  let p: usize = 0;
  for (; p < n4; p += 16) v128.store(XX + p, v128.or(v128.and(v128.load(x + p), mask), hiB));
  for (; p < nB; p += 4) store<i32>(XX + p, (load<i32>(x + p) & 0xffff) | (B << 16));
}

// one instantiation of outerRows per shift, so that every shift is a constant
function rows1(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 1, lo, hi, C); }
function rows2(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 2, lo, hi, C); }
function rows3(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 3, lo, hi, C); }
function rows4(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 4, lo, hi, C); }
function rows5(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 5, lo, hi, C); }
function rows6(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 6, lo, hi, C); }
function rows7(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 7, lo, hi, C); }
function rows8(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 8, lo, hi, C); }
function rows9(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 9, lo, hi, C); }
function rows10(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 10, lo, hi, C); }
function rows11(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 11, lo, hi, C); }
function rows12(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 12, lo, hi, C); }
function rows13(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 13, lo, hi, C); }
function rows14(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 14, lo, hi, C); }
function rows15(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 15, lo, hi, C); }
function rows16(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 16, lo, hi, C); }
function rows17(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 17, lo, hi, C); }
function rows18(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 18, lo, hi, C); }
function rows19(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 19, lo, hi, C); }
function rows20(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 20, lo, hi, C); }
function rows21(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 21, lo, hi, C); }
function rows22(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 22, lo, hi, C); }
function rows23(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 23, lo, hi, C); }
function rows24(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 24, lo, hi, C); }
function rows25(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 25, lo, hi, C); }
function rows26(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 26, lo, hi, C); }
function rows27(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 27, lo, hi, C); }
function rows28(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 28, lo, hi, C); }
function rows29(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 29, lo, hi, C); }
function rows30(W: usize, rows: i32, n: i32, stride: i32, a: usize, lo: i32, hi: i32, C: i32): void { outerRows(W, rows, n, stride, a, 30, lo, hi, C); }
function outerBlock(W: usize, rows: i32, n: i32, stride: i32, a: usize, sh: i32, lo: i32, hi: i32, C: i32): void {
  switch (sh) {
    case 1: rows1(W, rows, n, stride, a, lo, hi, C); break;
    case 2: rows2(W, rows, n, stride, a, lo, hi, C); break;
    case 3: rows3(W, rows, n, stride, a, lo, hi, C); break;
    case 4: rows4(W, rows, n, stride, a, lo, hi, C); break;
    case 5: rows5(W, rows, n, stride, a, lo, hi, C); break;
    case 6: rows6(W, rows, n, stride, a, lo, hi, C); break;
    case 7: rows7(W, rows, n, stride, a, lo, hi, C); break;
    case 8: rows8(W, rows, n, stride, a, lo, hi, C); break;
    case 9: rows9(W, rows, n, stride, a, lo, hi, C); break;
    case 10: rows10(W, rows, n, stride, a, lo, hi, C); break;
    case 11: rows11(W, rows, n, stride, a, lo, hi, C); break;
    case 12: rows12(W, rows, n, stride, a, lo, hi, C); break;
    case 13: rows13(W, rows, n, stride, a, lo, hi, C); break;
    case 14: rows14(W, rows, n, stride, a, lo, hi, C); break;
    case 15: rows15(W, rows, n, stride, a, lo, hi, C); break;
    case 16: rows16(W, rows, n, stride, a, lo, hi, C); break;
    case 17: rows17(W, rows, n, stride, a, lo, hi, C); break;
    case 18: rows18(W, rows, n, stride, a, lo, hi, C); break;
    case 19: rows19(W, rows, n, stride, a, lo, hi, C); break;
    case 20: rows20(W, rows, n, stride, a, lo, hi, C); break;
    case 21: rows21(W, rows, n, stride, a, lo, hi, C); break;
    case 22: rows22(W, rows, n, stride, a, lo, hi, C); break;
    case 23: rows23(W, rows, n, stride, a, lo, hi, C); break;
    case 24: rows24(W, rows, n, stride, a, lo, hi, C); break;
    case 25: rows25(W, rows, n, stride, a, lo, hi, C); break;
    case 26: rows26(W, rows, n, stride, a, lo, hi, C); break;
    case 27: rows27(W, rows, n, stride, a, lo, hi, C); break;
    case 28: rows28(W, rows, n, stride, a, lo, hi, C); break;
    case 29: rows29(W, rows, n, stride, a, lo, hi, C); break;
    default: rows30(W, rows, n, stride, a, lo, hi, C); break;
  }
}

/**
 * W[r][c] = clamp(W[r][c] + ((a[r]*x[c] + 2^(sh-1)) >> sh), lo, hi) for r < rows, c < cols;
 * a and x are i32 arrays, of which the low 16 bits are used. Preconditions (checked by the
 * wrapper): 1 <= sh <= 30, -32768 <= lo <= hi <= 32767.
 * Not reentrant across threads sharing one memory: x is packed into the module's static XX.
 */
export function outer_i16(
  W: usize, rows: i32, cols: i32, stride: i32, a: usize, x: usize, sh: i32, lo: i32, hi: i32,
): void {
  if (rows <= 0 || cols <= 0) return;
  // 2^(sh-1) as a product B*C of two int16 (both at most 2^14 in size, or -2^14 * -2^15 for sh 30)
  let B: i32, C: i32;
  if (sh <= 15) { B = 1 << (sh - 1); C = 1; }
  else if (sh <= 29) { B = 1 << 14; C = 1 << (sh - 15); }
  else { B = -(1 << 14); C = -(1 << 15); }
  for (let c0 = 0; c0 < cols; c0 += XCAP) {
    const n = min(XCAP, cols - c0);
    packX(x + (<usize>c0 << 2), n, B);
    outerBlock(W + (<usize>c0 << 1), rows, n, stride, a, sh, lo, hi, C);
  }
}

// ---------------------------------------------------------------- scalar versions

/** mvm_i16 with plain loops (row by row, y as accumulator) */
export function mvm_i16_scalar(W: usize, rows: i32, cols: i32, stride: i32, x: usize, y: usize): void {
  if (cols <= 0) return;
  memory.fill(y, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    const xr = <i32>load<i16>(x + (<usize>r << 1));
    const wp = W + ((<usize>r * <usize>stride) << 1);
    for (let c = 0; c < cols; c++) {
      const q = y + (<usize>c << 2);
      store<i32>(q, load<i32>(q) + <i32>load<i16>(wp + (<usize>c << 1)) * xr);
    }
  }
}

/** mvmt_i16 with plain loops (one dot product per row) */
export function mvmt_i16_scalar(W: usize, rows: i32, cols: i32, stride: i32, x: usize, y: usize): void {
  for (let r = 0; r < rows; r++) {
    const wp = W + ((<usize>r * <usize>stride) << 1);
    let s = 0;
    for (let c = 0; c < cols; c++) s += <i32>load<i16>(wp + (<usize>c << 1)) * <i32>load<i16>(x + (<usize>c << 1));
    store<i32>(y + (<usize>r << 2), s);
  }
}

/** outer_i16 with plain loops (a[r], x[c]: low 16 bits, loaded as i16 from the i32 slots) */
export function outer_i16_scalar(
  W: usize, rows: i32, cols: i32, stride: i32, a: usize, x: usize, sh: i32, lo: i32, hi: i32,
): void {
  const bias = 1 << (sh - 1);
  for (let r = 0; r < rows; r++) {
    const ar = <i32>load<i16>(a + (<usize>r << 2));
    const wp = W + ((<usize>r * <usize>stride) << 1);
    for (let c = 0; c < cols; c++) {
      const q = wp + (<usize>c << 1);
      let s = <i32>load<i16>(q) + ((ar * <i32>load<i16>(x + (<usize>c << 2)) + bias) >> sh);
      s = s < lo ? lo : s;
      s = s > hi ? hi : s;
      store<i16>(q, <i16>s);
    }
  }
}

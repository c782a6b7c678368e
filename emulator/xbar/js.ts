// Plain TypeScript twin of the integer crossbar kernels (assembly/xbar/index.ts): same arguments
// (typed arrays instead of addresses, element offsets 0), same results bit for bit.
//
// Why the results are identical without emulating i32 arithmetic step by step:
//  - mvm/mvmt: every product of two int16 is exact in a double (|p| <= 2^30) and so is every
//    partial sum (cols * 2^30 < 2^53). Storing into an Int32Array applies ToInt32, i.e. reduces
//    modulo 2^32, which is what the Wasm kernels' wrapping i32 additions compute in any order.
//    mvm adds into y[c] row by row; each store wraps, and wrapping after every step or once at the
//    end gives the same value modulo 2^32.
//  - outer: `(v << 16) >> 16` takes the low 16 bits sign-extended, like the i16 loads of the
//    Wasm kernels; `>>` applies ToInt32 to p + bias first, like the i32 add.
// No allocation: the loops only index the arrays they are given.

/** y[c] = sum_r W[r*stride + c] * x[r] (mod 2^32) for c < cols */
export function mvm_i16(
  W: Int16Array, rows: number, cols: number, stride: number, x: Int16Array, y: Int32Array,
): void {
  y.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const xr = x[r];
    const o = r * stride;
    for (let c = 0; c < cols; c++) y[c] += W[o + c] * xr;
  }
}

/** y[r] = sum_c W[r*stride + c] * x[c] (mod 2^32) for r < rows */
export function mvmt_i16(
  W: Int16Array, rows: number, cols: number, stride: number, x: Int16Array, y: Int32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * stride;
    let s = 0;
    for (let c = 0; c < cols; c++) s += W[o + c] * x[c];
    y[r] = s; // ToInt32: the exact sum modulo 2^32
  }
}

/**
 * W[r*stride + c] = clamp(W + ((a16[r]*x16[c] + 2^(sh-1)) >> sh), lo, hi) with a16, x16 the low
 * 16 bits of a[r], x[c] (sign-extended); 1 <= sh <= 30, -32768 <= lo <= hi <= 32767.
 */
export function outer_i16(
  W: Int16Array, rows: number, cols: number, stride: number, a: Int32Array, x: Int32Array,
  sh: number, lo: number, hi: number,
): void {
  const bias = 1 << (sh - 1);
  for (let r = 0; r < rows; r++) {
    const ar = (a[r] << 16) >> 16;
    const o = r * stride;
    for (let c = 0; c < cols; c++) {
      let s = W[o + c] + ((ar * ((x[c] << 16) >> 16) + bias) >> sh);
      s = s < lo ? lo : s;
      s = s > hi ? hi : s;
      W[o + c] = s;
    }
  }
}

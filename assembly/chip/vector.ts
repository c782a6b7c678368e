// The digital vector unit: one function per instruction of docs/isa.md that computes on vector
// memory, as emulator/chip/datapath.ts reads them (same operations, same order of rounding draws:
// elements in increasing index, the innermost rnd first). Every instruction reads its inputs
// before it writes: results go straight to dst when no source lies just below it (then no
// element is read after an earlier one overwrote it), otherwise through the OUT scratch vector.
import * as I from '../isa.generated';
import { rnd, rndWide, sat, scl, shlSat } from './arith';
import { LUT_ENTRIES, LUT_N, LUT_OUT_SHIFT, LUT_SHIFT, LUT_XMIN } from './layout';
import { OUT, word, wordAt } from './state';

// @ts-ignore: decorator
@inline function clobbers(dst: i32, src: i32, len: i32): bool {
  return dst > src && dst < src + len;
}

/** Where the results of an instruction writing dst[0 .. len) from sources a, b, c go. */
// @ts-ignore: decorator
@inline function resultsAt(dst: i32, len: i32, a: i32, b: i32, c: i32): usize {
  return clobbers(dst, a, len) || clobbers(dst, b, len) || clobbers(dst, c, len) ? OUT : wordAt(dst);
}

// @ts-ignore: decorator
@inline function commit(at: usize, dst: i32, len: i32): void {
  if (at == OUT) memory.copy(wordAt(dst), OUT, <usize>len << 2);
}

// @ts-ignore: decorator
@inline function put(at: usize, i: i32, v: i64): void {
  store<i32>(at + (<usize>i << 2), <i32>v);
}

/** the product of two words or a word and an immediate: exact, |p| <= 2^62 */
// @ts-ignore: decorator
@inline function mul(a: i64, b: i64): i64 {
  return a * b;
}

/** v + rnd(k * sat(target - v), sh), saturated: lpf, leak and std relax v toward a target */
// @ts-ignore: decorator
@inline function relax(v: i64, target: i64, k: i64, sh: i32): i64 {
  return sat(v + rnd(mul(k, sat(target - v)), sh));
}

/** lut[slot](x) for the LUT_ record at t: clamped, interpolated, scaled to state, saturated */
function lut(t: usize, x: i64): i64 {
  const xMin = <i64>load<i32>(t + LUT_XMIN);
  const shift = load<i32>(t + LUT_SHIFT);
  const n = <i64>load<i32>(t + LUT_N);
  const entries = <usize>load<i32>(t + LUT_ENTRIES);
  // the load check keeps |xMin| + (n - 1) 2^shift <= 2^53
  const step: i64 = 1 << <i64>shift;
  const top = xMin + (n - 1) * step;
  const xc = x < xMin ? xMin : x > top ? top : x;
  let i = (xc - xMin) >> <i64>shift;
  if (i > n - 2) i = n - 2;
  const f = xc - xMin - i * step; // = step at the top end, where y = e[n-1]
  const lo = <i64>load<i32>(entries + (<usize>i << 2));
  const d = <i64>load<i32>(entries + (<usize>(i + 1) << 2)) - lo;
  // |d| < 2^32 and f <= 2^shift: the product fits an i64 up to shift 31 (every image file)
  const y = lo + (shift <= 31 ? rnd(d * f, shift) : rndWide(d, f, shift));
  return sat(scl(y, load<i32>(t + LUT_OUT_SHIFT)));
}

export function vcopy(w0: u64, w1: u64): void {
  memory.copy(wordAt(I.vcopy_dst(w0, w1)), wordAt(I.vcopy_a(w0, w1)), <usize>I.vcopy_len(w0, w1) << 2);
}

export function vset(w0: u64, w1: u64): void {
  const at = wordAt(I.vset_dst(w0, w1));
  const len = <i32>I.vset_len(w0, w1);
  const imm = <i64>I.vset_imm(w0, w1);
  // sat per element, as the reference maps it: every clamp counts
  for (let i = 0; i < len; i++) put(at, i, sat(imm));
}

export function seti(w0: u64, w1: u64): void {
  store<i32>(wordAt(I.seti_dst(w0, w1)), I.seti_imm(w0, w1));
}

export function vadd(w0: u64, w1: u64): void {
  const dst = <i32>I.vadd_dst(w0, w1), a = <i32>I.vadd_a(w0, w1), b = <i32>I.vadd_b(w0, w1), len = <i32>I.vadd_len(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  for (let i = 0; i < len; i++) put(at, i, sat(word(a + i) + word(b + i)));
  commit(at, dst, len);
}

export function vsub(w0: u64, w1: u64): void {
  const dst = <i32>I.vsub_dst(w0, w1), a = <i32>I.vsub_a(w0, w1), b = <i32>I.vsub_b(w0, w1), len = <i32>I.vsub_len(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  for (let i = 0; i < len; i++) put(at, i, sat(word(a + i) - word(b + i)));
  commit(at, dst, len);
}

export function vmul(w0: u64, w1: u64): void {
  const dst = <i32>I.vmul_dst(w0, w1), a = <i32>I.vmul_a(w0, w1), b = <i32>I.vmul_b(w0, w1), len = <i32>I.vmul_len(w0, w1);
  const sh = <i32>I.vmul_sh(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  for (let i = 0; i < len; i++) put(at, i, sat(rnd(mul(word(a + i), word(b + i)), sh)));
  commit(at, dst, len);
}

export function vmuli(w0: u64, w1: u64): void {
  const dst = <i32>I.vmuli_dst(w0, w1), a = <i32>I.vmuli_a(w0, w1), len = <i32>I.vmuli_len(w0, w1);
  const imm = <i64>I.vmuli_imm(w0, w1), sh = <i32>I.vmuli_sh(w0, w1);
  const at = resultsAt(dst, len, a, a, a);
  for (let i = 0; i < len; i++) put(at, i, sat(rnd(mul(word(a + i), imm), sh)));
  commit(at, dst, len);
}

export function vaxpy(w0: u64, w1: u64): void {
  const dst = <i32>I.vaxpy_dst(w0, w1), a = <i32>I.vaxpy_a(w0, w1), b = <i32>I.vaxpy_b(w0, w1), len = <i32>I.vaxpy_len(w0, w1);
  const imm = <i64>I.vaxpy_imm(w0, w1), sh = <i32>I.vaxpy_sh(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  for (let i = 0; i < len; i++) put(at, i, sat(word(a + i) + rnd(mul(imm, word(b + i)), sh)));
  commit(at, dst, len);
}

export function vshl(w0: u64, w1: u64): void {
  const dst = <i32>I.vshl_dst(w0, w1), a = <i32>I.vshl_a(w0, w1), len = <i32>I.vshl_len(w0, w1), sh = <i32>I.vshl_sh(w0, w1);
  const at = resultsAt(dst, len, a, a, a);
  for (let i = 0; i < len; i++) put(at, i, sat(shlSat(word(a + i), sh)));
  commit(at, dst, len);
}

export function vshr(w0: u64, w1: u64): void {
  const dst = <i32>I.vshr_dst(w0, w1), a = <i32>I.vshr_a(w0, w1), len = <i32>I.vshr_len(w0, w1), sh = <i32>I.vshr_sh(w0, w1);
  const at = resultsAt(dst, len, a, a, a);
  for (let i = 0; i < len; i++) put(at, i, sat(rnd(word(a + i), sh)));
  commit(at, dst, len);
}

export function vclip(w0: u64, w1: u64): void {
  const dst = <i32>I.vclip_dst(w0, w1), a = <i32>I.vclip_a(w0, w1), len = <i32>I.vclip_len(w0, w1);
  const lo = <i64>I.vclip_lo(w0, w1), hi = <i64>I.vclip_hi(w0, w1);
  const at = resultsAt(dst, len, a, a, a);
  for (let i = 0; i < len; i++) {
    // min(max(x, lo), hi): hi wins when lo > hi
    const x = word(a + i);
    const m = x > lo ? x : lo;
    put(at, i, m < hi ? m : hi);
  }
  commit(at, dst, len);
}

export function vlut(w0: u64, w1: u64, table: usize): void {
  const dst = <i32>I.vlut_dst(w0, w1), a = <i32>I.vlut_a(w0, w1), len = <i32>I.vlut_len(w0, w1);
  const at = resultsAt(dst, len, a, a, a);
  for (let i = 0; i < len; i++) put(at, i, lut(table, word(a + i)));
  commit(at, dst, len);
}

export function lpf(w0: u64, w1: u64): void {
  const x = <i32>I.lpf_x(w0, w1), input = <i32>I.lpf_in(w0, w1), len = <i32>I.lpf_len(w0, w1);
  const k = <i64>I.lpf_k(w0, w1), sh = <i32>I.lpf_sh(w0, w1);
  const at = resultsAt(x, len, x, input, input);
  for (let i = 0; i < len; i++) put(at, i, relax(word(x + i), word(input + i), k, sh));
  commit(at, x, len);
}

export function leak(w0: u64, w1: u64): void {
  const u = <i32>I.leak_u(w0, w1), drive = <i32>I.leak_drive(w0, w1), kvec = <i32>I.leak_kvec(w0, w1);
  const len = <i32>I.leak_len(w0, w1), sh = <i32>I.leak_sh(w0, w1);
  const at = resultsAt(u, len, u, drive, kvec);
  for (let i = 0; i < len; i++) put(at, i, relax(word(u + i), word(drive + i), word(kvec + i), sh));
  commit(at, u, len);
}

export function std(w0: u64, w1: u64, table: usize): void {
  const v = <i32>I.std_v(w0, w1), rbar = <i32>I.std_rbar(w0, w1), len = <i32>I.std_len(w0, w1);
  const k = <i64>I.std_k(w0, w1), sh = <i32>I.std_sh(w0, w1);
  const at = resultsAt(v, len, v, rbar, rbar);
  for (let i = 0; i < len; i++) {
    // the table's draws (interpolation, then its output scaling) come before the relaxation's
    const target = lut(table, word(rbar + i));
    put(at, i, relax(word(v + i), target, k, sh));
  }
  commit(at, v, len);
}

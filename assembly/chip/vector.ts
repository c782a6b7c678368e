// The digital vector unit: one function per instruction of docs/isa.md that computes on vector
// memory, as emulator/chip/datapath.ts reads them (same operations, same order of rounding draws:
// elements in increasing index, the innermost rnd first). Every instruction reads its inputs
// before it writes: results go straight to dst when no source lies just below it (then no
// element is read after an earlier one overwrote it), otherwise through the OUT scratch vector.
import * as I from '../isa.generated';
import { BEYOND, rnd, rndWide, sat, scl, shlSat } from './arith';
import { LUT_ENTRIES, LUT_N, LUT_OUT_SHIFT, LUT_SHIFT, LUT_STEP_MAX, LUT_XMIN, ROUND_FLOOR, ROUND_NEAREST_EVEN } from './layout';
import { maxAbsWords } from './lanes';
import { copyWords, OUT, pin, word, wordAt } from './state';
import * as S from './state';

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
  if (at == OUT) copyWords(wordAt(dst), OUT, len);
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

/**
 * lut[slot](x) from the fields of a LUT_ record (xMin, shift, n, entries, outShift): clamped,
 * interpolated, scaled to state, saturated. Inlined, so vlut reads the record once per
 * instruction instead of once per element (the same operations and draws per element).
 */
// @ts-ignore: decorator
@inline function lutOf(xMin: i64, shift: i32, n: i64, entries: usize, outShift: i32, x: i64): i64 {
  // the load check keeps |xMin| + (n - 1) 2^shift <= 2^53
  const step: i64 = 1 << <i64>shift;
  const top = xMin + (n - 1) * step;
  // selects, not branches: whether x lies below, inside or above the table varies from element to element
  const xc = select<i64>(xMin, select<i64>(top, x, x > top), x < xMin);
  let i = (xc - xMin) >> <i64>shift;
  i = select<i64>(n - 2, i, i > n - 2);
  const f = xc - xMin - i * step; // = step at the top end, where y = e[n-1]
  const lo = <i64>load<i32>(entries + (<usize>i << 2));
  const d = <i64>load<i32>(entries + (<usize>(i + 1) << 2)) - lo;
  // |d| < 2^32 and f <= 2^shift: the product fits an i64 up to shift 31 (every image file)
  const y = lo + (shift <= 31 ? rnd(d * f, shift) : rndWide(d, f, shift));
  // scl(y, outShift), with shlSat's common case inline: y 2^s within BEYOND is y << s (y = 0 included)
  if (outShift >= 0 && outShift < 62) {
    const lim = BEYOND >> <i64>outShift;
    if (y <= lim && y >= -lim) return sat(y << <i64>outShift);
  }
  return sat(scl(y, outShift));
}

/** lut[slot](x) for the LUT_ record at t */
function lut(t: usize, x: i64): i64 {
  return lutOf(<i64>load<i32>(t + LUT_XMIN), load<i32>(t + LUT_SHIFT), <i64>load<i32>(t + LUT_N), <usize>load<i32>(t + LUT_ENTRIES), load<i32>(t + LUT_OUT_SHIFT), x);
}

export function vcopy(w0: u64, w1: u64): void {
  copyWords(wordAt(I.vcopy_dst(w0, w1)), wordAt(I.vcopy_a(w0, w1)), <i32>I.vcopy_len(w0, w1));
}

export function vset(w0: u64, w1: u64): void {
  const at = wordAt(I.vset_dst(w0, w1));
  const len = <i32>I.vset_len(w0, w1);
  const imm = <i64>I.vset_imm(w0, w1);
  // sat per element, as the reference maps it: every clamp counts, so len clamps or none
  if (len == 0) return;
  const v = <i32>sat(imm);
  if (<i64>v != imm) S.stateSaturations += <f64>(len - 1);
  const quads = len & ~3;
  const splat = i32x4.splat(v);
  for (let i = 0; i < quads; i += 4) v128.store(at + (<usize>i << 2), splat);
  for (let i = quads; i < len; i++) store<i32>(at + (<usize>i << 2), v);
}

export function seti(w0: u64, w1: u64): void {
  store<i32>(wordAt(I.seti_dst(w0, w1)), I.seti_imm(w0, w1));
}

export function vadd(w0: u64, w1: u64): void {
  const dst = <i32>I.vadd_dst(w0, w1), a = <i32>I.vadd_a(w0, w1), b = <i32>I.vadd_b(w0, w1), len = <i32>I.vadd_len(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  const first = addSub4<i32>(at, len, wordAt(a), wordAt(b));
  for (let i = first; i < len; i++) put(at, i, sat(word(a + i) + word(b + i)));
  commit(at, dst, len);
}

export function vsub(w0: u64, w1: u64): void {
  const dst = <i32>I.vsub_dst(w0, w1), a = <i32>I.vsub_a(w0, w1), b = <i32>I.vsub_b(w0, w1), len = <i32>I.vsub_len(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  const first = addSub4<u32>(at, len, wordAt(a), wordAt(b));
  for (let i = first; i < len; i++) put(at, i, sat(word(a + i) - word(b + i)));
  commit(at, dst, len);
}

/**
 * vadd (ADD signed) or vsub in i32x4 lanes for i < len & ~3, when the state format is narrower than
 * 32 bits: a +- b saturated to i32 first (on overflow, the limit of the exact result's sign), which
 * leaves the state range on the same side as the exact sum, then clamped to it with every clamp
 * counted per lane: sat() of the scalar loop, four elements per step (their inputs are read before
 * their results are written; see resultsAt). Returns the first element it did not compute (0 when
 * the state format is 32 bits wide).
 */
// @ts-ignore: decorator
@inline function addSub4<ADD>(at: usize, len: i32, a: usize, b: usize): i32 {
  const quads = len & ~3;
  // nothing to pin for (chain's vectors are 3 words long)
  if (quads == 0 || S.stateMin <= -2147483648 || S.stateMax >= 2147483647) return 0;
  const min = pin(0, i32x4.splat(<i32>S.stateMin)), max = pin(1, i32x4.splat(<i32>S.stateMax));
  const limit = pin(2, i32x4.splat(0x7fffffff));
  let count = i32x4.splat(0);
  for (let i = 0; i < quads; i += 4) {
    const off = <usize>i << 2;
    const x = v128.load(a + off), y = v128.load(b + off);
    let v: v128;
    if (isSigned<ADD>()) {
      // overflow: x and y of one sign, the wrapped sum of the other; the exact sum has x's sign
      v = i32x4.add(x, y);
      const overflow = i32x4.shr_s(v128.and(v128.xor(v, x), v128.xor(v, y)), 31);
      v = v128.bitselect(v128.xor(i32x4.shr_s(x, 31), limit), v, overflow);
    } else {
      // overflow: x and y of different signs, the wrapped difference of y's; the exact one has x's sign
      v = i32x4.sub(x, y);
      const overflow = i32x4.shr_s(v128.and(v128.xor(x, y), v128.xor(v, x)), 31);
      v = v128.bitselect(v128.xor(i32x4.shr_s(x, 31), limit), v, overflow);
    }
    const l = i32x4.lt_s(v, min), h = i32x4.gt_s(v, max);
    count = i32x4.add(count, v128.or(l, h));
    v128.store(at + off, i32x4.max_s(i32x4.min_s(v, max), min));
  }
  S.stateSaturations -= <f64>(i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3));
  return quads;
}

// ---- products in i64x2 lanes: vmul, vmuli, vaxpy without draws (rounding.state nearest_even or
// floor), bit for bit the scalar code: exact 64-bit products (extmul of i32 words), rnd of
// arith.ts branch-free, sat with every clamp counted per lane. Four elements per step (the
// results of a step are written after its inputs are read; see resultsAt for overlaps).

/** the lanes rnd() can take: no stochastic draws */
// @ts-ignore: decorator
@inline function lanesRound(): bool {
  return S.roundState == ROUND_NEAREST_EVEN || S.roundState == ROUND_FLOOR;
}

/** rnd(p, sh) per i64 lane, 1 <= sh <= 63 (mask = 2^sh - 1, bias = 2^(sh-1) - 1, one = 1 in each lane) */
// @ts-ignore: decorator
@inline function rnd2(p: v128, sh: i32, mask: v128, bias: v128, one: v128, nearestEven: bool): v128 {
  const q = i64x2.shr_s(p, sh);
  if (!nearestEven) return q;
  return i64x2.add(q, i64x2.shr_u(i64x2.add(i64x2.add(v128.and(p, mask), bias), v128.and(q, one)), sh));
}

/** formats.state's lower and upper limit in i64 lanes, pinned in slots 8 and 9 (for sat4) */
// @ts-ignore: decorator
@inline function stateMin2(): v128 {
  return pin(8, i64x2.splat(S.stateMin));
}

// @ts-ignore: decorator
@inline function stateMax2(): v128 {
  return pin(9, i64x2.splat(S.stateMax));
}

/**
 * Four results from two i64x2 halves: clamped to formats.state (min, max: stateMin2(), stateMax2();
 * clamps subtracted from `count` lanes), narrowed to i32 words.
 */
// @ts-ignore: decorator
@inline function sat4(lo: v128, hi: v128, count: usize, min: v128, max: v128): v128 {
  const l0 = i64x2.lt_s(lo, min), h0 = i64x2.gt_s(lo, max), l1 = i64x2.lt_s(hi, min), h1 = i64x2.gt_s(hi, max);
  v128.store(count, i64x2.add(v128.load(count), i64x2.add(v128.or(l0, h0), v128.or(l1, h1))));
  const a = v128.bitselect(min, v128.bitselect(max, lo, h0), l0);
  const b = v128.bitselect(min, v128.bitselect(max, hi, h1), l1);
  return i32x4.shuffle(a, b, 0, 2, 4, 6);
}

/** scratch: two i64 clamp counts */
const COUNT: usize = memory.data(16, 16);

/**
 * products4 in i32 lanes, for when every product lies within i32 (|x| max |y| < 2^31), 0 <= sh <= 63
 * and the state format is narrower than 32 bits: rnd in i32 (r + 2^(sh-1) + 1 < 2^32; from sh = 32
 * on, a product rounds to 0 or, down, to its sign), the sum with c saturated to i32, which leaves
 * the state range on the same side as the exact sum.
 */
// @ts-ignore: decorator
@inline function products4i32<ACC>(at: usize, len: i32, xa: usize, xc: v128, xConst: bool, ya: usize, yc: v128, yConst: bool, ca: usize, sh: i32): i32 {
  const quads = len & ~3;
  const nearestEven = S.roundState == ROUND_NEAREST_EVEN;
  const mask = pin(0, i32x4.splat(sh == 0 ? 0 : (1 << sh) - 1));
  const bias = pin(1, i32x4.splat(sh == 0 ? 0 : (1 << (sh - 1)) - 1));
  const one = pin(2, i32x4.splat(1));
  const min = pin(3, i32x4.splat(<i32>S.stateMin)), max = pin(4, i32x4.splat(<i32>S.stateMax));
  const limit = isSigned<ACC>() ? pin(5, i32x4.splat(0x7fffffff)) : i32x4.splat(0);
  const xk = xConst ? pin(6, xc) : xc, yk = yConst ? pin(7, yc) : yc;
  let count = i32x4.splat(0);
  for (let i = 0; i < quads; i += 4) {
    const off = <usize>i << 2;
    const x = xConst ? xk : v128.load(xa + off);
    const y = yConst ? yk : v128.load(ya + off);
    let v = i32x4.mul(x, y);
    if (sh >= 32) {
      // |v| < 2^31 <= 2^(sh - 1): to nearest that is 0, down it is -1 for v < 0
      v = nearestEven ? i32x4.splat(0) : i32x4.shr_s(v, 31);
    } else if (sh != 0) {
      const q = i32x4.shr_s(v, sh);
      v = nearestEven ? i32x4.add(q, i32x4.shr_u(i32x4.add(i32x4.add(v128.and(v, mask), bias), v128.and(q, one)), sh)) : q;
    }
    if (isSigned<ACC>()) {
      // v + c saturated to i32: on overflow (both signs alike, the sum's different) the limit of v's sign
      const c = v128.load(ca + off);
      const sum = i32x4.add(v, c);
      const overflow = i32x4.shr_s(v128.and(v128.xor(sum, v), v128.xor(sum, c)), 31);
      v = v128.bitselect(v128.xor(i32x4.shr_s(v, 31), limit), sum, overflow);
    }
    const l = i32x4.lt_s(v, min), h = i32x4.gt_s(v, max);
    count = i32x4.add(count, v128.or(l, h));
    v128.store(at + off, i32x4.max_s(i32x4.min_s(v, max), min));
  }
  S.stateSaturations -= <f64>(i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3));
  return quads;
}

/** whether products4i32 may run: products of at most 2^31 - 1, sh <= 63, state narrower than 32 bits */
// @ts-ignore: decorator
@inline function fitsI32(xMax: u64, yMax: u64, sh: i32): bool {
  return sh <= 63 && xMax * yMax < 0x80000000 && S.stateMin > -2147483648 && S.stateMax < 2147483647;
}

/**
 * put(at, i, sat(c[i] + rnd(x[i] * y[i], sh))) for i < len & ~3, with x, y, c word vectors or
 * splatted constants (c = 0 for vmul and vmuli); returns len & ~3. ACC: c is added.
 */
// @ts-ignore: decorator
@inline function products4<ACC>(at: usize, len: i32, xa: usize, xc: v128, xConst: bool, ya: usize, yc: v128, yConst: bool, ca: usize, sh: i32): i32 {
  const quads = len & ~3;
  const nearestEven = S.roundState == ROUND_NEAREST_EVEN;
  const mask = pin(0, i64x2.splat(sh == 0 ? 0 : (<i64>1 << <i64>sh) - 1));
  const bias = pin(1, i64x2.splat(sh == 0 ? 0 : (<i64>1 << <i64>(sh - 1)) - 1));
  const one = pin(2, i64x2.splat(1));
  const xk = xConst ? pin(6, xc) : xc, yk = yConst ? pin(7, yc) : yc;
  const min = stateMin2(), max = stateMax2();
  v128.store(COUNT, i64x2.splat(0));
  for (let i = 0; i < quads; i += 4) {
    const off = <usize>i << 2;
    const x = xConst ? xk : v128.load(xa + off);
    const y = yConst ? yk : v128.load(ya + off);
    let lo = i64x2.extmul_low_i32x4_s(x, y);
    let hi = i64x2.extmul_high_i32x4_s(x, y);
    if (sh != 0) {
      lo = rnd2(lo, sh, mask, bias, one, nearestEven);
      hi = rnd2(hi, sh, mask, bias, one, nearestEven);
    }
    if (isSigned<ACC>()) {
      const c = v128.load(ca + off);
      lo = i64x2.add(lo, i64x2.extend_low_i32x4_s(c));
      hi = i64x2.add(hi, i64x2.extend_high_i32x4_s(c));
    }
    v128.store(at + off, sat4(lo, hi, COUNT, min, max));
  }
  S.stateSaturations -= <f64>(i64x2.extract_lane(v128.load(COUNT), 0) + i64x2.extract_lane(v128.load(COUNT), 1));
  return quads;
}

export function vmul(w0: u64, w1: u64): void {
  const dst = <i32>I.vmul_dst(w0, w1), a = <i32>I.vmul_a(w0, w1), b = <i32>I.vmul_b(w0, w1), len = <i32>I.vmul_len(w0, w1);
  const sh = <i32>I.vmul_sh(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  let i0 = 0;
  if (lanesRound() && len >= 4) {
    if (fitsI32(<u64>maxAbsWords(wordAt(a), len), <u64>maxAbsWords(wordAt(b), len), sh)) i0 = products4i32<u8>(at, len, wordAt(a), i32x4.splat(0), false, wordAt(b), i32x4.splat(0), false, 0, sh);
    else i0 = products4<u8>(at, len, wordAt(a), i32x4.splat(0), false, wordAt(b), i32x4.splat(0), false, 0, sh);
  }
  for (let i = i0; i < len; i++) put(at, i, sat(rnd(mul(word(a + i), word(b + i)), sh)));
  commit(at, dst, len);
}

export function vmuli(w0: u64, w1: u64): void {
  const dst = <i32>I.vmuli_dst(w0, w1), a = <i32>I.vmuli_a(w0, w1), len = <i32>I.vmuli_len(w0, w1);
  const imm = <i64>I.vmuli_imm(w0, w1), sh = <i32>I.vmuli_sh(w0, w1);
  const at = resultsAt(dst, len, a, a, a);
  let i0 = 0;
  if (lanesRound() && len >= 4) {
    if (fitsI32(<u64>maxAbsWords(wordAt(a), len), <u64>abs<i64>(imm), sh)) i0 = products4i32<u8>(at, len, wordAt(a), i32x4.splat(0), false, 0, i32x4.splat(<i32>imm), true, 0, sh);
    else i0 = products4<u8>(at, len, wordAt(a), i32x4.splat(0), false, 0, i32x4.splat(<i32>imm), true, 0, sh);
  }
  for (let i = i0; i < len; i++) put(at, i, sat(rnd(mul(word(a + i), imm), sh)));
  commit(at, dst, len);
}

export function vaxpy(w0: u64, w1: u64): void {
  const dst = <i32>I.vaxpy_dst(w0, w1), a = <i32>I.vaxpy_a(w0, w1), b = <i32>I.vaxpy_b(w0, w1), len = <i32>I.vaxpy_len(w0, w1);
  const imm = <i64>I.vaxpy_imm(w0, w1), sh = <i32>I.vaxpy_sh(w0, w1);
  const at = resultsAt(dst, len, a, b, b);
  let i0 = 0;
  if (lanesRound() && len >= 4) {
    if (fitsI32(<u64>abs<i64>(imm), <u64>maxAbsWords(wordAt(b), len), sh)) i0 = products4i32<i8>(at, len, 0, i32x4.splat(<i32>imm), true, wordAt(b), i32x4.splat(0), false, wordAt(a), sh);
    else i0 = products4<i8>(at, len, 0, i32x4.splat(<i32>imm), true, wordAt(b), i32x4.splat(0), false, wordAt(a), sh);
  }
  for (let i = i0; i < len; i++) put(at, i, sat(word(a + i) + rnd(mul(imm, word(b + i)), sh)));
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

/**
 * lutOf for words [0, len & ~3) of x, four per step, when the state rounds by lanes, 1 <= shift <=
 * 31, outShift >= 0 and the table spans less than 2^31 codes from an xMin whose top fits an i32:
 * the position in i32 lanes, the two entries of each lane loaded one by one (no gather in Wasm
 * SIMD), then the interpolation lo + rnd(d f, shift) (d = hi - lo, f <= 2^shift) as lutOf:
 * - NARROW = i64: in i64 lanes (|d| < 2^32, f <= 2^31), y clamped to +-BEYOND >> outShift (which
 *   saturates to the same side as shlSat's +-BEYOND) and shifted;
 * - NARROW = i32, when outShift = 0, shift <= 30 and every step of the table times 2^shift stays
 *   below 2^31 (LUT_STEP_MAX): in i32 lanes (|d f| < 2^31, the rounding sum below 2^31 + 2^30 as
 *   u32, y between lo and hi);
 * then saturated to the state format with every clamp counted. Returns len & ~3.
 */
function lut4<NARROW>(at: usize, x: usize, len: i32, xMin: i32, shift: i32, n: i32, entries: usize, outShift: i32): i32 {
  const quads = len & ~3;
  if (quads == 0) return 0;
  const nearestEven = S.roundState == ROUND_NEAREST_EVEN;
  const lo32 = pin(0, i32x4.splat(xMin)), hi32 = pin(1, i32x4.splat(xMin + (n - 1) * (1 << shift)));
  const last = pin(2, i32x4.splat(n - 2));
  const narrow = sizeof<NARROW>() == 4;
  const mask = narrow ? pin(3, i32x4.splat((1 << shift) - 1)) : pin(3, i64x2.splat((<i64>1 << <i64>shift) - 1));
  const bias = narrow ? pin(4, i32x4.splat((1 << (shift - 1)) - 1)) : pin(4, i64x2.splat((<i64>1 << <i64>(shift - 1)) - 1));
  const one = narrow ? pin(5, i32x4.splat(1)) : pin(5, i64x2.splat(1));
  const lim = BEYOND >> <i64>outShift;
  // each path pins only what it reads
  const zero = i32x4.splat(0);
  const limHi = narrow ? zero : pin(6, i64x2.splat(lim)), limLo = narrow ? zero : pin(7, i64x2.splat(-lim));
  const min = narrow ? zero : stateMin2(), max = narrow ? zero : stateMax2();
  const min32 = narrow ? pin(10, i32x4.splat(<i32>S.stateMin)) : zero, max32 = narrow ? pin(11, i32x4.splat(<i32>S.stateMax)) : zero;
  let count32 = i32x4.splat(0);
  v128.store(COUNT, i64x2.splat(0));
  for (let i = 0; i < quads; i += 4) {
    const off = <usize>i << 2;
    const rel = i32x4.sub(i32x4.max_s(i32x4.min_s(v128.load(x + off), hi32), lo32), lo32);
    const k = i32x4.min_s(i32x4.shr_u(rel, shift), last);
    const f = i32x4.sub(rel, i32x4.shl(k, shift));
    const e0 = entries + (<usize>i32x4.extract_lane(k, 0) << 2), e1 = entries + (<usize>i32x4.extract_lane(k, 1) << 2);
    const e2 = entries + (<usize>i32x4.extract_lane(k, 2) << 2), e3 = entries + (<usize>i32x4.extract_lane(k, 3) << 2);
    if (narrow) {
      let a = i32x4.replace_lane(i32x4.splat(load<i32>(e0)), 1, load<i32>(e1));
      a = i32x4.replace_lane(i32x4.replace_lane(a, 2, load<i32>(e2)), 3, load<i32>(e3));
      let b = i32x4.replace_lane(i32x4.splat(load<i32>(e0, 4)), 1, load<i32>(e1, 4));
      b = i32x4.replace_lane(i32x4.replace_lane(b, 2, load<i32>(e2, 4)), 3, load<i32>(e3, 4));
      const p = i32x4.mul(i32x4.sub(b, a), f);
      const q = i32x4.shr_s(p, shift);
      const y = i32x4.add(a, nearestEven ? i32x4.add(q, i32x4.shr_u(i32x4.add(i32x4.add(v128.and(p, mask), bias), v128.and(q, one)), shift)) : q);
      count32 = i32x4.add(count32, v128.or(i32x4.lt_s(y, min32), i32x4.gt_s(y, max32)));
      v128.store(at + off, i32x4.max_s(i32x4.min_s(y, max32), min32));
      continue;
    }
    const a01 = i64x2.replace_lane(i64x2.splat(<i64>load<i32>(e0)), 1, <i64>load<i32>(e1));
    const a23 = i64x2.replace_lane(i64x2.splat(<i64>load<i32>(e2)), 1, <i64>load<i32>(e3));
    const b01 = i64x2.replace_lane(i64x2.splat(<i64>load<i32>(e0, 4)), 1, <i64>load<i32>(e1, 4));
    const b23 = i64x2.replace_lane(i64x2.splat(<i64>load<i32>(e2, 4)), 1, <i64>load<i32>(e3, 4));
    let y01 = i64x2.add(a01, rnd2(i64x2.mul(i64x2.sub(b01, a01), i64x2.extend_low_i32x4_s(f)), shift, mask, bias, one, nearestEven));
    let y23 = i64x2.add(a23, rnd2(i64x2.mul(i64x2.sub(b23, a23), i64x2.extend_high_i32x4_s(f)), shift, mask, bias, one, nearestEven));
    if (outShift != 0) {
      y01 = i64x2.shl(v128.bitselect(limLo, v128.bitselect(limHi, y01, i64x2.gt_s(y01, limHi)), i64x2.lt_s(y01, limLo)), outShift);
      y23 = i64x2.shl(v128.bitselect(limLo, v128.bitselect(limHi, y23, i64x2.gt_s(y23, limHi)), i64x2.lt_s(y23, limLo)), outShift);
    }
    v128.store(at + off, sat4(y01, y23, COUNT, min, max));
  }
  S.stateSaturations -= <f64>(i32x4.extract_lane(count32, 0) + i32x4.extract_lane(count32, 1) + i32x4.extract_lane(count32, 2) + i32x4.extract_lane(count32, 3));
  S.stateSaturations -= <f64>(i64x2.extract_lane(v128.load(COUNT), 0) + i64x2.extract_lane(v128.load(COUNT), 1));
  return quads;
}

export function vlut(w0: u64, w1: u64, table: usize): void {
  const dst = <i32>I.vlut_dst(w0, w1), a = <i32>I.vlut_a(w0, w1), len = <i32>I.vlut_len(w0, w1);
  const at = resultsAt(dst, len, a, a, a);
  const xMin = <i64>load<i32>(table + LUT_XMIN), shift = load<i32>(table + LUT_SHIFT), n = <i64>load<i32>(table + LUT_N);
  const entries = <usize>load<i32>(table + LUT_ENTRIES), outShift = load<i32>(table + LUT_OUT_SHIFT);
  let i0 = 0;
  if (lanesRound() && shift >= 1 && shift <= 31 && outShift >= 0 && outShift < 62 && n >= 2 && (n - 1) << <i64>shift < 0x80000000 && xMin + ((n - 1) << <i64>shift) <= 0x7fffffff) {
    const narrow = outShift == 0 && shift <= 30 && <i64>load<i32>(table + LUT_STEP_MAX) << <i64>shift < 0x80000000;
    if (narrow) i0 = lut4<i32>(at, wordAt(a), len, <i32>xMin, shift, <i32>n, entries, outShift);
    else i0 = lut4<i64>(at, wordAt(a), len, <i32>xMin, shift, <i32>n, entries, outShift);
  }
  for (let i = i0; i < len; i++) put(at, i, lutOf(xMin, shift, n, entries, outShift, word(a + i)));
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

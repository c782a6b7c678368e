// Exact integer arithmetic of the vector unit, as emulator/chip/arith.ts defines it: the notation
// sat, satW, rnd, rn, sr and scl of docs/isa.md. Values are i64: every product of two int32
// words is exact (|p| <= 2^62), so is every sum the instructions form; a right shift splits v into
// q = floor(v / 2^s) and r = v mod 2^s and rounds from those, so no intermediate can overflow.
import { ROUND_FLOOR, ROUND_NEAREST_UP, ROUND_STOCHASTIC } from './layout';
import { drawBits } from './random';
import { rngRounding, roundState, stateMax, stateMin, weightMax, weightMin } from './state';
import * as S from './state';

/**
 * Stands for any value beyond every format's range (formats are at most 32 bits): a left shift
 * that would exceed it saturates to it, which sat() then clamps exactly as it clamps the true
 * value, and adding a 33-bit word to it cannot overflow an i64.
 */
export const BEYOND: i64 = 1 << 62;

/** sat(v): clamp to formats.state, counting the clamps */
// @ts-ignore: decorator
@inline export function sat(v: i64): i64 {
  if (v < stateMin) {
    S.stateSaturations += 1;
    return stateMin;
  }
  if (v > stateMax) {
    S.stateSaturations += 1;
    return stateMax;
  }
  return v;
}

/** satW(v): clamp to formats.weight, counting the clamps */
// @ts-ignore: decorator
@inline export function satW(v: i64): i64 {
  if (v < weightMin) {
    S.weightSaturations += 1;
    return weightMin;
  }
  if (v > weightMax) {
    S.weightSaturations += 1;
    return weightMax;
  }
  return v;
}

/**
 * floor(v / 2^s) = q, plus the rounding of the remainder r = v - q 2^s (0 <= r < 2^s, 1 <= s <= 63)
 * by `mode`: floor, nearest with ties to even, nearest with ties up (rn), or stochastic (sr: adds
 * q' uniform in [0, 2^s) drawn from the active core's rounding generator). r + q' < 2^64.
 */
// @ts-ignore: decorator
@inline export function roundQR(q: i64, r: u64, s: i32, mode: i32): i64 {
  if (mode == ROUND_FLOOR) return q;
  if (mode == ROUND_STOCHASTIC) return q + <i64>((r + drawBits(rngRounding, s)) >> <u64>s);
  const half = <u64>1 << <u64>(s - 1);
  if (mode == ROUND_NEAREST_UP) return q + <i64>((r + half) >> <u64>s);
  // nearest, ties to even, without a data-dependent branch: r + half - 1 + (q & 1) reaches 2^s
  // exactly when r > half, or r = half and q is odd (and stays below 2^64: r < 2^s, s <= 63)
  return q + <i64>((r + (half - 1) + (<u64>q & 1)) >> <u64>s);
}

/** v / 2^s rounded with `mode`; s = 0 gives v and draws nothing (0 <= s <= 63). */
// @ts-ignore: decorator
@inline export function shiftRound(v: i64, s: i32, mode: i32): i64 {
  if (s == 0) return v;
  return roundQR(v >> <i64>s, <u64>v & ((<u64>1 << <u64>s) - 1), s, mode);
}

/** rnd(v, s): with rounding.state */
// @ts-ignore: decorator
@inline export function rnd(v: i64, s: i32): i64 {
  return shiftRound(v, s, roundState);
}

/** v * 2^s (s >= 0), exact up to BEYOND in magnitude, else +-BEYOND */
export function shlSat(v: i64, s: i32): i64 {
  if (v == 0) return 0;
  if (s >= 62) return v > 0 ? BEYOND : -BEYOND;
  const lim = BEYOND >> <i64>s;
  if (v > lim) return BEYOND;
  if (v < -lim) return -BEYOND;
  return v << <i64>s;
}

/** scl(v, s): v * 2^s for s >= 0, rnd(v, -s) for s < 0 */
// @ts-ignore: decorator
@inline export function scl(v: i64, s: i32): i64 {
  return s >= 0 ? shlSat(v, s) : rnd(v, -s);
}

/**
 * rnd(d * f, s) for |d| < 2^32, 0 <= f < 2^54, 1 <= s <= 63 when the product may not fit an i64
 * (interpolation in a lookup table spaced 2^s > 2^31 codes, possible only in an image built in
 * memory): the product as 128 bits, then the same rounding of quotient and remainder.
 */
export function rndWide(d: i64, f: i64, s: i32): i64 {
  const negative = d < 0;
  const m = <u64>(negative ? -d : d);
  const fl = <u64>f & 0xffffffff;
  const fh = <u64>f >> 32;
  // m * f = m * fh * 2^32 + m * fl; m * fl < 2^64, m * fh < 2^54
  const low = m * fl;
  const mid = m * fh;
  let lo = low + (mid << 32);
  let hi = (mid >> 32) + (lo < low ? 1 : 0);
  if (negative) {
    lo = ~lo + 1;
    hi = ~hi + (lo == 0 ? 1 : 0);
  }
  // floor((hi 2^64 + lo) / 2^s): the caller has f <= 2^s, so the quotient is at most |d| and its
  // low 64 bits are the whole of it
  const q = <i64>((hi << <u64>(64 - s)) | (lo >> <u64>s));
  return roundQR(q, lo & ((<u64>1 << <u64>s) - 1), s, roundState);
}

/** roundReal of arith.ts: an ADC's quantiser on a real value, nearest with ties to even or floor */
// @ts-ignore: decorator
@inline export function roundReal(x: f64, nearestEven: bool): f64 {
  // f64.nearest (roundsd) is the reference's floor-and-compare with ties to even, without its
  // data-dependent branches (the read noise makes them unpredictable: about 20 ns per line). The
  // one difference: values in [-1/2, 0) give -0 here and +0 there, which no caller can tell apart
  // (the code is compared and converted to an integer).
  return nearestEven ? nearest<f64>(x) : Math.floor(x);
}

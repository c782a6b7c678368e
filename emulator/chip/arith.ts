// Exact integer arithmetic of the chip's digital vector unit, as docs/isa.md defines it: products
// of two int32 words are exact (up to 2^62, beyond the 2^53 of a JS number), right shifts round
// with one of the hw-spec's modes, and stochastic rounding adds uniform integers from a seeded
// generator. Values stay JS numbers while they are safe integers and become bigints beyond, so
// the common case is cheap and the rare wide case is still exact.
import type { RoundingMode } from '../../compiler/hwspec/types.js';
import type { Rng } from '../../compiler/common/rng.js';

/** An exact integer: a number while it is a safe integer, a bigint beyond 2^53. */
export type Exact = number | bigint;

/** Rounding of a right shift: the hw-spec modes, plus rn() of docs/isa.md (ties toward +infinity). */
export type ShiftRounding = RoundingMode | 'nearest_up';

/** Where the uniform integers q in [0, 2^s) of stochastic rounding come from. */
export interface Dither {
  bits(s: number): Exact;
}

function normalise(v: bigint): Exact {
  return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** a * b exactly (a and b are integers, each at most 2^53 in magnitude). */
export function exactProduct(a: number, b: number): Exact {
  const p = a * b;
  // a double product that is a safe integer is exact: a true product >= 2^53 rounds to >= 2^53
  return Number.isSafeInteger(p) ? p : normalise(BigInt(a) * BigInt(b));
}

export function exactSum(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return normalise(BigInt(a) + BigInt(b));
}

/**
 * v / 2^s rounded with `mode` (s = 0 gives v). `stochastic` is floor((v + q) / 2^s) with q
 * uniform in [0, 2^s) from `dither` (no draw when s = 0). The result is exact while it is a safe
 * integer; beyond 2^53 it is the nearest double, which only ever feeds a saturation to 32 bits or
 * less, where the difference cannot show.
 */
export function shiftRound(v: Exact, s: number, mode: ShiftRounding, dither: Dither): number {
  if (s === 0) return Number(v);
  let x = v;
  if (mode === 'stochastic') x = exactSum(x, dither.bits(s));
  else if (mode === 'nearest_up') x = exactSum(x, 2 ** (s - 1));
  const tieToEven = mode === 'nearest_even';
  // the number path is exact while 2^s and every intermediate are safe integers
  if (typeof x === 'number' && s <= 52) {
    const p = 2 ** s;
    const q = Math.floor(x / p);
    if (!tieToEven) return q;
    const twice = 2 * (x - q * p);
    return twice > p || (twice === p && q % 2 !== 0) ? q + 1 : q;
  }
  const big = BigInt(x);
  const S = BigInt(s);
  const q = big >> S; // arithmetic shift: floor for negative values too
  if (!tieToEven) return Number(q);
  const twice = 2n * (big - (q << S));
  const p = 1n << S;
  return Number(twice > p || (twice === p && (q & 1n) === 1n) ? q + 1n : q);
}

/**
 * The top s bits (1 <= s <= 63) of a 64-bit draw: one 32-bit word of `rng` when s <= 32, two
 * words (the first is the high one) when s > 32. The Wasm core must draw the same way.
 */
export function uniformBits(rng: Rng, s: number): Exact {
  const hi = rng.nextU32();
  return topBits(hi, s <= 32 ? 0 : rng.nextU32(), s);
}

/** The top s bits (1 <= s <= 64) of the 64-bit word hi:lo (lo is not read when s <= 32). */
export function topBits(hi: number, lo: number, s: number): Exact {
  if (s <= 32) return hi >>> (32 - s);
  return normalise((BigInt(hi) << BigInt(s - 32)) | BigInt(lo >>> (64 - s)));
}

/** v clamped to [min, max]; `onClamp` is told when it had to. */
export function clamp(v: number, min: number, max: number, onClamp: () => void): number {
  if (v < min) {
    onClamp();
    return min;
  }
  if (v > max) {
    onClamp();
    return max;
  }
  return v;
}

/** x rounded to an integer by the ADC quantiser: nearest with ties to even, or floor. */
export function roundReal(x: number, mode: 'nearest_even' | 'floor'): number {
  const f = Math.floor(x);
  if (mode === 'floor') return f;
  const d = x - f; // exact for doubles
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

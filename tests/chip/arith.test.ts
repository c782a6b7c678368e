// The integer arithmetic under every instruction: exact products beyond 2^53 and rounding right
// shifts, against a bigint oracle written straight from docs/isa.md.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactProduct, roundReal, shiftRound, type Dither } from '../../emulator/chip/arith.js';

const noDither: Dither = {
  bits: () => {
    throw new Error('no draw expected');
  },
};

/** v / 2^s rounded, in bigints only */
function oracle(v: bigint, s: number, mode: 'nearest_even' | 'floor' | 'nearest_up'): bigint {
  if (s === 0) return v;
  const p = 1n << BigInt(s);
  const floorDiv = (x: bigint) => (x >= 0n ? x / p : -((-x + p - 1n) / p));
  if (mode === 'floor') return floorDiv(v);
  if (mode === 'nearest_up') return floorDiv(v + p / 2n);
  const q = floorDiv(v);
  const r = v - q * p;
  if (2n * r > p) return q + 1n;
  if (2n * r < p) return q;
  return q % 2n === 0n ? q : q + 1n;
}

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

describe('fixed-point arithmetic', () => {
  it('products of two int32 are exact', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        expect(BigInt(exactProduct(a, b))).toBe(BigInt(a) * BigInt(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('rounding right shifts of exact products match the oracle in every deterministic mode', () => {
    fc.assert(
      fc.property(int32, int32, fc.integer({ min: 0, max: 63 }), fc.constantFrom('nearest_even', 'floor', 'nearest_up') as fc.Arbitrary<'nearest_even' | 'floor' | 'nearest_up'>, (a, b, s, mode) => {
        const exact = BigInt(a) * BigInt(b);
        const want = oracle(exact, s, mode);
        const got = shiftRound(exactProduct(a, b), s, mode, noDither);
        // results beyond 2^53 only feed a saturation: the nearest double is enough there
        if (want >= -(2n ** 53n) && want <= 2n ** 53n) expect(BigInt(got)).toBe(want);
        else expect(got).toBe(Number(want));
      }),
      { numRuns: 5000 },
    );
  });

  it('ties: nearest_even to the even neighbour, rn toward +infinity, floor down', () => {
    const halves = [3, 5, -3, -5, 4, 7];
    expect(halves.map((v) => shiftRound(v, 1, 'nearest_even', noDither))).toEqual([2, 2, -2, -2, 2, 4]);
    expect(halves.map((v) => shiftRound(v, 1, 'nearest_up', noDither))).toEqual([2, 3, -1, -2, 2, 4]);
    expect(halves.map((v) => shiftRound(v, 1, 'floor', noDither))).toEqual([1, 2, -2, -3, 2, 3]);
  });

  it('stochastic rounding adds the dither before the floor, and draws nothing for a zero shift', () => {
    expect(shiftRound(5, 2, 'stochastic', { bits: () => 2 })).toBe(1); // (5 + 2) >> 2
    expect(shiftRound(5, 2, 'stochastic', { bits: () => 3 })).toBe(2); // (5 + 3) >> 2
    expect(shiftRound(-5, 0, 'stochastic', noDither)).toBe(-5);
  });

  it('the ADC quantiser rounds reals to nearest-even or down', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map((x) => roundReal(x, 'nearest_even'))).toEqual([0, 2, 2, 0, -2, 2, 3]);
    expect([0.5, -0.5, 2.9999].map((x) => roundReal(x, 'floor'))).toEqual([0, -1, 2]);
  });
});

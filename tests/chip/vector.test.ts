// The digital vector unit and the neuron instructions on hand-assembled programs (default preset:
// 16-bit state, codes -32768 .. 32767), one behaviour per case, numbers worked out by hand from
// the semantics in docs/isa.md.
import { describe, expect, it } from 'vitest';
import type { LutSlot } from '../../compiler/image/index.js';
import type { RoundingMode } from '../../compiler/hwspec/index.js';
import { asmChip, runOnce, words } from './helpers.js';

const withRounding = (mode: RoundingMode) => ({ spec: (s: { rounding: { state: RoundingMode } }) => void (s.rounding.state = mode) });

describe('vector arithmetic', () => {
  it('vadd and vsub saturate to formats.state and count each clamp', () => {
    const chip = asmChip('vadd @10, @0, @5, 3\nvsub @13, @0, @5, 3\nhalt', { memory: { 0: { 0: [30000, -30000, 5], 5: [5000, 5000, -7] } } });
    chip.step();
    expect(words(chip, 10, 6)).toEqual([32767, -25000, -2, 25000, -32768, 12]);
    expect(chip.counters.rangeEvents().stateSaturations).toBe(2);
  });

  it('vshr rounds with rounding.state: nearest_even and floor', () => {
    const text = 'vshr @10, @0, 6, sh1\nhalt';
    const memory = { 0: { 0: [3, 5, -3, -5, 4, 7] } };
    expect(runOnce(text, 10, 6, { memory, ...withRounding('nearest_even') })).toEqual([2, 2, -2, -2, 2, 4]);
    expect(runOnce(text, 10, 6, { memory, ...withRounding('floor') })).toEqual([1, 2, -2, -3, 2, 3]);
  });

  it('stochastic rounding gives floor or floor + 1, exact on average, one draw per element', () => {
    const chip = asmChip('vshr @10, @0, 4, sh3\nhalt', { memory: { 0: { 0: [3, -3, 12, 8] } }, spec: (s) => Object.assign(s, { seed: 9, rounding: { ...s.rounding, state: 'stochastic' } }) });
    const sums = [0, 0, 0, 0];
    const ticks = 4000;
    for (let t = 0; t < ticks; t++) {
      chip.step();
      words(chip, 10, 4).forEach((v, i) => {
        expect([Math.floor([3, -3, 12, 8][i]! / 8), Math.floor([3, -3, 12, 8][i]! / 8) + 1]).toContain(v);
        sums[i] += v;
      });
    }
    const exact = [3 / 8, -3 / 8, 12 / 8, 1];
    sums.forEach((s, i) => expect(Math.abs(s / ticks - exact[i]!)).toBeLessThan(0.03));
    expect(chip.counters.rangeEvents().stochasticDraws).toBe(4 * ticks);
  });

  it('vmul, vmuli and vaxpy round the exact product, then saturate', () => {
    const memory = { 0: { 0: [100, -100, 30000], 3: [3, 3, 3] } };
    // 300 / 8 = 37.5 -> 38 (even), -37.5 -> -38, 90000 / 8 = 11250
    expect(runOnce('vmul @10, @0, @3, 3, sh3\nhalt', 10, 3, { memory })).toEqual([38, -38, 11250]);
    expect(runOnce('vmuli @10, @0, 3, #3, sh0\nhalt', 10, 3, { memory })).toEqual([300, -300, 32767]);
    // a + rnd(imm * b, sh): 100 + rnd(-15, 1) = 100 - 8 (-7.5 -> -8), ...
    expect(runOnce('vaxpy @10, @0, @3, 3, #-5, sh1\nhalt', 10, 3, { memory })).toEqual([92, -108, 29992]);
  });

  it('products wider than 2^53 stay exact (32-bit state of the high-precision preset)', () => {
    const a = 2 ** 31 - 1;
    const memory = { 0: { 0: [a, -a - 1] } };
    const got = runOnce(`vmuli @10, @0, 2, #${a}, sh40\nhalt`, 10, 2, { preset: 'high-precision', memory });
    const round = (v: bigint) => Number((v + (1n << 39n)) >> 40n); // no ties here
    expect(got).toEqual([round(BigInt(a) * BigInt(a)), round(BigInt(-a - 1) * BigInt(a))]);
  });

  it('vshl saturates; seti stores raw bits; vset saturates its constant', () => {
    const memory = { 0: { 0: [3, -3, 20000] } };
    expect(runOnce('vshl @10, @0, 3, sh2\nhalt', 10, 3, { memory })).toEqual([12, -12, 32767]);
    expect(runOnce('seti @10, #-2147483648\nvset @11, 2, #100000\nhalt', 10, 3)).toEqual([-2147483648, 32767, 32767]);
  });

  it('vclip clamps to [lo, hi]; vcopy reads before it writes (overlapping dst)', () => {
    const memory = { 0: { 0: [1, 2, 3, 4, 5] } };
    expect(runOnce('vclip @10, @0, 5, #2, #4\nhalt', 10, 5, { memory })).toEqual([2, 2, 3, 4, 4]);
    expect(runOnce('vcopy @1, @0, 4\nhalt', 0, 5, { memory })).toEqual([1, 1, 2, 3, 4]);
  });
});

describe('lookup tables', () => {
  // entries 4 codes apart from -8: y(-8) = 0, y(-4) = 100, y(0) = 150, y(4) = 170, y(8) = 175
  const table = (outShift: number): LutSlot => ({ slot: 1, name: 'test', xMin: -8, shift: 2, entries: Int32Array.from([0, 100, 150, 170, 175]), outShift });
  const xs = [-1000, -8, -7, -6, -5, 0, 1, 7, 8, 1000];

  it('interpolates between entries and clamps at both ends (the top end gives the last entry)', () => {
    const got = runOnce('vlut @20, @0, 10, lut1\nhalt', 20, 10, { memory: { 0: { 0: xs } }, luts: { 0: [table(0)] } });
    // -7: 0 + rnd(100 * 1, 2) = 25; 1: 150 + rnd(20 * 1, 2) = 155; 7: 170 + rnd(5 * 3, 2) = 170 + 4 (3.75)
    expect(got).toEqual([0, 0, 25, 50, 75, 150, 155, 174, 175, 175]);
  });

  it('scales the result by outShift in both directions, then saturates', () => {
    const memory = { 0: { 0: xs } };
    expect(runOnce('vlut @20, @0, 10, lut1\nhalt', 20, 10, { memory, luts: { 0: [table(-1)] } })).toEqual([0, 0, 12, 25, 38, 75, 78, 87, 88, 88]);
    expect(runOnce('vlut @20, @0, 10, lut1\nhalt', 20, 10, { memory, luts: { 0: [table(8)] } })).toEqual([0, 0, 6400, 12800, 19200, 32767, 32767, 32767, 32767, 32767]);
  });

  it('rounds the interpolation with rounding.state (ties to even)', () => {
    const tie: LutSlot = { slot: 0, name: 'tie', xMin: 0, shift: 2, entries: Int32Array.from([0, 2, 6]), outShift: 0 };
    // x = 1: rnd(2 * 1, 2) = 0.5 -> 0; x = 3: rnd(2 * 3, 2) = 1.5 -> 2; x = 6: 2 + rnd(4 * 2, 2) = 4
    expect(runOnce('vlut @20, @0, 3, lut0\nhalt', 20, 3, { memory: { 0: { 0: [1, 3, 6] } }, luts: { 0: [tie] } })).toEqual([0, 2, 4]);
  });
});

describe('neuron dynamics', () => {
  it('lpf: x += rnd(k * sat(in - x), sh)', () => {
    // 0 + rnd(3 * 1024, 2) = 768; 1000 + rnd(3 * -2000, 2) = -500; the difference saturates first
    const memory = { 0: { 0: [0, 1000, -30000], 3: [1024, -1000, 30000] } };
    expect(runOnce('lpf @0, @3, 3, #3, sh2\nhalt', 0, 3, { memory })).toEqual([768, -500, -30000 + rnd2(3 * 32767)]);
  });

  it('leak: per-neuron rates kvec', () => {
    const memory = { 0: { 0: [0, 0], 2: [400, 400], 4: [1, 3] } };
    expect(runOnce('leak @0, @2, @4, 2, sh2\nhalt', 0, 2, { memory })).toEqual([100, 300]);
  });

  it('std: v relaxes toward lut(rbar)', () => {
    const vinf: LutSlot = { slot: 0, name: 'vinf', xMin: 0, shift: 4, entries: Int32Array.from([1000, 0]), outShift: 0 };
    // lut(8) = 1000 + rnd(-1000 * 8, 4) = 500; v = 100 + rnd(1 * (500 - 100), 1) = 300
    expect(runOnce('std @0, @1, 1, lut0, #1, sh1\nhalt', 0, 1, { memory: { 0: { 0: [100], 1: [8] } }, luts: { 0: [vinf] } })).toEqual([300]);
  });
});

/** rnd(v, 2) with nearest_even for the values above (no ties) */
function rnd2(v: number): number {
  return Math.round(v / 4);
}

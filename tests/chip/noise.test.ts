// The ADC read noise of emulator/chip/random.ts: an integer-only approximately normal variate
// (popcount of 64 bits, centred, plus a uniform in [-1/2, 1/2), scaled to variance 1), from
// counter-based words. Its distribution as docs/emulator.md states it: mean 0, variance 1,
// normal-like tails cut at 8.1; and the counter-based words of outer.sr: uniform bits.
import { describe, expect, it } from 'vitest';
import { noiseReadKey, outerExecutionKey, outerRowKey, outerThinExponent, outerThinnedChanges, outerWord, popcount32, READ_NOISE_SCALE, readNoise, readNoiseOf } from '../../emulator/chip/random.js';

/** P(|N(0,1)| > k) */
const NORMAL_TAIL = [1, 0.3173105, 0.0455003, 0.0026998, 0.0000633];

describe('read noise', () => {
  it('the scale is 1 / sqrt(16 + 1/12) and popcount32 counts bits', () => {
    expect(READ_NOISE_SCALE).toBe(1 / Math.sqrt(16 + 1 / 12));
    for (const x of [0, 1, 0x80000000, 0xffffffff, 0x55555555, 0x12345678]) expect(popcount32(x)).toBe(x.toString(2).split('').filter((b) => b === '1').length);
  });

  it('exact extremes: +-(32 + 1/2) steps of the scale, nothing beyond 8.11', () => {
    expect(readNoiseOf(0, 0, 0)).toBe(-32.5 * READ_NOISE_SCALE);
    expect(readNoiseOf(0xffffffff, 0xffffffff, 0xffffffff)).toBe((32 + 0.5 - 2 ** -32) * READ_NOISE_SCALE);
    expect(32.5 * READ_NOISE_SCALE).toBeLessThan(8.11);
  });

  it('mean 0, variance 1, kurtosis and tails of a normal over 400 000 draws (1600 reads of 250 lines)', () => {
    const n = 400_000;
    let s = 0, s2 = 0, s4 = 0;
    const tail = [0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const g = readNoise(noiseReadKey(0x2545f491, Math.floor(i / 250)), i % 250);
      s += g;
      s2 += g * g;
      s4 += g ** 4;
      for (let k = 1; k <= 4; k++) if (Math.abs(g) > k) tail[k]!++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // standard errors: mean 1/sqrt(n) = 0.0016, variance sqrt(2/n) = 0.0022
    expect(Math.abs(mean)).toBeLessThan(0.008);
    expect(Math.abs(variance - 1)).toBeLessThan(0.012);
    // binomial(64) excess kurtosis -2/64, plus the uniform's: about 2.97 (normal: 3)
    expect(s4 / n / variance ** 2).toBeGreaterThan(2.93);
    expect(s4 / n / variance ** 2).toBeLessThan(3.01);
    for (const k of [1, 2, 3]) expect(Math.abs(tail[k]! / n - NORMAL_TAIL[k]!) / NORMAL_TAIL[k]!, `P(|g| > ${k})`).toBeLessThan(0.1);
    // beyond 4 sigma a little thinner than the normal (4.4e-5 against 6.3e-5)
    expect(tail[4]! / n).toBeLessThan(NORMAL_TAIL[4]! * 1.2);
  });
});

describe('the counter-based words of outer.sr', () => {
  it('every bit is fair over consecutive cells, rows and executions', () => {
    const ones = new Float64Array(32);
    let n = 0;
    for (let e = 0; e < 40; e++) {
      const ek = outerExecutionKey(0x1234567, e);
      for (let r = 0; r < 50; r++) {
        const rk = outerRowKey(ek, r);
        for (let c = 0; c < 100; c++) {
          const w = outerWord(rk, c, 0);
          for (let b = 0; b < 32; b++) ones[b]! += (w >>> b) & 1;
          n++;
        }
      }
    }
    // 200 000 words: a fair bit's count is within 5 standard deviations (0.0056) of 1/2
    for (let b = 0; b < 32; b++) expect(Math.abs(ones[b]! / n - 0.5), `bit ${b}`).toBeLessThan(0.0056);
  });

  it('neighbouring cells, rows and executions are uncorrelated', () => {
    const corr = (f: (i: number) => [number, number]) => {
      let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
      const n = 50_000;
      for (let i = 0; i < n; i++) {
        const [x, y] = f(i);
        sx += x;
        sy += y;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
      }
      return (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    };
    const key = outerExecutionKey(99, 0);
    // 5 standard deviations of a correlation over 50 000 pairs: 0.022
    expect(Math.abs(corr((i) => [outerWord(outerRowKey(key, i >> 8), i & 255, 0), outerWord(outerRowKey(key, i >> 8), (i & 255) + 1, 0)]))).toBeLessThan(0.022);
    expect(Math.abs(corr((i) => [outerWord(outerRowKey(key, i >> 8), i & 255, 0), outerWord(outerRowKey(key, (i >> 8) + 1), i & 255, 0)]))).toBeLessThan(0.022);
    expect(Math.abs(corr((i) => [outerWord(outerRowKey(outerExecutionKey(99, i >> 8), 0), i & 255, 0), outerWord(outerRowKey(outerExecutionKey(99, (i >> 8) + 1), 0), i & 255, 0)]))).toBeLessThan(0.022);
    expect(Math.abs(corr((i) => [outerWord(outerRowKey(key, i), 3, 0), outerWord(outerRowKey(key, i), 3, 1)]))).toBeLessThan(0.022);
  });
});

describe('the thinned rows of outer.sr', () => {
  it('which rows are thinned: 3 <= sh <= 32 and 0 < A B <= 2^(sh - 3); m is the least m with 2^m >= A B', () => {
    expect(outerThinExponent(1, 512, 12)).toBe(9);
    expect(outerThinExponent(1, 513, 12)).toBe(-1);
    expect(outerThinExponent(3, 100, 32)).toBe(9); // 300 <= 512
    expect(outerThinExponent(1, 1, 3)).toBe(0);
    expect(outerThinExponent(1, 1, 2)).toBe(-1);
    expect(outerThinExponent(1, 1, 33)).toBe(-1);
    expect(outerThinExponent(2 ** 31, 2 ** 31, 32)).toBe(-1);
  });

  it('every cell changes with probability |p| / 2^sh, independently of its neighbours', () => {
    // sh 12, |p_c| = 8 c for 64 cells (A B = 504, m = 9, P = 1/8): frequencies 0 .. 0.123
    const sh = 12;
    const cols = 64;
    const absP = (c: number) => 8 * c;
    const m = outerThinExponent(1, 504, sh);
    expect(m).toBe(9);
    const n = 40_000;
    const count = new Float64Array(cols);
    let both = 0; // cells 62 and 63 in the same execution
    for (let e = 0; e < n; e++) {
      const changes = outerThinnedChanges(outerRowKey(outerExecutionKey(0xabcdef, e), 0), cols, sh, m, absP);
      for (const c of changes) count[c]!++;
      if (changes.includes(62) && changes.includes(63)) both++;
    }
    for (let c = 0; c < cols; c++) {
      const f = absP(c) / 2 ** sh;
      // within 5 binomial standard deviations (a cell with p = 0 never changes)
      expect(Math.abs(count[c]! - n * f), `cell ${c}`).toBeLessThanOrEqual(5 * Math.sqrt(n * f * (1 - f)));
    }
    // proportional to |p|: the least-squares slope of count against n f is 1 within 2%
    let sxy = 0, sxx = 0;
    for (let c = 0; c < cols; c++) {
      const f = (n * absP(c)) / 2 ** sh;
      sxy += f * count[c]!;
      sxx += f * f;
    }
    expect(Math.abs(sxy / sxx - 1)).toBeLessThan(0.02);
    // independent: both change with probability f62 f63 (about 0.0149)
    const f2 = (absP(62) / 2 ** sh) * (absP(63) / 2 ** sh);
    expect(Math.abs(both - n * f2)).toBeLessThanOrEqual(5 * Math.sqrt(n * f2 * (1 - f2)));
  });

  it('a rare change (sh 32, products below 2^19, 784 cells): the row total has mean sum |p| / 2^sh', () => {
    const sh = 32;
    const cols = 784;
    const absP = (c: number) => ((c * 2654435761) >>> 13) & 0x7ffff;
    const xMax = 0x7ffff;
    const m = outerThinExponent(1, xMax, sh);
    expect(m).toBe(19);
    const mean = Array.from({ length: cols }, (_, c) => absP(c)).reduce((a, b) => a + b, 0) / 2 ** sh;
    const n = 200_000;
    let total = 0;
    for (let e = 0; e < n; e++) total += outerThinnedChanges(outerRowKey(outerExecutionKey(7, e), 3), cols, sh, m, absP).length;
    // Poisson-like: 5 standard deviations
    expect(Math.abs(total - n * mean)).toBeLessThanOrEqual(5 * Math.sqrt(n * mean));
  });
});

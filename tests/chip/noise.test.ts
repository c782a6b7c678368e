// The ADC read noise of emulator/chip/random.ts: an integer-only approximately normal variate
// (popcount of 64 bits, centred, plus a uniform in [-1/2, 1/2), scaled to variance 1), from
// counter-based words. Its distribution as docs/emulator.md states it: mean 0, variance 1,
// normal-like tails cut at 8.1; and the counter-based words of outer.sr: uniform bits.
import { describe, expect, it } from 'vitest';
import { noiseReadKey, outerExecutionKey, outerRowKey, outerWord, popcount32, READ_NOISE_SCALE, readNoise, readNoiseOf } from '../../emulator/chip/random.js';

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

// Every random draw of the chip: which generator serves what (xoshiro128** of
// compiler/common/rng.ts for stochastic rnd, a counter-based hash for outer.sr and read noise),
// how its seed is derived, the read-noise variate and the Gaussian of the mismatch. Two
// seeds are involved: the hw-spec's `seed` is the die (fixed-pattern mismatch depends on it
// alone), the run seed is the run (read noise and stochastic rounding depend on both), so a new
// run seed changes noise-driven values only. The Wasm core must derive and draw identically.
import { Rng } from '../../compiler/common/rng.js';
import type { HwSpec } from '../../compiler/hwspec/types.js';
import { portableCos } from './cos.js';
import { ln } from './ln.js';

/** Stream numbers of the per-core run generators: stream = 2 * core + purpose (purpose 1 was the read noise's). */
export const RUN_PURPOSE = { rounding: 0 } as const;
/** Mismatch streams start here (far from the run streams, which use a different seed anyway). */
const MISMATCH_STREAM_BASE = 0x4000_0000;

/** One 32-bit seed from the die seed and the run seed (murmur3 finaliser over both). */
export function runSeedOf(specSeed: number, runSeed: number): number {
  let h = (Math.imul((specSeed >>> 0) ^ 0x5bd1e995, 0xcc9e2d51) ^ (runSeed >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The generators a core draws from while it runs. */
export interface CoreGenerators {
  /** stochastic rounding: rnd() in stochastic mode */
  rounding: Rng;
  /** ADC read noise: the core key of its counter-based draws (noiseCoreKey) */
  noiseKey: number;
  /** outer.sr: the core key of the counter-based draws (outerCoreKey) */
  outerKey: number;
}

export function coreGenerators(spec: HwSpec, runSeed: number, core: number): CoreGenerators {
  const seed = runSeedOf(spec.seed ?? 0, runSeed);
  return {
    rounding: new Rng(seed, 2 * core + RUN_PURPOSE.rounding),
    noiseKey: noiseCoreKey(spec, runSeed, core),
    outerKey: outerCoreKey(spec, runSeed, core),
  };
}

/** murmur3's 32-bit finaliser: a bijection of the u32 values, every output bit depending on every input bit. */
export function fmix32(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---- outer.sr: counter-based draws (a pure function of where they are used)
//
// The random word k (0: high, 1: low) of cell (r, c) of the block an outer.sr updates (r, c
// counted from the block's corner) in the n-th outer.sr the core executes since the chip was
// created or reset (n from 0, modulo 2^32):
//   core key  K   = fmix32(fmix32(seed ^ 0x6a09e667) + 0x9e3779b9 (core + 1))   seed = runSeedOf(...)
//   execution E_n = fmix32(K ^ 0x9e3779b9 (n + 1))
//   row       R_r = fmix32(E_n + 0x85ebca6b (r + 1))
//   word          = fmix32(R_r + 0x9e3779b9 (2 c + k))
// (products and sums modulo 2^32). No draw depends on another, so a cell whose product is 0
// needs none, and any cells can be drawn in any order (the Wasm core draws four at a time).

/** K: the key of a core's outer.sr draws, from the run seed (runSeedOf) and the core index. */
export function outerCoreKey(spec: HwSpec, runSeed: number, core: number): number {
  const seed = runSeedOf(spec.seed ?? 0, runSeed);
  return fmix32((fmix32((seed ^ 0x6a09e667) >>> 0) + Math.imul(core + 1, 0x9e3779b9)) >>> 0);
}

/** E_n: the key of the core's n-th outer.sr execution. */
export function outerExecutionKey(coreKey: number, n: number): number {
  return fmix32((coreKey ^ Math.imul((n + 1) >>> 0, 0x9e3779b9)) >>> 0);
}

/** R_r: the key of row r of the block. */
export function outerRowKey(executionKey: number, r: number): number {
  return fmix32((executionKey + Math.imul(r + 1, 0x85ebca6b)) >>> 0);
}

/** Word k (0: high, 1: low) of cell c of the row. */
export function outerWord(rowKey: number, c: number, k: number): number {
  return fmix32((rowKey + Math.imul(2 * c + k, 0x9e3779b9)) >>> 0);
}

// ---- outer.sr: thinned rows
//
// Almost every cell of a row whose products are small against 2^sh keeps its value (it changes
// by sign(p) with probability |p| / 2^sh), so such a row draws only the cells that might change:
// with A = |a_r|, B = max_c |x_c| over the block's columns and 3 <= sh <= 32, a row with
// 0 < A B <= 2^(sh-3) is thinned. m = the least m >= 0 with 2^m >= A B, P = 2^(m-sh) <= 1/8.
// Candidate j (from 0) of the row sits at c_j = c_{j-1} + 1 + floor(ln(U_j) / ln(1 - P))
// (c_{-1} = -1: geometric gaps, every cell a candidate with probability P, independently),
// U_j = (floor(w0 / 2^11) 2^32 + w1 + 1) / 2^53 in (0, 1] from the row's words w0 = word(2j, 0),
// w1 = word(2j, 1); it changes by sign(p) when the top m bits of word(2j + 1, 0) are below |p|
// (probability |p| / 2^m). So every cell changes with probability exactly P |p| / 2^m = |p| / 2^sh,
// independently, as with one draw per cell. ln is the portable logarithm of ./ln.ts (IEEE
// operations only, the same bits on every engine and in the Wasm core), in f64 as written here. A row with A B = 0 changes nothing and draws nothing.

/** m of a thinned row (2^m >= A B, P = 2^(m - sh) <= 1/8), or -1 when the row draws per cell. */
export function outerThinExponent(aAbs: number, xMaxAbs: number, sh: number): number {
  if (sh < 3 || sh > 32) return -1;
  // exact: a true product <= 2^29 is exact, a larger one rounds to a double > 2^29
  const ab = aAbs * xMaxAbs;
  if (ab > 2 ** (sh - 3)) return -1;
  return ab === 0 ? 0 : 32 - Math.clz32(ab - 1);
}

/**
 * The columns of a thinned row that change (by the sign of their product), in increasing order:
 * rowKey = R_r, m from outerThinExponent, absProduct(c) = |a_r x_c|.
 */
export function outerThinnedChanges(rowKey: number, cols: number, sh: number, m: number, absProduct: (c: number) => number): number[] {
  const out: number[] = [];
  const logKeep = ln(1 - 2 ** (m - sh));
  let c = -1;
  for (let j = 0; ; j++) {
    const u = ((outerWord(rowKey, 2 * j, 0) >>> 11) * 4294967296 + outerWord(rowKey, 2 * j, 1) + 1) / 9007199254740992;
    c = c + 1 + Math.floor(ln(u) / logKeep);
    if (c >= cols) return out;
    const top = m === 0 ? 0 : outerWord(rowKey, 2 * j + 1, 0) >>> (32 - m);
    if (top < absProduct(c)) out.push(c);
  }
}

// ---- read noise: an integer-only approximately Gaussian value

/** 1 / sqrt(16 + 1/12): the standard deviation of popcount(64 fair bits) + a uniform in [-1/2, 1/2), inverted. */
export const READ_NOISE_SCALE = 0.24935149047701483;

/** Set bits of a u32. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

// The words of the read noise are counter-based as well: word k (0, 1, 2) of line o (0 = the
// first output line of the read) in the m-th crossbar read the core executes since the chip was
// created or reset (m from 0, modulo 2^32):
//   core key  N   = fmix32(fmix32(seed ^ 0xbb67ae85) + 0x9e3779b9 (core + 1))   seed = runSeedOf(...)
//   read      M_m = fmix32(N ^ 0x9e3779b9 (m + 1))
//   word          = fmix32(M_m + 0x9e3779b9 (4 o + k))

/** N: the key of a core's read noise. */
export function noiseCoreKey(spec: HwSpec, runSeed: number, core: number): number {
  const seed = runSeedOf(spec.seed ?? 0, runSeed);
  return fmix32((fmix32((seed ^ 0xbb67ae85) >>> 0) + Math.imul(core + 1, 0x9e3779b9)) >>> 0);
}

/** M_m: the key of the core's m-th crossbar read. */
export function noiseReadKey(coreKey: number, m: number): number {
  return fmix32((coreKey ^ Math.imul((m + 1) >>> 0, 0x9e3779b9)) >>> 0);
}

/** The read noise of line o of the read with key M: readNoiseOf its words 0, 1, 2. */
export function readNoise(readKey: number, o: number): number {
  const word = (k: number) => fmix32((readKey + Math.imul(4 * o + k, 0x9e3779b9)) >>> 0);
  return readNoiseOf(word(0), word(1), word(2));
}

/**
 * The read-noise variate of three 32-bit words w0, w1, w2:
 * (popcount(w0) + popcount(w1) - 32 + w2 / 2^32 - 1/2) * READ_NOISE_SCALE: a binomial (64, 1/2)
 * centred and smoothed by a uniform, so mean 0 (-2^-33 scale), variance 1 (up to 2^-64), a
 * density constant on steps of 0.249 that stays within 0.03 of the normal one, P(|g| > 3) = 0.0025
 * (normal 0.0027), P(|g| > 4) = 4e-5 (normal 6e-5), nothing beyond +-8.1. Everything before the
 * one multiplication is exact, so JS and Wasm give the same double; no libm.
 */
export function readNoiseOf(w0: number, w1: number, w2: number): number {
  return (popcount32(w0) + popcount32(w1) - 32 + (w2 * 2 ** -32 - 0.5)) * READ_NOISE_SCALE;
}

/** A standard normal by Box-Muller: one value from two uniforms, no cached spare (no hidden state). */
export function gaussian(rng: Rng): number {
  const u1 = rng.uniform();
  const u2 = rng.uniform();
  return boxMuller(u1, u2);
}

/**
 * The Box-Muller transform of gaussian() (fixed-pattern mismatch, drawn by the host at load for
 * both backends). With the portable ln and cos (IEEE operations only; on Node 20's V8 they equal
 * Math.log and Math.cos bit for bit) the fixed pattern of a die seed is the same on every engine.
 */
export function boxMuller(u1: number, u2: number): number {
  // 1 - u1 lies in (0, 1], so the logarithm is finite; 2 pi u2 lies in [0, 2 pi)
  return Math.sqrt(-2 * ln(1 - u1)) * portableCos(2 * Math.PI * u2);
}

/** Fixed-pattern error of the ADCs of one core: gain (relative) and offset (ADC LSB) per line. */
export interface AdcMismatch {
  /** the ADCs of the columns (outputs of forward reads) */
  colGain: Float64Array;
  colOffset: Float64Array;
  /** the ADCs of the rows (outputs of transposed reads) */
  rowGain: Float64Array;
  rowOffset: Float64Array;
}

/**
 * Drawn once per core from the die seed when mismatch is enabled, all zero otherwise. Order: for
 * each column line its gain error then its offset error, then the same for each row line.
 */
export function adcMismatch(spec: HwSpec, core: number): AdcMismatch {
  const { rows, cols } = spec.core.crossbar;
  const m: AdcMismatch = { colGain: new Float64Array(cols), colOffset: new Float64Array(cols), rowGain: new Float64Array(rows), rowOffset: new Float64Array(rows) };
  if (!spec.mismatch.enabled) return m;
  const rng = new Rng(spec.seed ?? 0, MISMATCH_STREAM_BASE + core);
  const drawLines = (gain: Float64Array, offset: Float64Array) => {
    for (let j = 0; j < gain.length; j++) {
      gain[j] = spec.mismatch.adc_gain_std * gaussian(rng);
      offset[j] = spec.mismatch.adc_offset_std_lsb * gaussian(rng);
    }
  };
  drawLines(m.colGain, m.colOffset);
  drawLines(m.rowGain, m.rowOffset);
  return m;
}

// Every random draw of the chip, from the project's one generator (compiler/common/rng.ts,
// xoshiro128**): which generator serves what, how its seed is derived, and the Gaussian. Two
// seeds are involved: the hw-spec's `seed` is the die (fixed-pattern mismatch depends on it
// alone), the run seed is the run (read noise and stochastic rounding depend on both), so a new
// run seed changes noise-driven values only. The Wasm core must derive and draw identically.
import { Rng } from '../../compiler/common/rng.js';
import type { HwSpec } from '../../compiler/hwspec/types.js';

/** Stream numbers of the per-core run generators: stream = 2 * core + purpose. */
export const RUN_PURPOSE = { rounding: 0, noise: 1 } as const;
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
  /** stochastic rounding: rnd() in stochastic mode and outer.sr */
  rounding: Rng;
  /** ADC read noise */
  noise: Rng;
}

export function coreGenerators(spec: HwSpec, runSeed: number, core: number): CoreGenerators {
  const seed = runSeedOf(spec.seed ?? 0, runSeed);
  return { rounding: new Rng(seed, 2 * core + RUN_PURPOSE.rounding), noise: new Rng(seed, 2 * core + RUN_PURPOSE.noise) };
}

/** A standard normal by Box-Muller: one value from two uniforms, no cached spare (no hidden state). */
export function gaussian(rng: Rng): number {
  const u1 = rng.uniform();
  const u2 = rng.uniform();
  return boxMuller(u1, u2);
}

/** The Box-Muller transform of gaussian(): also what the Wasm core asks its host for (with this Math.log and Math.cos). */
export function boxMuller(u1: number, u2: number): number {
  // 1 - u1 lies in (0, 1], so the logarithm is finite
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
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

// The analog crossbar of the active core: reads through the DAC and ADC models (mvm, mvm.acc,
// mvmt, mvmt.acc) and outer-product plasticity (outer.rn, outer.sr), as Datapath.crossbarRead
// and Datapath.outer of emulator/chip/datapath.ts, bit for bit. Cells are i16 or i32 codes
// (the host picks i16 when every code the weight format allows fits); each function is generic
// over the cell type.
//
// Line sums: the reference sums W * drive in f64 over the inputs in increasing order. A forward
// read walks the rows outer and keeps one sum per column, so each column still adds its terms in
// increasing row order (the same bits). When every drive is an integer and every partial sum stays
// below 2^53 (the host proves it at load: SUM_I64, SUM_I32), each f64 addition is exact, so an
// integer sum converted to f64 is the same number, in any order (forwardSumsI16 uses v128 lanes).
// A zero drive adds +-0 to a sum that is never -0, which changes nothing, so its row is skipped.
//
// Plasticity: outer.sr rows draw their random words in one run (or jump the generator over a row
// whose products are all 0); the common row updates i16 cells four at a time.
import { roundReal, sat, satW, scl } from './arith';
import { fill, gaussians, jump, topBits } from './random';
import { ROUND_NEAREST_EVEN, SUM_F64, SUM_I32 } from './layout';
import {
  adcGain, adcMax, adcMin, adcOffset, cellsInRange, weightMax, weightMin, dacGain, dacMax, dacMin, dacOffset, diag, DRAWS, DRIVE_F, DRIVE_I, LIVE, mismatch, NOISE, noiseOn, OUT, readStd,
  rngNoise, rngRounding, roundAdc, SUM_F, SUM_I, sumMode, word, wordAt, xbar, xbarCols, xbarI16, xbarRows,
} from './state';
import * as S from './state';

/** the drive of one input line: dac.gain * (clamp(code, dac.range) + dac.offset) */
// @ts-ignore: decorator
@inline function dac(code: i64): f64 {
  // codes are int32 words times a power of two (or BEYOND): exact as doubles, as in the reference
  let c = <f64>code;
  if (c < dacMin) {
    S.dacClips += 1;
    c = dacMin;
  } else if (c > dacMax) {
    S.dacClips += 1;
    c = dacMax;
  }
  return dacGain * (c + dacOffset);
}

/**
 * The ADC code of line sum s on a line with fixed-pattern errors g, o and read noise n (0 without
 * noise): gain, offset, rounding.adc, clip to adc.range, evaluated left to right as the reference.
 */
// @ts-ignore: decorator
@inline function adc(s: f64, g: f64, o: f64, n: f64): f64 {
  const a = adcGain * (1.0 + g) * s + adcOffset + o + n;
  const c = roundReal(a, roundAdc == ROUND_NEAREST_EVEN);
  if (c < adcMin) {
    S.adcClips += 1;
    return adcMin;
  }
  if (c > adcMax) {
    S.adcClips += 1;
    return adcMax;
  }
  return c;
}

// @ts-ignore: decorator
@inline function cellAt<T>(row: i32, col: i32): usize {
  return xbar + ((<usize>row * <usize>xbarCols + <usize>col) << alignof<T>());
}

/**
 * SUM_I32 forward sums over i16 cells into SUM_I: eight columns per v128 (cells widened to i32,
 * times the splatted drive), the rows with a nonzero drive four at a time so that each strip of
 * sums is loaded and stored once per four rows. Integer sums: any order gives the same.
 */
function forwardSumsI16(row: i32, col: i32, rows: i32, cols: i32): void {
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const d = <i32>load<i64>(DRIVE_I + (<usize>r << 3));
    if (d == 0) continue;
    store<i32>(LIVE + (<usize>n << 3), <i32>cellAt<i16>(row + r, col));
    store<i32>(LIVE + (<usize>n << 3), d, 4);
    n++;
  }
  memory.fill(SUM_I, 0, <usize>cols << 2);
  const strips = cols & ~7;
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const at = LIVE + (<usize>k << 3);
    const w0 = <usize>load<i32>(at), w1 = <usize>load<i32>(at, 8), w2 = <usize>load<i32>(at, 16), w3 = <usize>load<i32>(at, 24);
    const d0 = i32x4.splat(load<i32>(at, 4)), d1 = i32x4.splat(load<i32>(at, 12)), d2 = i32x4.splat(load<i32>(at, 20)), d3 = i32x4.splat(load<i32>(at, 28));
    for (let c = 0; c < strips; c += 8) {
      const s = SUM_I + (<usize>c << 2);
      const o = <usize>c << 1;
      let lo = v128.load(s);
      let hi = v128.load(s, 16);
      let x = v128.load(w0 + o);
      lo = i32x4.add(lo, i32x4.mul(i32x4.extend_low_i16x8_s(x), d0));
      hi = i32x4.add(hi, i32x4.mul(i32x4.extend_high_i16x8_s(x), d0));
      x = v128.load(w1 + o);
      lo = i32x4.add(lo, i32x4.mul(i32x4.extend_low_i16x8_s(x), d1));
      hi = i32x4.add(hi, i32x4.mul(i32x4.extend_high_i16x8_s(x), d1));
      x = v128.load(w2 + o);
      lo = i32x4.add(lo, i32x4.mul(i32x4.extend_low_i16x8_s(x), d2));
      hi = i32x4.add(hi, i32x4.mul(i32x4.extend_high_i16x8_s(x), d2));
      x = v128.load(w3 + o);
      lo = i32x4.add(lo, i32x4.mul(i32x4.extend_low_i16x8_s(x), d3));
      hi = i32x4.add(hi, i32x4.mul(i32x4.extend_high_i16x8_s(x), d3));
      v128.store(s, lo);
      v128.store(s, hi, 16);
    }
  }
  for (; k < n; k++) {
    const w = <usize>load<i32>(LIVE + (<usize>k << 3));
    const d = i32x4.splat(load<i32>(LIVE + (<usize>k << 3), 4));
    for (let c = 0; c < strips; c += 8) {
      const s = SUM_I + (<usize>c << 2);
      const x = v128.load(w + (<usize>c << 1));
      v128.store(s, i32x4.add(v128.load(s), i32x4.mul(i32x4.extend_low_i16x8_s(x), d)));
      v128.store(s, i32x4.add(v128.load(s, 16), i32x4.mul(i32x4.extend_high_i16x8_s(x), d)), 16);
    }
  }
  for (let c = strips; c < cols; c++) {
    let t: i32 = 0;
    for (let j = 0; j < n; j++) t += <i32>load<i16>(<usize>load<i32>(LIVE + (<usize>j << 3)) + (<usize>c << 1)) * load<i32>(LIVE + (<usize>j << 3), 4);
    store<i32>(SUM_I + (<usize>c << 2), t);
  }
  for (let c = 0; c < cols; c++) store<f64>(SUM_F + (<usize>c << 3), <f64>load<i32>(SUM_I + (<usize>c << 2)));
}

/** sums of a forward read into SUM_F: columns col .. col + cols, inputs on rows row .. row + rows */
function forwardSums<T>(row: i32, col: i32, rows: i32, cols: i32): void {
  if (sumMode == SUM_F64) {
    memory.fill(SUM_F, 0, <usize>cols << 3);
    for (let r = 0; r < rows; r++) {
      const d = load<f64>(DRIVE_F + (<usize>r << 3));
      if (d == 0) continue;
      const w = cellAt<T>(row + r, col);
      for (let c = 0; c < cols; c++) {
        const at = SUM_F + (<usize>c << 3);
        store<f64>(at, load<f64>(at) + <f64>load<T>(w + (<usize>c << alignof<T>())) * d);
      }
    }
    return;
  }
  if (sumMode == SUM_I32) {
    memory.fill(SUM_I, 0, <usize>cols << 2);
    for (let r = 0; r < rows; r++) {
      const d = <i32>load<i64>(DRIVE_I + (<usize>r << 3));
      if (d == 0) continue;
      const w = cellAt<T>(row + r, col);
      for (let c = 0; c < cols; c++) {
        const at = SUM_I + (<usize>c << 2);
        store<i32>(at, load<i32>(at) + <i32>load<T>(w + (<usize>c << alignof<T>())) * d);
      }
    }
    for (let c = 0; c < cols; c++) store<f64>(SUM_F + (<usize>c << 3), <f64>load<i32>(SUM_I + (<usize>c << 2)));
    return;
  }
  memory.fill(SUM_I, 0, <usize>cols << 3);
  for (let r = 0; r < rows; r++) {
    const d = load<i64>(DRIVE_I + (<usize>r << 3));
    if (d == 0) continue;
    const w = cellAt<T>(row + r, col);
    for (let c = 0; c < cols; c++) {
      const at = SUM_I + (<usize>c << 3);
      store<i64>(at, load<i64>(at) + <i64>load<T>(w + (<usize>c << alignof<T>())) * d);
    }
  }
  for (let c = 0; c < cols; c++) store<f64>(SUM_F + (<usize>c << 3), <f64>load<i64>(SUM_I + (<usize>c << 3)));
}

/** sums of a transposed read into SUM_F: rows row .. row + rows, inputs on columns col .. col + cols */
function transposedSums<T>(row: i32, col: i32, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const w = cellAt<T>(row + r, col);
    let s: f64 = 0;
    if (sumMode == SUM_F64) {
      for (let c = 0; c < cols; c++) s += <f64>load<T>(w + (<usize>c << alignof<T>())) * load<f64>(DRIVE_F + (<usize>c << 3));
    } else if (sumMode == SUM_I32) {
      let t: i32 = 0;
      for (let c = 0; c < cols; c++) t += <i32>load<T>(w + (<usize>c << alignof<T>())) * <i32>load<i64>(DRIVE_I + (<usize>c << 3));
      s = <f64>t;
    } else {
      let t: i64 = 0;
      for (let c = 0; c < cols; c++) t += <i64>load<T>(w + (<usize>c << alignof<T>())) * load<i64>(DRIVE_I + (<usize>c << 3));
      s = <f64>t;
    }
    store<f64>(SUM_F + (<usize>r << 3), s);
  }
}

/**
 * mvm, mvm.acc (transposed = false) and mvmt, mvmt.acc: all input scalings and DAC drives first
 * (rounding draws in input order), then per output line its noise and its output scaling.
 */
export function crossbarRead(dst: i32, src: i32, row: i32, col: i32, rows: i32, cols: i32, shi: i32, sho: i32, transposed: bool, accumulate: bool): void {
  const inLen = transposed ? cols : rows;
  const outLen = transposed ? rows : cols;
  for (let k = 0; k < inLen; k++) {
    const d = dac(scl(word(src + k), shi));
    store<f64>(DRIVE_F + (<usize>k << 3), d);
    // in the integer modes d is a whole number below 2^53
    if (sumMode != SUM_F64) store<i64>(DRIVE_I + (<usize>k << 3), <i64>d);
  }
  if (transposed) {
    if (xbarI16) transposedSums<i16>(row, col, rows, cols);
    else transposedSums<i32>(row, col, rows, cols);
  } else {
    if (xbarI16 && sumMode == SUM_I32) forwardSumsI16(row, col, rows, cols);
    else if (xbarI16) forwardSums<i16>(row, col, rows, cols);
    else forwardSums<i32>(row, col, rows, cols);
  }
  // mismatch: column gains, column offsets, row gains, row offsets
  const cols2 = <usize>xbarCols << 1;
  const gains = transposed ? mismatch + (cols2 << 3) + (<usize>row << 3) : mismatch + (<usize>col << 3);
  const offsets = transposed ? gains + (<usize>xbarRows << 3) : gains + (<usize>xbarCols << 3);
  // read noise: one gaussian per line, in line order, from the noise generator
  if (noiseOn) gaussians(rngNoise, NOISE, outLen);
  for (let o = 0; o < outLen; o++) {
    const n = noiseOn ? readStd * load<f64>(NOISE + (<usize>o << 3)) : 0.0;
    const code = adc(load<f64>(SUM_F + (<usize>o << 3)), load<f64>(gains + (<usize>o << 3)), load<f64>(offsets + (<usize>o << 3)), n);
    const y = scl(<i64>code, sho);
    store<i32>(OUT + (<usize>o << 2), <i32>sat(accumulate ? word(dst + o) + y : y));
  }
  memory.copy(wordAt(dst), OUT, <usize>outLen << 2);
}

/** noSelf diagonal cells among the n cells of a row from mask byte `at` */
function diagonalCells(at: usize, n: i32): i32 {
  let k = 0;
  for (let c = 0; c < n; c++) k += load<u8>(at + <usize>c);
  return k;
}

/**
 * The common row of outer.sr: no noSelf cell and a shift of 1 to 32, so one random word per cell
 * and q = its top sh bits < 2^32; |a x| <= 2^62, so floor((a x + q) / 2^sh) is a plain i64 shift.
 * Cells c0 .. cols one by one.
 */
function stochasticRow<T>(w: usize, ar: i64, x: usize, c0: i32, cols: i32, sh: i32): void {
  const top = <u32>(32 - sh);
  for (let c = c0; c < cols; c++) {
    const q = <i64>(load<u32>(DRAWS + (<usize>c << 2)) >>> top);
    const dw = (ar * <i64>load<i32>(x + (<usize>c << 2)) + q) >> <i64>sh;
    if (dw != 0 || !cellsInRange) {
      const at = w + (<usize>c << alignof<T>());
      store<T>(at, <T>satW(<i64>load<T>(at) + dw));
    }
  }
}

/** v clamped to [-2^20, 2^20] (i64 lanes) */
// @ts-ignore: decorator
@inline function clampUpdate(v: v128): v128 {
  const big = i64x2.splat(1 << 20);
  const small = i64x2.splat(-(1 << 20));
  v = v128.bitselect(big, v, i64x2.gt_s(v, big));
  return v128.bitselect(small, v, i64x2.lt_s(v, small));
}

/**
 * stochasticRow on i16 cells, four per step: products and sums in i64 lanes, then the update
 * clamped to +-2^20 (beyond it an int16 cell saturates to the same side either way), added in i32
 * lanes and saturated to the weight format, every clamp counted. The tail goes one by one.
 */
function stochasticRowI16(w: usize, ar: i64, x: usize, cols: i32, sh: i32): void {
  const top = <u32>(32 - sh);
  const a = i32x4.splat(<i32>ar);
  const lo = i32x4.splat(<i32>weightMin);
  const hi = i32x4.splat(<i32>weightMax);
  const quads = cols & ~3;
  let clamps = 0;
  for (let c = 0; c < quads; c += 4) {
    const xv = v128.load(x + (<usize>c << 2));
    const q = i32x4.shr_u(v128.load(DRAWS + (<usize>c << 2)), top);
    const d0 = clampUpdate(i64x2.shr_s(i64x2.add(i64x2.extmul_low_i32x4_s(a, xv), i64x2.extend_low_i32x4_u(q)), sh));
    const d1 = clampUpdate(i64x2.shr_s(i64x2.add(i64x2.extmul_high_i32x4_s(a, xv), i64x2.extend_high_i32x4_u(q)), sh));
    const at = w + (<usize>c << 1);
    const v = i32x4.add(i32x4.extend_low_i16x8_s(v128.load64_zero(at)), i32x4.shuffle(d0, d1, 0, 2, 4, 6));
    clamps += popcnt(i32x4.bitmask(v128.or(i32x4.lt_s(v, lo), i32x4.gt_s(v, hi))));
    v128.store64_lane(at, i16x8.narrow_i32x4_s(i32x4.max_s(i32x4.min_s(v, hi), lo), lo), 0);
  }
  S.weightSaturations += <f64>clamps;
  stochasticRow<i16>(w, ar, x, quads, cols, sh);
}

/**
 * Rows outer, columns inner. outer.sr draws the row's random words in one run first (the same
 * words in the same order as one draw per cell), then adds floor((a x + q) / 2^sh). A product of
 * 0 adds 0 (q < 2^sh), which changes no cell of an image whose cells are all in the weight range:
 * such cells and rows only advance the generator (a row in one jump when the host made a table).
 */
function outerCells<T>(a: i32, x: i32, row: i32, col: i32, rows: i32, cols: i32, sh: i32, stochastic: bool, jumpTable: usize): void {
  const words = stochastic && sh != 0 ? (sh > 32 ? 2 : 1) : 0;
  const mask: u64 = sh == 0 ? 0 : (<u64>1 << <u64>sh) - 1;
  const half: u64 = sh == 0 ? 0 : <u64>1 << <u64>(sh - 1);
  for (let r = 0; r < rows; r++) {
    const ar = word(a + r);
    const w = cellAt<T>(row + r, col);
    const noSelf: usize = diag == 0 ? 0 : diag + <usize>(row + r) * <usize>xbarCols + <usize>col;
    const draws = words == 0 ? 0 : noSelf == 0 ? cols : cols - diagonalCells(noSelf, cols);
    S.draws += <f64>draws;
    if (ar == 0 && cellsInRange && noSelf == 0) {
      if (jumpTable != 0) jump(rngRounding, jumpTable);
      else if (words != 0) fill(rngRounding, 0, draws * words);
      continue;
    }
    if (words != 0) fill(rngRounding, DRAWS, draws * words);
    if (words == 1 && noSelf == 0) {
      if (sizeof<T>() == 2) stochasticRowI16(w, ar, wordAt(x), cols, sh);
      else stochasticRow<T>(w, ar, wordAt(x), 0, cols, sh);
      continue;
    }
    let k = 0;
    for (let c = 0; c < cols; c++) {
      const at = w + (<usize>c << alignof<T>());
      if (noSelf != 0 && load<u8>(noSelf + <usize>c) != 0) {
        store<T>(at, 0);
        continue;
      }
      const p = ar * word(x + c);
      let dw = p;
      if (sh != 0) {
        let q = half;
        if (words != 0) {
          const d = DRAWS + (<usize>k << (words + 1));
          q = topBits(load<u32>(d), words == 2 ? load<u32>(d, 4) : 0, sh);
          k++;
        }
        dw = (p >> <i64>sh) + <i64>(((<u64>p & mask) + q) >> <u64>sh);
      }
      if (dw != 0 || !cellsInRange) store<T>(at, <T>satW(<i64>load<T>(at) + dw));
    }
  }
}

/**
 * outer.rn (rn: ties up) and outer.sr (sr: stochastic): rows outer, columns inner. `jumpTable`
 * (outer.sr, 0 if none) advances the generator by one row's draws at once.
 */
export function outer(a: i32, x: i32, row: i32, col: i32, rows: i32, cols: i32, sh: i32, stochastic: bool, jumpTable: usize): void {
  if (xbarI16) outerCells<i16>(a, x, row, col, rows, cols, sh, stochastic, jumpTable);
  else outerCells<i32>(a, x, row, col, rows, cols, sh, stochastic, jumpTable);
}

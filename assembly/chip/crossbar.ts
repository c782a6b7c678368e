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
// Plasticity: outer.sr draws are counter-based (emulator/chip/random.ts), a pure function of the
// execution, row and column, so rows whose presynaptic factor is 0 are skipped without a draw, and
// the common row (i16 cells, shift <= 32, products within i32) draws and updates four cells per
// v128 step. Rows whose products are small against 2^sh are thinned (random.ts): only their
// candidates are drawn and visited.
import { roundReal, sat, satW, scl } from './arith';
import { maxAbsWords, nonzeroIndices } from './lanes';
import { mvmt_i16 } from '../xbar/index';
import { fmix32x4, fmixM1, fmixM2, noiseReadKey, outerDropSurelyEmpty, outerAccept, outerExecutionKey, outerFirstCandidate, outerLogKeep, outerNextCandidate, outerRowKey, outerSurelyNone, outerThinExponent, outerWord, readNoises, topBits } from './random';
import { RNG_NOISE_COUNT, RNG_NOISE_KEY, RNG_OUTER_COUNT, RNG_OUTER_KEY, ROUND_FLOOR, ROUND_NEAREST_EVEN, SUM_F64, SUM_I32, SUM_I64 } from './layout';
import {
  adcMax, adcMin, adcOffset, cellsInRange, weightMax, weightMin, dacGain, dacMax, dacMin, dacOffset, diag, DRIVE_F, DRIVE_I, LIVE, mismatch, NOISE, noiseOn, OUT, readStd,
  pin, rngNoise, rngOuter, roundAdc, SUM_F, SUM_I, sumMode, word, wordAt, xbar, xbarCols, xbarI16, xbarRows,
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
 * The ADC code of line sum s on a line of gain `gain` (adc.gain (1 + g), g its fixed-pattern gain
 * error), offset error o and read noise n (0 without noise): gain, offset, rounding.adc, clip to
 * adc.range, evaluated left to right as the reference.
 */
// @ts-ignore: decorator
@inline function adc(s: f64, gain: f64, o: f64, n: f64): f64 {
  const a = gain * s + adcOffset + o + n;
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

/** (a0, b0, a1, b1, a2, b2, a3, b3): the low halves of two rows, interleaved */
// @ts-ignore: decorator
@inline function lo2(a: v128, b: v128): v128 {
  return i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
}

// @ts-ignore: decorator
@inline function hi2(a: v128, b: v128): v128 {
  return i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
}

/**
 * The rows with a nonzero drive in pairs, at LIVE: first-cell addresses of rows a and b and the
 * drives (d[a], d[b]) as two i16, 12 bytes a pair (an odd row paired with itself and a zero
 * drive). Returns the number of pairs, or -1 when `refuseMin` and some drive is -32768 (then two
 * products of a pair could reach 2^31, beyond i32x4.dot_i16x8_s).
 */
function livePairs(row: i32, col: i32, rows: i32, refuseMin: bool): i32 {
  // the rows with a nonzero drive, in OUT, free until the conversion
  const live = nonzeroIndices<i64>(DRIVE_I, rows, OUT);
  if (refuseMin) {
    for (let k = 0; k < live; k++) if (load<i64>(DRIVE_I + (<usize>load<i32>(OUT + (<usize>k << 2)) << 3)) == -32768) return -1;
  }
  const n = (live + 1) >> 1;
  for (let k = 0; k < n; k++) {
    const a = load<i32>(OUT + (<usize>(2 * k) << 2));
    // an odd row count: the last row paired with itself and a zero drive
    const odd = 2 * k + 1 == live;
    const b = odd ? a : load<i32>(OUT + (<usize>(2 * k + 1) << 2));
    const da = <i32>load<i64>(DRIVE_I + (<usize>a << 3));
    const db = odd ? 0 : <i32>load<i64>(DRIVE_I + (<usize>b << 3));
    const at = LIVE + <usize>k * 12;
    store<i32>(at, <i32>cellAt<i16>(row + a, col));
    store<i32>(at, <i32>cellAt<i16>(row + b, col), 4);
    store<i32>(at, (da & 0xffff) | (db << 16), 8);
  }
  return n;
}

/** i64x2 lanes of an i32x4 (low, high) added to acc */
// @ts-ignore: decorator
@inline function addLow64(acc: v128, x: v128): v128 {
  return i64x2.add(acc, i64x2.extend_low_i32x4_s(x));
}

// @ts-ignore: decorator
@inline function addHigh64(acc: v128, x: v128): v128 {
  return i64x2.add(acc, i64x2.extend_high_i32x4_s(x));
}

/** two i64 lanes as doubles (exact: the caller's sums stay below 2^53) at f */
// @ts-ignore: decorator
@inline function storeI64x2AsF64(f: usize, v: v128): void {
  store<f64>(f, <f64>i64x2.extract_lane(v, 0));
  store<f64>(f, <f64>i64x2.extract_lane(v, 1), 8);
}

/**
 * SUM_I64 forward sums over i16 cells with i16 drives (the high-precision preset): the pairs of
 * forwardSumsPairs, each pair's dot (w[a][c] d[a] + w[b][c] d[b], below 2^31 in magnitude since
 * no drive is -32768) widened to i64 lanes and added there, eight columns per step. Integer sums,
 * exact (the host proved them below 2^53): any order gives the reference's doubles. Returns false
 * (nothing done) when a drive is -32768; the scalar forwardSums then runs.
 */
function forwardSumsPairsWide(row: i32, col: i32, rows: i32, cols: i32): bool {
  const n = livePairs(row, col, rows, true);
  if (n < 0) return false;
  const end = LIVE + <usize>n * 12;
  // the columns left over by the steps of 8 in one more step ending at cols (it computes a few
  // columns again: the same exact integers)
  const c8 = cols >= 8 ? cols : 0;
  let c = 0;
  for (; c < c8; c += 8) {
    if (c > cols - 8) c = cols - 8;
    const off = <usize>c << 1;
    let s0 = i64x2.splat(0), s1 = i64x2.splat(0), s2 = i64x2.splat(0), s3 = i64x2.splat(0);
    for (let p = LIVE; p < end; p += 12) {
      const u0 = v128.load(<usize>load<i32>(p) + off), v0 = v128.load(<usize>load<i32>(p, 4) + off);
      const dd = v128.load32_splat(p + 8);
      const lo = i32x4.dot_i16x8_s(lo2(u0, v0), dd);
      const hi = i32x4.dot_i16x8_s(hi2(u0, v0), dd);
      s0 = addLow64(s0, lo);
      s1 = addHigh64(s1, lo);
      s2 = addLow64(s2, hi);
      s3 = addHigh64(s3, hi);
    }
    const f = SUM_F + (<usize>c << 3);
    storeI64x2AsF64(f, s0);
    storeI64x2AsF64(f + 16, s1);
    storeI64x2AsF64(f + 32, s2);
    storeI64x2AsF64(f + 48, s3);
  }
  for (; c < cols; c++) {
    const off = <usize>c << 1;
    let t: i64 = 0;
    for (let p = LIVE; p < end; p += 12) {
      const dd = load<i32>(p, 8);
      t += <i64>(<i32>load<i16>(<usize>load<i32>(p) + off) * (dd << 16 >> 16)) + <i64>(<i32>load<i16>(<usize>load<i32>(p, 4) + off) * (dd >> 16));
    }
    store<f64>(SUM_F + (<usize>c << 3), <f64>t);
  }
  return true;
}

/**
 * SUM_I32 forward sums over i16 cells with i16 drives into SUM_F, the design of mvm_i16 in
 * assembly/xbar over the rows with a nonzero drive only: those rows in pairs (an odd one paired
 * with a zero drive), each pair's cells interleaved and dotted with its splatted drive pair
 * (i32x4.dot_i16x8_s: w[a][c] d[a] + w[b][c] d[b]), strips of 16 columns whose four sums stay in
 * registers over all pairs. Integer sums in i32, exact in SUM_I32 mode: any order gives the same.
 */
function forwardSumsPairs(row: i32, col: i32, rows: i32, cols: i32): void {
  const n = livePairs(row, col, rows, false);
  const end = LIVE + <usize>n * 12;
  const c16 = cols & ~15;
  // the columns left over by the steps of 16 and 8 in one more step of 8 ending at cols (it
  // computes a few columns again: the same exact integers)
  const c8 = cols >= 8 ? cols : 0;
  let c = 0;
  for (; c < c16; c += 16) {
    const off = <usize>c << 1;
    let s0 = i32x4.splat(0), s1 = i32x4.splat(0), s2 = i32x4.splat(0), s3 = i32x4.splat(0);
    for (let p = LIVE; p < end; p += 12) {
      const u = <usize>load<i32>(p) + off;
      const v = <usize>load<i32>(p, 4) + off;
      const dd = v128.load32_splat(p + 8);
      const u0 = v128.load(u), v0 = v128.load(v), u1 = v128.load(u, 16), v1 = v128.load(v, 16);
      s0 = i32x4.add(s0, i32x4.dot_i16x8_s(lo2(u0, v0), dd));
      s1 = i32x4.add(s1, i32x4.dot_i16x8_s(hi2(u0, v0), dd));
      s2 = i32x4.add(s2, i32x4.dot_i16x8_s(lo2(u1, v1), dd));
      s3 = i32x4.add(s3, i32x4.dot_i16x8_s(hi2(u1, v1), dd));
    }
    const f = SUM_F + (<usize>c << 3);
    v128.store(f, f64x2.convert_low_i32x4_s(s0));
    v128.store(f, f64x2.convert_low_i32x4_s(i32x4.shuffle(s0, s0, 2, 3, 0, 1)), 16);
    v128.store(f, f64x2.convert_low_i32x4_s(s1), 32);
    v128.store(f, f64x2.convert_low_i32x4_s(i32x4.shuffle(s1, s1, 2, 3, 0, 1)), 48);
    v128.store(f, f64x2.convert_low_i32x4_s(s2), 64);
    v128.store(f, f64x2.convert_low_i32x4_s(i32x4.shuffle(s2, s2, 2, 3, 0, 1)), 80);
    v128.store(f, f64x2.convert_low_i32x4_s(s3), 96);
    v128.store(f, f64x2.convert_low_i32x4_s(i32x4.shuffle(s3, s3, 2, 3, 0, 1)), 112);
  }
  for (; c < c8; c += 8) {
    if (c > cols - 8) c = cols - 8;
    const off = <usize>c << 1;
    let s0 = i32x4.splat(0), s1 = i32x4.splat(0);
    for (let p = LIVE; p < end; p += 12) {
      const u0 = v128.load(<usize>load<i32>(p) + off), v0 = v128.load(<usize>load<i32>(p, 4) + off);
      const dd = v128.load32_splat(p + 8);
      s0 = i32x4.add(s0, i32x4.dot_i16x8_s(lo2(u0, v0), dd));
      s1 = i32x4.add(s1, i32x4.dot_i16x8_s(hi2(u0, v0), dd));
    }
    const f = SUM_F + (<usize>c << 3);
    v128.store(f, f64x2.convert_low_i32x4_s(s0));
    v128.store(f, f64x2.convert_low_i32x4_s(i32x4.shuffle(s0, s0, 2, 3, 0, 1)), 16);
    v128.store(f, f64x2.convert_low_i32x4_s(s1), 32);
    v128.store(f, f64x2.convert_low_i32x4_s(i32x4.shuffle(s1, s1, 2, 3, 0, 1)), 48);
  }
  for (; c < cols; c++) {
    const off = <usize>c << 1;
    let t: i32 = 0;
    for (let p = LIVE; p < end; p += 12) {
      const dd = load<i32>(p, 8);
      t += <i32>load<i16>(<usize>load<i32>(p) + off) * (dd << 16 >> 16) + <i32>load<i16>(<usize>load<i32>(p, 4) + off) * (dd >> 16);
    }
    store<f64>(SUM_F + (<usize>c << 3), <f64>t);
  }
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
  const drivesFitI16 = drives(src, inLen, shi);
  if (transposed) {
    if (xbarI16 && sumMode == SUM_I32 && drivesFitI16) transposedSumsI16(row, col, rows, cols);
    else if (xbarI16) transposedSums<i16>(row, col, rows, cols);
    else transposedSums<i32>(row, col, rows, cols);
  } else {
    if (xbarI16 && sumMode == SUM_I32 && drivesFitI16) forwardSumsPairs(row, col, rows, cols);
    else if (xbarI16 && sumMode == SUM_I32) forwardSumsI16(row, col, rows, cols);
    else if (xbarI16 && sumMode == SUM_I64 && drivesFitI16 && forwardSumsPairsWide(row, col, rows, cols)) {
      // done in i64 lanes
    } else if (xbarI16) forwardSums<i16>(row, col, rows, cols);
    else forwardSums<i32>(row, col, rows, cols);
  }
  // the lines' ADC gains adc.gain (1 + g) and offsets: columns, column offsets, rows, row offsets
  const cols2 = <usize>xbarCols << 1;
  const gains = transposed ? mismatch + (cols2 << 3) + (<usize>row << 3) : mismatch + (<usize>col << 3);
  const offsets = transposed ? gains + (<usize>xbarRows << 3) : gains + (<usize>xbarCols << 3);
  // read noise: one value per line, counter-based on m, the reads so far (counted with or without noise)
  const count = rngNoise + <usize>(RNG_NOISE_COUNT - RNG_NOISE_KEY);
  const m = load<u32>(count);
  store<u32>(count, m + 1);
  if (noiseOn) readNoises(noiseReadKey(load<u32>(rngNoise), m), NOISE, outLen);
  convert(dst, outLen, gains, offsets, sho, accumulate);
}

/**
 * The inputs of a read: scl by shi (rounding draws in input order), DAC, into DRIVE_F in the f64
 * sum mode, DRIVE_I in the integer ones. Returns whether every drive fits an i16 (integer modes only).
 */
function drives(src: i32, inLen: i32, shi: i32): bool {
  let fits = sumMode != SUM_F64;
  let k = 0;
  // the common case in i32 lanes: unit DAC (drive = clipped code), integer sums, no draws
  const unitDac = dacGain == 1.0 && dacOffset == 0.0 && dacMin >= -2147483648.0 && dacMax <= 2147483647.0;
  if (fits && unitDac && (S.roundState == ROUND_NEAREST_EVEN || S.roundState == ROUND_FLOOR) && shi <= 0 && shi >= -30) {
    k = drivesUnit(src, inLen, -shi, S.roundState == ROUND_NEAREST_EVEN);
    fits = dacMin >= -32768.0 && dacMax <= 32767.0;
  }
  for (; k < inLen; k++) {
    const d = dac(scl(word(src + k), shi));
    // in the integer modes d is a whole number below 2^53, and DRIVE_F is not read
    if (sumMode == SUM_F64) store<f64>(DRIVE_F + (<usize>k << 3), d);
    else {
      store<i64>(DRIVE_I + (<usize>k << 3), <i64>d);
      fits = fits && d >= -32768 && d <= 32767;
    }
  }
  return fits;
}

/**
 * drives() for inputs [0, inLen & ~3), four per i32x4: rnd(x, s) (nearest even or floor, s <= 30,
 * branch-free as in arith.ts), clipped to dac.range (clips counted per lane), which with a unit
 * DAC is the drive. Returns the first input it did not drive.
 */
function drivesUnit(src: i32, inLen: i32, s: i32, nearestEven: bool): i32 {
  const quads = inLen & ~3;
  if (quads == 0) return 0;
  const lo = pin(0, i32x4.splat(<i32>dacMin));
  const hi = pin(1, i32x4.splat(<i32>dacMax));
  const mask = pin(2, i32x4.splat(s == 0 ? 0 : (1 << s) - 1));
  const bias = pin(3, i32x4.splat(s == 0 ? 0 : (1 << (s - 1)) - 1));
  const one = pin(4, i32x4.splat(1));
  let clips = i32x4.splat(0);
  const x0 = wordAt(src);
  for (let k = 0; k < quads; k += 4) {
    let c = v128.load(x0 + (<usize>k << 2));
    if (s != 0) {
      const q = i32x4.shr_s(c, s);
      // q + (r + 2^(s-1) - 1 + (q & 1)) >> s: below 2^31 + 2^30, so an unsigned shift of the u32 sum
      c = nearestEven ? i32x4.add(q, i32x4.shr_u(i32x4.add(i32x4.add(v128.and(c, mask), bias), v128.and(q, one)), s)) : q;
    }
    const cl = i32x4.lt_s(c, lo), ch = i32x4.gt_s(c, hi);
    clips = i32x4.add(clips, v128.or(cl, ch));
    c = i32x4.max_s(i32x4.min_s(c, hi), lo);
    // only the integer sum modes come here, and they read DRIVE_I alone
    const d = DRIVE_I + (<usize>k << 3);
    v128.store(d, i64x2.extend_low_i32x4_s(c));
    v128.store(d, i64x2.extend_high_i32x4_s(c), 16);
  }
  S.dacClips -= <f64>(i32x4.extract_lane(clips, 0) + i32x4.extract_lane(clips, 1) + i32x4.extract_lane(clips, 2) + i32x4.extract_lane(clips, 3));
  return quads;
}

/**
 * SUM_I32 transposed sums over i16 cells with i16 drives: the transposed kernel of assembly/xbar
 * (i32x4.dot_i16x8_s, four rows sharing each load of the drives), exact in i32 in SUM_I32 mode.
 */
function transposedSumsI16(row: i32, col: i32, rows: i32, cols: i32): void {
  // the drives padded with zeros to a multiple of 8: the kernel's 8-cell steps then cover every
  // column without its per-row tail (the at most 7 cells read past a row, of the next row or the
  // 16 bytes wasm-layout.ts leaves after the crossbar, meet a zero drive)
  const padded = (cols + 7) & ~7;
  for (let c = 0; c < cols; c++) store<i16>(LIVE + (<usize>c << 1), <i16>load<i64>(DRIVE_I + (<usize>c << 3)));
  for (let c = cols; c < padded; c++) store<i16>(LIVE + (<usize>c << 1), 0);
  mvmt_i16(cellAt<i16>(row, col), rows, padded, xbarCols, LIVE, SUM_I);
  for (let r = 0; r < rows; r++) store<f64>(SUM_F + (<usize>r << 3), <f64>load<i32>(SUM_I + (<usize>r << 2)));
}

/**
 * Line sums in SUM_F through the ADCs (with NOISE), scaled by sho and saturated (or added to dst),
 * into dst: straight there, since nothing the conversion reads lies in vector memory but dst's own
 * word, read before it is written.
 */
function convert(dst: i32, outLen: i32, gains: usize, offsets: usize, sho: i32, accumulate: bool): void {
  let o = 0;
  // two lines per f64x2 while every intermediate is an integer below 2^53 (|code| <= 2^32, sho <= 20)
  if (sho >= 0 && sho <= 20) o = convertPairs(dst, outLen, gains, offsets, sho, accumulate);
  for (; o < outLen; o++) {
    const n = noiseOn ? readStd * load<f64>(NOISE + (<usize>o << 3)) : 0.0;
    const code = adc(load<f64>(SUM_F + (<usize>o << 3)), load<f64>(gains + (<usize>o << 3)), load<f64>(offsets + (<usize>o << 3)), n);
    const y = scl(<i64>code, sho);
    store<i32>(wordAt(dst + o), <i32>sat(accumulate ? word(dst + o) + y : y));
  }
}

/**
 * convert() for lines [0, outLen & ~1) in f64x2 lanes, the same IEEE operations in the same order
 * as adc() (so the same doubles), then the code times 2^sho, plus dst for .acc, clamped to the
 * state format: exact integers in doubles, as the caller made sure. Clips and saturations are
 * counted per lane. Returns the first line it did not convert.
 */
function convertPairs(dst: i32, outLen: i32, gains: usize, offsets: usize, sho: i32, accumulate: bool): i32 {
  const pairs = outLen & ~1;
  if (pairs == 0) return 0;
  const offset = pin(2, f64x2.splat(adcOffset));
  const std = pin(3, f64x2.splat(readStd));
  const lo = pin(4, f64x2.splat(adcMin));
  const hi = pin(5, f64x2.splat(adcMax));
  const sLo = pin(6, f64x2.splat(<f64>S.stateMin));
  const sHi = pin(7, f64x2.splat(<f64>S.stateMax));
  const scale = pin(8, f64x2.splat(<f64>(<i64>1 << <i64>sho)));
  const magic = pin(9, f64x2.splat(6755399441055744.0));
  const nearestEven = roundAdc == ROUND_NEAREST_EVEN;
  // whether a result can leave the state format (without .acc, only if the ADC range scaled does)
  const mayLeave = accumulate || adcMin * <f64>(<i64>1 << <i64>sho) < <f64>S.stateMin || adcMax * <f64>(<i64>1 << <i64>sho) > <f64>S.stateMax;
  const out = wordAt(dst);
  let clips = i64x2.splat(0);
  let sats = i64x2.splat(0);
  for (let o = 0; o < pairs; o += 2) {
    const at = <usize>o << 3;
    let a = f64x2.add(f64x2.mul(v128.load(gains + at), v128.load(SUM_F + at)), offset);
    a = f64x2.add(a, v128.load(offsets + at));
    // + n, also + 0.0 without noise as the reference (which can only turn -0 into +0)
    a = f64x2.add(a, noiseOn ? f64x2.mul(std, v128.load(NOISE + at)) : f64x2.splat(0.0));
    let c = nearestEven ? f64x2.nearest(a) : f64x2.floor(a);
    const cl = f64x2.lt(c, lo), ch = f64x2.gt(c, hi);
    clips = i64x2.sub(i64x2.sub(clips, cl), ch);
    // clamps as pmin / pmax (one minpd / maxpd each, where bitselect takes three or four
    // instructions): the same values, but for the sign of a zero, which no later step can see
    // (the result is an integer word)
    c = f64x2.pmax(lo, f64x2.pmin(hi, c));
    let y = f64x2.mul(c, scale);
    if (accumulate) y = f64x2.add(y, f64x2.convert_low_i32x4_s(v128.load64_zero(wordAt(dst + o))));
    if (mayLeave) {
      const yl = f64x2.lt(y, sLo), yh = f64x2.gt(y, sHi);
      sats = i64x2.sub(i64x2.sub(sats, yl), yh);
      y = f64x2.pmax(sLo, f64x2.pmin(sHi, y));
    }
    // y is a whole number within the state format (at most 32 bits): y + 1.5 2^52 is exact and its
    // low 32 bits are y as an i32 (two instructions, where trunc_sat_f64x2_s_zero takes about eight)
    const bits = f64x2.add(y, magic);
    v128.store64_lane(out + (<usize>o << 2), i32x4.shuffle(bits, bits, 0, 2, 0, 2), 0);
  }
  S.adcClips += <f64>(i64x2.extract_lane(clips, 0) + i64x2.extract_lane(clips, 1));
  S.stateSaturations += <f64>(i64x2.extract_lane(sats, 0) + i64x2.extract_lane(sats, 1));
  return pairs;
}

/** noSelf diagonal cells among the n cells of a row from mask byte `at` */
function diagonalCells(at: usize, n: i32): i32 {
  let k = 0;
  for (let c = 0; c < n; c++) k += load<u8>(at + <usize>c);
  return k;
}

/** floor((p + q) / 2^sh) per i32 lane, q = the top sh bits of the word d; FULL: sh = 32 */
// @ts-ignore: decorator
@inline function srUpdate<FULL>(p: v128, d: v128, mask: v128, sh: i32, top: u32): v128 {
  // FULL: (p < 0 ? -1 : 0) + the carry of (p mod 2^32) + d
  if (isSigned<FULL>()) return i32x4.add(i32x4.shr_s(p, sh), i32x4.shr_u(i32x4.add(v128.and(p, mask), i32x4.shr_u(d, top)), sh));
  return i32x4.sub(i32x4.shr_s(p, 31), i32x4.lt_u(i32x4.add(p, d), p));
}

/**
 * The common row of outer.sr on i16 cells: no noSelf cell, 1 <= sh <= 32, every product a x within
 * i32. Eight cells per step: their words (outerWord, k = 0) in u32 lanes, floor((p + q) / 2^sh) in
 * i32 lanes, added to the cells and saturated to the weight format, every clamp counted (per lane).
 * Then four, then one by one. FULL (u8): sh = 32, else i8.
 */
function stochasticRowI16<FULL>(w: usize, ar: i32, x: usize, cols: i32, sh: i32, rowKey: u32): void {
  // every cell in the weight range (which saturation keeps true), the range at most 15 bits wide
  // and strictly inside int16: see below
  const narrowWeights = cellsInRange && weightMin > -32768 && weightMax < 32767 && weightMax - weightMin < 32767;
  const a = pin(0, i32x4.splat(ar));
  const lo = pin(1, i32x4.splat(<i32>weightMin));
  const hi = pin(2, i32x4.splat(<i32>weightMax));
  const mask = pin(3, i32x4.splat(sh >= 32 ? -1 : (1 << sh) - 1));
  const top = <u32>(32 - sh);
  // word of cell c: fmix32(rowKey + 2c * golden); lanes c .. c + 3, then c + 4 .. c + 7
  let t = i32x4.add(i32x4.splat(rowKey), i32x4(0, <i32>0x3c6ef372, <i32>0x78dde6e4, <i32>0xb54cda56));
  const step4 = pin(4, i32x4.splat(<i32>0xf1bbcdc8));
  const step8 = pin(5, i32x4.splat(<i32>0xe3779b90));
  const m1 = fmixM1(), m2 = fmixM2();
  let clamps = i32x4.splat(0);
  let c = 0;
  if (narrowWeights) {
    // the update saturated to int16 and added to the cell with int16 saturation: where the exact
    // sum leaves the weight range, this one leaves it on the same side (an update beyond int16
    // overshoots a range narrower than 2^15 from any cell inside it), so the same clamps, in half
    // the lanes
    const lo16 = pin(6, i16x8.splat(<i16>weightMin));
    const hi16 = pin(7, i16x8.splat(<i16>weightMax));
    let clamps16 = i16x8.splat(0);
    for (; c + 8 <= cols; c += 8) {
      const d0 = fmix32x4(t, m1, m2);
      const d1 = fmix32x4(i32x4.add(t, step4), m1, m2);
      t = i32x4.add(t, step8);
      const xc = x + (<usize>c << 2);
      const dw0 = srUpdate<FULL>(i32x4.mul(a, v128.load(xc)), d0, mask, sh, top);
      const dw1 = srUpdate<FULL>(i32x4.mul(a, v128.load(xc, 16)), d1, mask, sh, top);
      const at = w + (<usize>c << 1);
      const v = i16x8.add_sat_s(v128.load(at), i16x8.narrow_i32x4_s(dw0, dw1));
      clamps16 = i16x8.add(clamps16, v128.or(i16x8.lt_s(v, lo16), i16x8.gt_s(v, hi16)));
      v128.store(at, i16x8.max_s(i16x8.min_s(v, hi16), lo16));
    }
    // at most cols / 8 <= 512 per lane: no overflow
    clamps = i32x4.extadd_pairwise_i16x8_s(clamps16);
  }
  for (; c + 8 <= cols; c += 8) {
    const d0 = fmix32x4(t, m1, m2);
    const d1 = fmix32x4(i32x4.add(t, step4), m1, m2);
    t = i32x4.add(t, step8);
    const xc = x + (<usize>c << 2);
    const dw0 = srUpdate<FULL>(i32x4.mul(a, v128.load(xc)), d0, mask, sh, top);
    const dw1 = srUpdate<FULL>(i32x4.mul(a, v128.load(xc, 16)), d1, mask, sh, top);
    const at = w + (<usize>c << 1);
    const cells = v128.load(at);
    const v0 = i32x4.add(i32x4.extend_low_i16x8_s(cells), dw0);
    const v1 = i32x4.add(i32x4.extend_high_i16x8_s(cells), dw1);
    clamps = i32x4.add(clamps, v128.or(i32x4.lt_s(v0, lo), i32x4.gt_s(v0, hi)));
    clamps = i32x4.add(clamps, v128.or(i32x4.lt_s(v1, lo), i32x4.gt_s(v1, hi)));
    v128.store(at, i16x8.narrow_i32x4_s(i32x4.max_s(i32x4.min_s(v0, hi), lo), i32x4.max_s(i32x4.min_s(v1, hi), lo)));
  }
  if (c + 4 <= cols) {
    const d = fmix32x4(t, m1, m2);
    const dw = srUpdate<FULL>(i32x4.mul(a, v128.load(x + (<usize>c << 2))), d, mask, sh, top);
    const at = w + (<usize>c << 1);
    const v = i32x4.add(i32x4.extend_low_i16x8_s(v128.load64_zero(at)), dw);
    clamps = i32x4.add(clamps, v128.or(i32x4.lt_s(v, lo), i32x4.gt_s(v, hi)));
    v128.store64_lane(at, i16x8.narrow_i32x4_s(i32x4.max_s(i32x4.min_s(v, hi), lo), lo), 0);
    c += 4;
  }
  // the lanes hold minus the clamps
  S.weightSaturations -= <f64>(i32x4.extract_lane(clamps, 0) + i32x4.extract_lane(clamps, 1) + i32x4.extract_lane(clamps, 2) + i32x4.extract_lane(clamps, 3));
  for (; c < cols; c++) {
    const q = <i64>(outerWord(rowKey, c, 0) >>> top);
    const dw = (<i64>ar * <i64>load<i32>(x + (<usize>c << 2)) + q) >> <i64>sh;
    const at = w + (<usize>c << 1);
    store<i16>(at, <i16>satW(<i64>load<i16>(at) + dw));
  }
}

/**
 * v clamped to [-2^20, 2^20] (i64 lanes; big, small: those limits): beyond it an int16 cell
 * saturates to the same side either way
 */
// @ts-ignore: decorator
@inline function clampUpdate(v: v128, big: v128, small: v128): v128 {
  v = v128.bitselect(big, v, i64x2.gt_s(v, big));
  return v128.bitselect(small, v, i64x2.lt_s(v, small));
}

/**
 * The other rows of outer.sr on i16 cells (no noSelf cell, 1 <= sh <= 62, any products): four
 * cells per step, their words 0 and (sh > 32) 1 hashed in u32 lanes and paired into the 64-bit
 * words w0:w1 of i64 lanes, q = the top sh bits, the exact products in i64 lanes (extmul),
 * floor((p + q) / 2^sh) from the quotient and remainder of p as arith.ts does, clamped to +-2^20,
 * added in i32 lanes and saturated, every clamp counted. The tail goes one by one.
 */
function stochasticRowI16Wide(w: usize, ar: i32, x: usize, cols: i32, sh: i32, rowKey: u32): void {
  const a = pin(0, i32x4.splat(ar));
  const lo = pin(1, i32x4.splat(<i32>weightMin));
  const hi = pin(2, i32x4.splat(<i32>weightMax));
  const mask = pin(3, i64x2.splat((<i64>1 << <i64>sh) - 1));
  const two = sh > 32;
  const down = 64 - sh;
  // word 0 of cell c: fmix32(rowKey + 2c * golden), word 1: + golden
  let t = i32x4.add(i32x4.splat(rowKey), i32x4(0, <i32>0x3c6ef372, <i32>0x78dde6e4, <i32>0xb54cda56));
  const g1 = pin(4, i32x4.splat(<i32>0x9e3779b9));
  const step4 = pin(5, i32x4.splat(<i32>0xf1bbcdc8));
  const m1 = fmixM1(), m2 = fmixM2();
  const big = pin(6, i64x2.splat(1 << 20)), small = pin(7, i64x2.splat(-(1 << 20)));
  const quads = cols & ~3;
  let clamps = 0;
  for (let c = 0; c < quads; c += 4) {
    const w0 = fmix32x4(t, m1, m2);
    // for sh <= 32 the low word cannot reach the top sh bits
    const w1 = two ? fmix32x4(i32x4.add(t, g1), m1, m2) : i32x4.splat(0);
    t = i32x4.add(t, step4);
    const q0 = i64x2.shr_u(i32x4.shuffle(w1, w0, 0, 4, 1, 5), down);
    const q1 = i64x2.shr_u(i32x4.shuffle(w1, w0, 2, 6, 3, 7), down);
    const xv = v128.load(x + (<usize>c << 2));
    const p0 = i64x2.extmul_low_i32x4_s(a, xv);
    const p1 = i64x2.extmul_high_i32x4_s(a, xv);
    const d0 = clampUpdate(i64x2.add(i64x2.shr_s(p0, sh), i64x2.shr_u(i64x2.add(v128.and(p0, mask), q0), sh)), big, small);
    const d1 = clampUpdate(i64x2.add(i64x2.shr_s(p1, sh), i64x2.shr_u(i64x2.add(v128.and(p1, mask), q1), sh)), big, small);
    const at = w + (<usize>c << 1);
    const v = i32x4.add(i32x4.extend_low_i16x8_s(v128.load64_zero(at)), i32x4.shuffle(d0, d1, 0, 2, 4, 6));
    clamps += popcnt(i32x4.bitmask(v128.or(i32x4.lt_s(v, lo), i32x4.gt_s(v, hi))));
    v128.store64_lane(at, i16x8.narrow_i32x4_s(i32x4.max_s(i32x4.min_s(v, hi), lo), lo), 0);
  }
  S.weightSaturations += <f64>clamps;
  const m: u64 = (<u64>1 << <u64>sh) - 1;
  for (let c = quads; c < cols; c++) {
    const p = <i64>ar * <i64>load<i32>(x + (<usize>c << 2));
    const q = topBits(outerWord(rowKey, c, 0), two ? outerWord(rowKey, c, 1) : 0, sh);
    const dw = (p >> <i64>sh) + <i64>(((<u64>p & m) + q) >> <u64>sh);
    const at = w + (<usize>c << 1);
    store<i16>(at, <i16>satW(<i64>load<i16>(at) + dw));
  }
}

/**
 * A thinned row of outer.sr (emulator/chip/random.ts): only its candidates are drawn, each changes
 * by the sign of its product or not at all. ab = |a_r| max |x|, m from outerThinExponent.
 */
function thinnedRow<T>(w: usize, ar: i64, x: i32, cols: i32, sh: i32, m: i32, ab: u64, rowKey: u32, noSelf: usize): void {
  const end = <f64>cols;
  let next = end;
  let logKeep = 0.0;
  let j = 0;
  if (ab != 0) {
    logKeep = outerLogKeep(m, sh);
    next = outerFirstCandidate(rowKey, cols, m, sh, logKeep);
  }
  if (cellsInRange && noSelf == 0) {
    // only the candidates can change
    while (next < end) {
      const c = <i32>next;
      const p = ar * word(x + c);
      if (outerAccept(rowKey, j, m, <u64>abs<i64>(p))) {
        const at = w + (<usize>c << alignof<T>());
        store<T>(at, <T>satW(<i64>load<T>(at) + (p > 0 ? 1 : -1)));
      }
      j++;
      next = outerNextCandidate(rowKey, j, next, logKeep);
    }
    return;
  }
  for (let c = 0; c < cols; c++) {
    const at = w + (<usize>c << alignof<T>());
    let dw: i64 = 0;
    if (<f64>c == next) {
      const p = ar * word(x + c);
      if (outerAccept(rowKey, j, m, <u64>abs<i64>(p))) dw = p > 0 ? 1 : -1;
      j++;
      next = outerNextCandidate(rowKey, j, next, logKeep);
    }
    if (noSelf != 0 && load<u8>(noSelf + <usize>c) != 0) {
      store<T>(at, 0);
      continue;
    }
    if (dw != 0 || !cellsInRange) store<T>(at, <T>satW(<i64>load<T>(at) + dw));
  }
}

/**
 * Rows outer, columns inner, as the reference. outer.sr cell (r, c) rounds with the words
 * outerWord(R_r, c, k) of its execution (no state but the count n); a product of 0 adds 0 (q < 2^sh),
 * which changes no cell of an image whose cells are all in the weight range, so such rows are
 * skipped (their cells still count as draws, as in the reference).
 */
function outerCells<T>(a: i32, x: i32, row: i32, col: i32, rows: i32, cols: i32, sh: i32, stochastic: bool): void {
  const words = stochastic && sh != 0 ? (sh > 32 ? 2 : 1) : 0;
  const mask: u64 = sh == 0 ? 0 : (<u64>1 << <u64>sh) - 1;
  const half: u64 = sh == 0 ? 0 : <u64>1 << <u64>(sh - 1);
  let execution: u32 = 0;
  if (stochastic) {
    const count = rngOuter + <usize>(RNG_OUTER_COUNT - RNG_OUTER_KEY);
    const n = load<u32>(count);
    store<u32>(count, n + 1);
    execution = outerExecutionKey(load<u32>(rngOuter), n);
  }
  // |a x| < 2^31 for every cell of a row whose |a| is at most this
  const xMax: i64 = words == 1 ? <i64>maxAbsWords(wordAt(x), cols) : 0;
  const aFits: i64 = xMax == 0 ? <i64>0x7fffffff : <i64>0x7fffffff / xMax;
  // without noSelf cells every cell is a draw
  if (words != 0 && diag == 0) S.draws += <f64>rows * <f64>cols;
  // rows whose factor is 0 change nothing (above): then only the others are visited, listed in OUT
  const sparse = cellsInRange && diag == 0;
  let visits = sparse ? nonzeroIndices<i32>(wordAt(a), rows, OUT) : rows;
  if (sparse && words == 1 && xMax != 0) {
    // when every row is thinned, those surely without a candidate (most, for small updates) are
    // dropped from the list four at a time
    const m = outerThinExponent(<u64>maxAbsWords(wordAt(a), rows) * <u64>xMax, sh);
    if (m >= 0) visits = outerDropSurelyEmpty(OUT, visits, execution, cols, m, sh);
  }
  for (let k = 0; k < visits; k++) {
    const r = sparse ? load<i32>(OUT + (<usize>k << 2)) : k;
    const ar = word(a + r);
    const w = cellAt<T>(row + r, col);
    const noSelf: usize = diag == 0 ? 0 : diag + <usize>(row + r) * <usize>xbarCols + <usize>col;
    if (noSelf != 0) S.draws += <f64>(words == 0 ? 0 : cols - diagonalCells(noSelf, cols));
    const rowKey: u32 = stochastic ? outerRowKey(execution, r) : 0;
    if (words == 1) {
      // |a_r| max |x| <= 2^31 2^31: no overflow
      const ab = <u64>abs<i64>(ar) * <u64>xMax;
      const m = outerThinExponent(ab, sh);
      if (m >= 0) {
        // most rows have no candidate: decided here, without a call
        if (cellsInRange && noSelf == 0 && (ab == 0 || outerSurelyNone(rowKey, cols, m, sh))) continue;
        thinnedRow<T>(w, ar, x, cols, sh, m, ab, rowKey, noSelf);
        continue;
      }
    }
    if (words != 0 && noSelf == 0 && sizeof<T>() == 2) {
      if (words == 1 && abs<i64>(ar) <= aFits) {
        if (sh == 32) stochasticRowI16<u8>(w, <i32>ar, wordAt(x), cols, sh, rowKey);
        else stochasticRowI16<i8>(w, <i32>ar, wordAt(x), cols, sh, rowKey);
        continue;
      }
      if (sh <= 62) {
        stochasticRowI16Wide(w, <i32>ar, wordAt(x), cols, sh, rowKey);
        continue;
      }
    }
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
        if (words != 0) q = topBits(outerWord(rowKey, c, 0), words == 2 ? outerWord(rowKey, c, 1) : 0, sh);
        dw = (p >> <i64>sh) + <i64>(((<u64>p & mask) + q) >> <u64>sh);
      }
      if (dw != 0 || !cellsInRange) store<T>(at, <T>satW(<i64>load<T>(at) + dw));
    }
  }
}

/** outer.rn (rn: ties up) and outer.sr (sr: stochastic): rows outer, columns inner. */
export function outer(a: i32, x: i32, row: i32, col: i32, rows: i32, cols: i32, sh: i32, stochastic: bool): void {
  if (xbarI16) outerCells<i16>(a, x, row, col, rows, cols, sh, stochastic);
  else outerCells<i32>(a, x, row, col, rows, cols, sh, stochastic);
}

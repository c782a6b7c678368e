// The chip's random draws, exactly as compiler/common/rng.ts (xoshiro128** with splitmix32
// seeding) and emulator/chip/random.ts (read noise, stochastic-rounding bits, the counter-based
// draws of outer.sr) make them. A generator is 4 u32 of state in memory. Nothing here calls libm
// or the host: outer.sr's thinned rows take the portable ln of ./ln (the reference's, bit for bit).
import { selectLanes } from './lanes';
import { ln } from './ln';
import * as S from './state';

/** where nextU32 receives its one draw */
const ONE: usize = memory.data(4, 4);

/** murmur3's 32-bit finaliser (fmix32 of random.ts) */
// @ts-ignore: decorator
@inline export function fmix32(h: u32): u32 {
  h = (h ^ (h >>> 16)) * 0x85ebca6b;
  h = (h ^ (h >>> 13)) * 0xc2b2ae35;
  return h ^ (h >>> 16);
}

/** fmix32 in each u32 lane; m1, m2 its multipliers, fmixM1() and fmixM2() (pinned before the loop) */
// @ts-ignore: decorator
@inline export function fmix32x4(h: v128, m1: v128, m2: v128): v128 {
  h = i32x4.mul(v128.xor(h, i32x4.shr_u(h, 16)), m1);
  h = i32x4.mul(v128.xor(h, i32x4.shr_u(h, 13)), m2);
  return v128.xor(h, i32x4.shr_u(h, 16));
}

/** the first multiplier of fmix32 in every lane, pinned (S.pin) in slot 14 */
// @ts-ignore: decorator
@inline export function fmixM1(): v128 {
  return S.pin(14, i32x4.splat(0x85ebca6b));
}

/** the second multiplier, in slot 15 */
// @ts-ignore: decorator
@inline export function fmixM2(): v128 {
  return S.pin(15, i32x4.splat(0xc2b2ae35));
}

/** outerExecutionKey of random.ts: E_n from the core key K */
// @ts-ignore: decorator
@inline export function outerExecutionKey(key: u32, n: u32): u32 {
  return fmix32(key ^ ((n + 1) * 0x9e3779b9));
}

/** outerRowKey of random.ts: R_r */
// @ts-ignore: decorator
@inline export function outerRowKey(execution: u32, r: i32): u32 {
  return fmix32(execution + <u32>(r + 1) * 0x85ebca6b);
}

/** outerWord of random.ts: word k of cell c of the row */
// @ts-ignore: decorator
@inline export function outerWord(row: u32, c: i32, k: i32): u32 {
  return fmix32(row + <u32>(2 * c + k) * 0x9e3779b9);
}

/** ln(1 - 2^-k) for k = sh - m in 3 .. 32, filled on first use (0: not yet) */
const LOG_KEEP: usize = memory.data(8 * 33, 8);
/** (1 - 2^-k)^cols (1 - 2^-20) for k in 3 .. 32, and the cols it was computed for (0: none) */
const NONE_BELOW: usize = memory.data(8 * 33, 8);
const NONE_COLS: usize = memory.data(4 * 33, 4);

/** outerThinExponent of random.ts: m of a thinned row, or -1 (ab = A B, A and B below 2^32) */
// @ts-ignore: decorator
@inline export function outerThinExponent(ab: u64, sh: i32): i32 {
  if (sh < 3 || sh > 32 || ab > (<u64>1 << <u64>(sh - 3))) return -1;
  return ab == 0 ? 0 : 32 - <i32>clz<u32>(<u32>(ab - 1));
}

/** ln(1 - 2^(m - sh)), as ln(1 - 2 ** (m - sh)) of random.ts */
// @ts-ignore: decorator
@inline export function outerLogKeep(m: i32, sh: i32): f64 {
  const at = LOG_KEEP + (<usize>(sh - m) << 3);
  let v = load<f64>(at);
  if (v == 0) {
    v = ln(1 - reinterpret<f64>(<u64>(1023 + m - sh) << 52));
    store<f64>(at, v);
  }
  return v;
}

/** U_j of a thinned row, in (0, 1] */
// @ts-ignore: decorator
@inline export function outerUniform(rowKey: u32, j: i32): f64 {
  return (<f64>(outerWord(rowKey, 2 * j, 0) >>> 11) * 4294967296.0 + <f64>outerWord(rowKey, 2 * j, 1) + 1.0) / 9007199254740992.0;
}

/** the column of candidate j of a thinned row after the candidate at `prev` (-1 for j = 0), as an f64 */
// @ts-ignore: decorator
@inline export function outerNextCandidate(rowKey: u32, j: i32, prev: f64, logKeep: f64): f64 {
  return prev + 1.0 + Math.floor(ln(outerUniform(rowKey, j)) / logKeep);
}

/** (1 - 2^(m - sh))^cols (1 - 2^-20) by squaring (relative error below 1e-14), cached per k = sh - m for the last cols */
// @ts-ignore: decorator
@inline function outerNoneBelow(cols: i32, m: i32, sh: i32): f64 {
  const at = NONE_BELOW + (<usize>(sh - m) << 3);
  const colsAt = NONE_COLS + (<usize>(sh - m) << 2);
  let t = load<f64>(at);
  if (load<i32>(colsAt) != cols) {
    t = 1.0;
    let b = 1 - reinterpret<f64>(<u64>(1023 + m - sh) << 52);
    for (let e = cols; e != 0; e >>>= 1) {
      if (e & 1) t *= b;
      b *= b;
    }
    t *= 1.0 - 9.5367431640625e-7;
    store<f64>(at, t);
    store<i32>(colsAt, cols);
  }
  return t;
}

/** outerFirstCandidate(...) == cols, decided from word 0 alone (false: maybe not) */
// @ts-ignore: decorator
@inline export function outerSurelyNone(rowKey: u32, cols: i32, m: i32, sh: i32): bool {
  return <f64>((outerWord(rowKey, 0, 0) >>> 11) + 1) * 4.76837158203125e-7 < outerNoneBelow(cols, m, sh);
}

/**
 * Drops from the list of n row indices at `list` (i32, rows whose a_r is nonzero) the rows that
 * outerSurelyNone would drop, four rows per step, and returns how many are left (in order). Every
 * row must be thinned with an exponent of at most m: the test is made with m, whose threshold
 * (1 - 2^(m - sh))^cols (1 - 2^-20) is at most each row's own (each operation of outerNoneBelow is
 * monotone in the base), so a row it drops is one outerSurelyNone drops too; the rest are left to
 * it. The step's row keys and words 0 (outerRowKey, outerWord) in u32 lanes.
 */
export function outerDropSurelyEmpty(list: usize, n: i32, execution: u32, cols: i32, m: i32, sh: i32): i32 {
  const t = S.pin(0, f64x2.splat(outerNoneBelow(cols, m, sh)));
  const key = S.pin(1, i32x4.splat(execution));
  const rowStep = S.pin(2, i32x4.splat(0x85ebca6b));
  const one = S.pin(3, i32x4.splat(1));
  const unit = S.pin(4, f64x2.splat(4.76837158203125e-7));
  const m1 = fmixM1(), m2 = fmixM2();
  const quads = n & ~3;
  let kept = 0;
  for (let i = 0; i < quads; i += 4) {
    const r = v128.load(list + (<usize>i << 2));
    const rowKey = fmix32x4(i32x4.add(key, i32x4.mul(i32x4.add(r, one), rowStep)), m1, m2);
    // (word 0 >>> 11) + 1 < 2^22: exact as a signed i32 and as a double
    const u = i32x4.add(i32x4.shr_u(fmix32x4(rowKey, m1, m2), 11), one);
    const lo = f64x2.lt(f64x2.mul(f64x2.convert_low_i32x4_s(u), unit), t);
    const hi = f64x2.lt(f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(u, u, 2, 3, 0, 1)), unit), t);
    const keep = i32x4.bitmask(i32x4.shuffle(lo, hi, 0, 2, 4, 6)) ^ 15;
    // kept + 3 < i + 4: the step stores over entries already read
    v128.store(list + (<usize>kept << 2), selectLanes(r, keep));
    kept += <i32>popcnt<u32>(keep);
  }
  for (let i = quads; i < n; i++) {
    const r = load<i32>(list + (<usize>i << 2));
    store<i32>(list + (<usize>kept << 2), r);
    kept += <i32>!outerSurelyNone(outerRowKey(execution, r), cols, m, sh);
  }
  return kept;
}

/**
 * The first candidate of a thinned row (outerNextCandidate(rowKey, 0, -1, logKeep)), or `cols`
 * (no candidate) without the log when U_0 < (1 - P)^cols (1 - 2^-20): then ln U_0 / ln(1 - P)
 * exceeds cols by more than 2^-20 / |ln(1 - P)| > 7e-6 in exact arithmetic, far beyond the error
 * of any log (an ulp or so of |ln U_0| <= 37) and of the f64 division and power, so the
 * reference's floor(ln U_0 / ln(1 - P)) >= cols too.
 */
export function outerFirstCandidate(rowKey: u32, cols: i32, m: i32, sh: i32, logKeep: f64): f64 {
  const t = outerNoneBelow(cols, m, sh);
  // U_0 <= (floor(w0 / 2^11) + 1) / 2^21: often enough without w1
  const w0 = outerWord(rowKey, 0, 0);
  if (<f64>((w0 >>> 11) + 1) * 4.76837158203125e-7 < t) return <f64>cols;
  const u = (<f64>(w0 >>> 11) * 4294967296.0 + <f64>outerWord(rowKey, 0, 1) + 1.0) / 9007199254740992.0;
  if (u < t) return <f64>cols;
  return 0.0 + Math.floor(ln(u) / logKeep);
}

/** whether candidate j of a thinned row changes, |p| its product's magnitude */
// @ts-ignore: decorator
@inline export function outerAccept(rowKey: u32, j: i32, m: i32, absP: u64): bool {
  const top: u64 = m == 0 ? 0 : <u64>(outerWord(rowKey, 2 * j + 1, 0) >>> <u32>(32 - m));
  return top < absP;
}

// @ts-ignore: decorator
@inline function splitmix(x: u32): u32 {
  let z = x;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/** new Rng(seed, stream) of rng.ts, with seed and stream already reduced to u32 (ToUint32 of their integer parts). */
export function seedGenerator(at: usize, seed: u32, stream: u32): void {
  let x: u32 = seed ^ ((stream + 1) * 0x9e3779b9);
  x += 0x9e3779b9;
  const s0 = splitmix(x);
  x += 0x9e3779b9;
  const s1 = splitmix(x);
  x += 0x9e3779b9;
  const s2 = splitmix(x);
  x += 0x9e3779b9;
  const s3 = splitmix(x);
  store<u32>(at, (s0 | s1 | s2 | s3) == 0 ? 1 : s0);
  store<u32>(at, s1, 4);
  store<u32>(at, s2, 8);
  store<u32>(at, s3, 12);
}

/**
 * n successive Rng.nextU32 of the generator at `at` into out[0 .. n), or, with out = 0, only
 * advances it n steps. The one implementation of the xoshiro128** step: its state stays in locals
 * for the whole run, which is what makes long runs of draws (outer.sr) cheap.
 */
export function fill(at: usize, out: usize, n: i32): void {
  let s0 = load<u32>(at);
  let s1 = load<u32>(at, 4);
  let s2 = load<u32>(at, 8);
  let s3 = load<u32>(at, 12);
  for (let i = 0; i < n; i++) {
    if (out != 0) store<u32>(out + (<usize>i << 2), rotl<u32>(s1 * 5, 7) * 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u32>(s3, 11);
  }
  store<u32>(at, s0);
  store<u32>(at, s1, 4);
  store<u32>(at, s2, 8);
  store<u32>(at, s3, 12);
}

/** Rng.nextU32 */
export function nextU32(at: usize): u32 {
  fill(at, ONE, 1);
  return load<u32>(ONE);
}

/** Rng.uniform: 53 random bits in [0, 1) */
export function uniform(at: usize): f64 {
  const hi = nextU32(at);
  return uniformOf(hi, nextU32(at));
}

/** the uniform() made from draws d0 (high bits) and d1 */
// @ts-ignore: decorator
@inline function uniformOf(d0: u32, d1: u32): f64 {
  return (<f64>(d0 >>> 5) * 67108864.0 + <f64>(d1 >>> 6)) / 9007199254740992.0;
}

/** READ_NOISE_SCALE of random.ts: 1 / sqrt(16 + 1/12) */
const READ_NOISE_SCALE: f64 = 0.24935149047701483;

/** noiseReadKey of random.ts: M_m from the core key N */
// @ts-ignore: decorator
@inline export function noiseReadKey(key: u32, m: u32): u32 {
  return fmix32(key ^ ((m + 1) * 0x9e3779b9));
}

/** readNoiseOf of random.ts */
// @ts-ignore: decorator
@inline function readNoiseOf(w0: u32, w1: u32, w2: u32): f64 {
  return (<f64>(<i32>(popcnt<u32>(w0) + popcnt<u32>(w1)) - 32) + (<f64>w2 * 2.3283064365386963e-10 - 0.5)) * READ_NOISE_SCALE;
}

/**
 * readNoise(M, o) of random.ts for lines o = 0 .. n - 1 of the read with key `read`, into out (f64).
 * Four lines per step: their words in u32 lanes (word k of line o: fmix32(M + golden (4o + k))),
 * popcounts by bytes summed pairwise, then the same f64 operations in f64x2 lanes.
 */
export function readNoises(read: u32, out: usize, n: i32): void {
  const quads = n & ~3;
  if (quads != 0) readNoiseQuads(read, out, quads);
  for (let o = quads; o < n; o++) {
    const b = read + <u32>(4 * o) * 0x9e3779b9;
    store<f64>(out + (<usize>o << 3), readNoiseOf(fmix32(b), fmix32(b + 0x9e3779b9), fmix32(b + 0x3c6ef372)));
  }
}

/** readNoises for lines 0 .. quads - 1 (quads a multiple of 4, at least 4), four per step */
function readNoiseQuads(read: u32, out: usize, quads: i32): void {
  // word 0 of lines o .. o + 3: M + golden 4o + (0, 4, 8, 12) golden
  let t = i32x4.add(i32x4.splat(read), i32x4(0, <i32>0x78dde6e4, <i32>0xf1bbcdc8, <i32>0x6a99b4ac));
  const g1 = S.pin(0, i32x4.splat(<i32>0x9e3779b9));
  const g2 = S.pin(1, i32x4.splat(<i32>0x3c6ef372));
  const step = S.pin(2, i32x4.splat(<i32>0xe3779b90));
  const flip = S.pin(3, i32x4.splat(<i32>0x80000000));
  const unit = S.pin(4, f64x2.splat(2.3283064365386963e-10));
  const scale = S.pin(5, f64x2.splat(READ_NOISE_SCALE));
  const c32 = S.pin(6, i32x4.splat(32));
  const m1 = fmixM1(), m2 = fmixM2();
  for (let o = 0; o < quads; o += 4) {
    const w0 = fmix32x4(t, m1, m2);
    const w1 = fmix32x4(i32x4.add(t, g1), m1, m2);
    const w2 = fmix32x4(i32x4.add(t, g2), m1, m2);
    t = i32x4.add(t, step);
    // bits per byte (<= 16 for the two words), then per u32 lane (small sums: the signed pairwise
    // additions, single instructions, give the same)
    const bits = i8x16.add(i8x16.popcnt(w0), i8x16.popcnt(w1));
    const k = i32x4.sub(i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(bits)), c32);
    const hi = i32x4.shuffle(k, k, 2, 3, 0, 1);
    // w2 unit - 0.5 as (w2 - 2^31) unit: both exact (multiples of 2^-32 below 1 in magnitude), so
    // the same double, from the signed conversion (one instruction; the unsigned one takes three)
    const c = v128.xor(w2, flip);
    const d = i32x4.shuffle(c, c, 2, 3, 0, 1);
    const at = out + (<usize>o << 3);
    v128.store(at, f64x2.mul(f64x2.add(f64x2.convert_low_i32x4_s(k), f64x2.mul(f64x2.convert_low_i32x4_s(c), unit)), scale));
    v128.store(at, f64x2.mul(f64x2.add(f64x2.convert_low_i32x4_s(hi), f64x2.mul(f64x2.convert_low_i32x4_s(d), unit)), scale), 16);
  }
}

/** The top s bits (1 <= s <= 64) of the 64-bit word hi:lo (lo is not read when s <= 32). */
// @ts-ignore: decorator
@inline export function topBits(hi: u32, lo: u32, s: i32): u64 {
  if (s <= 32) return <u64>(hi >>> <u32>(32 - s));
  return (<u64>hi << <u64>(s - 32)) | <u64>(lo >>> <u32>(64 - s));
}

/**
 * uniformBits of arith.ts: the top s bits (1 <= s <= 64) of a 64-bit draw, one u32 when s <= 32,
 * two (the first high) beyond; counted as one stochastic-rounding draw.
 */
// @ts-ignore: decorator
@inline export function drawBits(at: usize, s: i32): u64 {
  S.draws += 1;
  const hi = nextU32(at);
  return topBits(hi, s <= 32 ? 0 : nextU32(at), s);
}

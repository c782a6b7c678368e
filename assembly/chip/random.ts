// The chip's random draws, exactly as compiler/common/rng.ts (xoshiro128** with splitmix32
// seeding) and emulator/chip/random.ts (Box-Muller, stochastic-rounding bits) make them. A
// generator is 4 u32 of state in memory. The Box-Muller transform itself is the host's (boxMuller
// of random.ts, with its Math.log and Math.cos, so that the last bits are the reference's), asked
// once per crossbar read for all of its lines.
import * as S from './state';

/** where nextU32 receives its one draw */
const ONE: usize = memory.data(4, 4);

/** at[i] = boxMuller(at[2i], at[2i + 1]) for i < n (f64), by the host */
@external("env", "gaussians")
declare function hostGaussians(at: usize, n: i32): void;

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

/** Advances the generator at `at` by the n steps of the JUMP_ table at `table` (layout.ts): the same state as fill(at, 0, n). */
export function jump(at: usize, table: usize): void {
  const lo = load<u64>(at);
  const hi = load<u64>(at, 8);
  let acc = v128.load(table + (<usize>(lo & 255) << 4));
  for (let b: u64 = 1; b < 8; b++) acc = v128.xor(acc, v128.load(table + (<usize>((b << 8) | ((lo >> (b << 3)) & 255)) << 4)));
  for (let b: u64 = 0; b < 8; b++) acc = v128.xor(acc, v128.load(table + (<usize>(((b + 8) << 8) | ((hi >> (b << 3)) & 255)) << 4)));
  v128.store(at, acc);
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

/**
 * n values of gaussian() of random.ts from the generator at `at`, in order, into out[0 .. n)
 * (f64; out holds 16 bytes per value): the 4n draws in one run, turned in place into the 2n
 * uniforms, which the host turns into normals.
 */
export function gaussians(at: usize, out: usize, n: i32): void {
  fill(at, out, n << 2);
  for (let i = 0; i < n; i++) {
    const d = out + (<usize>i << 4);
    const u1 = uniformOf(load<u32>(d), load<u32>(d, 4));
    const u2 = uniformOf(load<u32>(d, 8), load<u32>(d, 12));
    store<f64>(d, u1);
    store<f64>(d, u2, 8);
  }
  hostGaussians(out, n);
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

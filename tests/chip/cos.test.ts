// The portable cosine of the mismatch draws (emulator/chip/cos.ts). Its bits must not depend on the
// engine, so the tests pin them with a fingerprint rather than compare with the engine's Math.cos
// (which ECMAScript leaves implementation-defined: V8 11, Node 20, has fdlibm's, later builds take
// glibc's or LLVM libc's). The fingerprints were checked equal to those of Math.cos on Node 20,
// where 2.5 million arguments (the draws and the edges of the reduction) agree bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../compiler/common/rng.js';
import { portableCos } from '../../emulator/chip/cos.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const u64 = new BigUint64Array(f64.buffer);
const fromWords = (hi: number, lo: number) => {
  u32[1] = hi >>> 0;
  u32[0] = lo >>> 0;
  return f64[0]!;
};
/** the double k steps (ulps of the bit pattern) from x */
const step = (x: number, k: number) => {
  f64[0] = x;
  u64[0] = BigInt.asUintN(64, u64[0]! + BigInt(k));
  return f64[0]!;
};

/** 0 <= x < 2 pi from the draws, plus both signs of the edges of fdlibm's branches, each with 8 neighbours a side */
function edgeArguments(): number[] {
  const centres = [0, 5e-324, 2 ** -30, 1e-300, 0.3, 0.78125, Math.PI / 4, 3 * Math.PI / 4, 2 * Math.PI];
  for (const hi of [0x3e400000, 0x3fd33333, 0x3fe90000, 0x3fe921fb, 0x3fe921fc, 0x4002d97c, 0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb])
    for (const lo of [0, 0x54442d18, 0xffffffff]) centres.push(fromWords(hi, lo));
  for (let k = 1; k <= 40; k++) centres.push(k * (Math.PI / 2), (k * Math.PI) / 4);
  for (let k = 0; k <= 8; k++) centres.push(2 * Math.PI * (k / 8));
  centres.push(2 * Math.PI * (1 - 2 ** -53), 2 * Math.PI * 2 ** -53);
  const out: number[] = [];
  for (const c of centres) for (let d = -8; d <= 8; d++) out.push(step(c, d), -step(c, d));
  return out.filter((x) => Number.isFinite(x));
}

/** the Box-Muller arguments 2 pi u of n seeded uniforms */
function drawArguments(n: number): number[] {
  const rng = new Rng(20240607, 3);
  return Array.from({ length: n }, () => 2 * Math.PI * rng.uniform());
}

/** fingerprint of cos over edgeArguments(): Math.cos on Node 20 gives the same */
const EDGES = '5cb893b5';

describe('the portable cosine', () => {
  it('is the cosine: within one ulp of Math.cos on any engine', () => {
    for (const x of [...edgeArguments(), ...drawArguments(20_000)]) {
      const a = portableCos(x);
      const b = Math.cos(x);
      expect(Math.abs(a - b), String(x)).toBeLessThanOrEqual(Math.max(Math.abs(b) * 2.3e-16, 2 ** -1074));
    }
  });

  it('gives fixed bits on every engine (fingerprints of the draws and of the edges)', () => {
    // FNV-1a over the 64 bits of cos of each argument: pinned on Node 20, must not move anywhere
    const fingerprint = (xs: number[], cos: (x: number) => number) => {
      let h = 0x811c9dc5;
      for (const x of xs) {
        f64[0] = cos(x);
        h = Math.imul(h ^ u32[0]!, 0x01000193);
        h = Math.imul(h ^ u32[1]!, 0x01000193);
      }
      return (h >>> 0).toString(16);
    };
    expect(fingerprint(drawArguments(100_000), portableCos)).toBe('c6b5f8e1');
    expect(fingerprint(edgeArguments(), portableCos)).toBe(EDGES);
  });

  it('special arguments: 1 at +-0, NaN for infinities and NaN, an error beyond the implemented range', () => {
    expect(portableCos(0)).toBe(1);
    expect(portableCos(-0)).toBe(1);
    expect(portableCos(Infinity)).toBeNaN();
    expect(portableCos(-Infinity)).toBeNaN();
    expect(portableCos(NaN)).toBeNaN();
    expect(() => portableCos(fromWords(0x413921fb, 0xffffffff))).not.toThrow();
    expect(() => portableCos(2e6)).toThrow(/beyond the implemented range/);
    expect(() => portableCos(-1e300)).toThrow(/beyond the implemented range/);
  });
});

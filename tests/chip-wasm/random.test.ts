// The Wasm core's generators against the TypeScript ones: xoshiro128** with its splitmix32
// seeding (compiler/common/rng.ts), its 53-bit uniforms, the read noise and the counter-based
// words of outer.sr (emulator/chip/random.ts): the same bits for any seed and stream. The
// distribution of the read noise: tests/chip/noise.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../compiler/common/rng.js';
import { noiseReadKey, outerExecutionKey, outerRowKey, outerWord, readNoise } from '../../emulator/chip/random.js';
import { chipWasmModule } from '../../emulator/chip/wasm-node.js';
import { ln } from '../../emulator/chip/ln.js';

interface RngExports {
  heapBase(): number;
  seedGenerator(at: number, seed: number, stream: number): void;
  rngNextU32(at: number): number;
  rngFill(at: number, out: number, n: number): void;
  rngUniform(at: number): number;
  rngReadNoises(key: number, m: number, out: number, n: number): void;
  rngOuterWord(key: number, n: number, r: number, c: number, k: number): number;
  portableLn(x: number): number;
}

const memory = new WebAssembly.Memory({ initial: 4 });
const wasm = new WebAssembly.Instance(chipWasmModule(), { env: { memory, abort: () => {} } }).exports as unknown as RngExports;
const AT = Math.ceil(wasm.heapBase() / 16) * 16;
const OUT = AT + 64;

/** new Rng(seed, stream) of rng.ts, on both sides */
function seeded(seed: number, stream: number): Rng {
  wasm.seedGenerator(AT, Math.trunc(seed) >>> 0, Math.trunc(stream) >>> 0);
  return new Rng(seed, stream);
}

describe('the Wasm generators are the TypeScript ones', () => {
  it('nextU32 from any seed and stream (run streams 2 core + purpose, mismatch streams 2^30 + core)', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.oneof(fc.nat(200), fc.integer({ min: 2 ** 30, max: 2 ** 30 + 100 })), (seed, stream) => {
        const ts = seeded(seed, stream);
        for (let i = 0; i < 64; i++) expect(wasm.rngNextU32(AT) >>> 0).toBe(ts.nextU32());
      }),
      { numRuns: 200 },
    );
  });

  it('runs of draws and bare advances are the same sequence', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(100), fc.array(fc.nat(300), { minLength: 1, maxLength: 6 }), (seed, stream, runs) => {
        const ts = seeded(seed, stream);
        runs.forEach((n, k) => {
          if (k % 2) {
            wasm.rngFill(AT, 0, n);
            for (let i = 0; i < n; i++) ts.nextU32();
            return;
          }
          wasm.rngFill(AT, OUT, n);
          const got = new Uint32Array(memory.buffer, OUT, n);
          for (let i = 0; i < n; i++) expect(got[i]).toBe(ts.nextU32());
        });
        expect(wasm.rngNextU32(AT) >>> 0).toBe(ts.nextU32());
      }),
      { numRuns: 100 },
    );
  });

  it('the counter-based words of outer.sr', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(4095), fc.nat(4095), fc.nat(1), (key, n, r, c, k) => {
        expect(wasm.rngOuterWord(key, n, r, c, k) >>> 0).toBe(outerWord(outerRowKey(outerExecutionKey(key, n), r), c, k));
      }),
      { numRuns: 500 },
    );
  });

  it('extreme seeds and streams', () => {
    // no seed reaches it in practice; the rule is still the same code path: compare a few extremes
    for (const [seed, stream] of [[0, 0], [2 ** 32 - 1, 0], [0, 2 ** 32 - 2], [0x9e3779b9, 7]] as const) {
      const ts = seeded(seed, stream);
      for (let i = 0; i < 8; i++) expect(wasm.rngNextU32(AT) >>> 0).toBe(ts.nextU32());
    }
  });

  it('uniform(), bit for bit', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(1000), (seed, stream) => {
        const ts = seeded(seed, stream);
        for (let i = 0; i < 16; i++) expect(Object.is(wasm.rngUniform(AT), ts.uniform())).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('the counter-based read noise of a whole read (four lines per v128 and the tail), bit for bit', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(300), (key, m, n) => {
        wasm.rngReadNoises(key, m, OUT, n);
        const got = new Float64Array(memory.buffer, OUT, n);
        const read = noiseReadKey(key, m);
        for (let o = 0; o < n; o++) expect(Object.is(got[o], readNoise(read, o)), `line ${o} of ${n}`).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the portable logarithm (outer.sr thinned rows)', () => {
  const bits = (x: number) => Buffer.from(new Float64Array([x]).buffer).toString('hex');
  const specials = [0, -0, -1, 1, 2, 0.5, Infinity, -Infinity, NaN, 5e-324, 2.2250738585072014e-308, 1 - 2 ** -20, 1 + 2 ** -30, 1 - 2 ** -53, 2 ** -53, 1.7976931348623157e308, Math.SQRT2, Math.SQRT1_2];
  it('Wasm and TypeScript give the same bits, on the draws it takes (0, 1] and on any double', () => {
    for (const x of specials) expect(bits(wasm.portableLn(x)), String(x)).toBe(bits(ln(x)));
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ noNaN: false })), (x) => {
        expect(bits(wasm.portableLn(x))).toBe(bits(ln(x)));
      }),
      { numRuns: 20000 },
    );
  });
  it('is the logarithm: within one ulp of Math.log (relative error below 2.3e-16)', () => {
    expect(ln(0)).toBe(-Infinity);
    expect(ln(-1)).toBeNaN();
    expect(ln(Infinity)).toBe(Infinity);
    expect(ln(1)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 5e-324, max: 1.7e308, noNaN: true }), (x) => {
        const a = ln(x);
        const b = Math.log(x);
        expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.abs(b) * 2.3e-16);
      }),
      { numRuns: 20000 },
    );
  });
});

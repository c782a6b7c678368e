// Crossbar kernels: Wasm SIMD == Wasm scalar == JS == exact reference, on random shapes (1..67 x
// 1..67, strides above cols), random and extreme codes; rounding and clamping of the update;
// the documented wrap-around of sums beyond i32. No timing here (npm run bench -- xbar).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sumFitsI32, type XbarI16, type XbarI32 } from '../../emulator/xbar/index.js';
import { STYLES, fill, firstDiff, refMvm, refMvmt, refOuterOne, rng, trio, type Style, type Trio } from './setup.js';

const MAXR = 67;
const MAXC = 67;
const MAXPAD = 13;
const SENTINEL = 0x5a5a5a5a;

let t: Trio;
let W: XbarI16; // matrix of the products
let x16: XbarI16; // DAC codes
let ys: XbarI32[]; // one output per backend, longer than any shape (tail must stay untouched)
let W0: XbarI16; // initial matrix of the update
let Wu: XbarI16[]; // one updated copy per backend
let a32: XbarI32;
let x32: XbarI32;

beforeAll(async () => {
  t = await trio();
  const n = MAXR * (MAXC + MAXPAD);
  W = t.arena.allocI16(n);
  x16 = t.arena.allocI16(Math.max(MAXR, MAXC));
  ys = t.all.map(() => t.arena.allocI32(Math.max(MAXR, MAXC) + 8));
  W0 = t.arena.allocI16(n);
  Wu = t.all.map(() => t.arena.allocI16(n));
  a32 = t.arena.allocI32(MAXR);
  x32 = t.arena.allocI32(MAXC);
}, 120_000);

interface Shape {
  rows: number;
  cols: number;
  pad: number;
  seed: number;
  wStyle: Style;
  xStyle: Style;
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  rows: fc.integer({ min: 1, max: MAXR }),
  cols: fc.integer({ min: 1, max: MAXC }),
  pad: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: MAXPAD })),
  seed: fc.integer(),
  wStyle: fc.constantFrom<Style>(...STYLES),
  xStyle: fc.constantFrom<Style>(...STYLES),
});

function checkProducts(kind: 'mvm' | 'mvmt', s: Shape): void {
  const { rows, cols, pad } = s;
  const stride = cols + pad;
  const rand = rng(s.seed);
  fill(W, rows * stride, rand, s.wStyle); // padding columns get codes too: they must not leak in
  const nx = kind === 'mvm' ? rows : cols;
  const ny = kind === 'mvm' ? cols : rows;
  fill(x16, nx, rand, s.xStyle);
  const ref = (kind === 'mvm' ? refMvm : refMvmt)(W.view, rows, cols, stride, x16.view);
  t.all.forEach((k, i) => {
    ys[i].view.fill(SENTINEL);
    k[kind](W, rows, cols, stride, x16, ys[i]);
    const y = ys[i].view;
    const at = firstDiff(y, ref, ny);
    if (at >= 0) throw new Error(`${kind} ${k.backend} ${rows}x${cols}/${stride}: y[${at}] = ${y[at]}, expected ${ref[at]}`);
    for (let j = ny; j < y.length; j++) {
      if (y[j] !== SENTINEL) throw new Error(`${kind} ${k.backend}: wrote past y[${ny - 1}] (y[${j}])`);
    }
  });
}

describe('products: simd == scalar == js == exact sum mod 2^32', () => {
  it('forward mvm on random shapes, strides and codes', () => {
    fc.assert(fc.property(shapeArb, (s) => checkProducts('mvm', s)), { numRuns: 300 });
  });

  it('transposed mvmt on random shapes, strides and codes', () => {
    fc.assert(fc.property(shapeArb, (s) => checkProducts('mvmt', s)), { numRuns: 300 });
  });

  it('every size 1..67 x 1..67 once, stride cols + 3', () => {
    // covers each remainder of the 16-row blocks, 16/8-column strips and 32/8-column steps
    for (let rows = 1; rows <= MAXR; rows += 1) {
      for (let cols = 1; cols <= MAXC; cols += 1) {
        const s: Shape = { rows, cols, pad: 3, seed: rows * 1000 + cols, wStyle: 'full', xStyle: 'extreme' };
        checkProducts('mvm', s);
        checkProducts('mvmt', s);
      }
    }
  });

  it('zero rows or columns', () => {
    for (const k of t.all) {
      ys[0].view.fill(SENTINEL);
      k.mvm(W, 0, 5, 5, x16, ys[0]);
      expect(Array.from(ys[0].view.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0, 0, 0].slice(0, 5).concat([SENTINEL]));
      ys[0].view.fill(SENTINEL);
      k.mvmt(W, 5, 0, 0, x16, ys[0]);
      expect(Array.from(ys[0].view.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, SENTINEL]);
      ys[0].view.fill(SENTINEL);
      k.mvmt(W, 0, 4, 4, x16, ys[0]);
      expect(ys[0].view[0]).toBe(SENTINEL);
    }
  });
});

describe('sums beyond i32 (documented: wrap modulo 2^32, the same in every backend)', () => {
  it.each([
    [1, 2 ** 30],
    [2, -(2 ** 31)], // 2^31: also the one case where a single i32x4.dot_i16x8_s pair wraps
    [3, -(2 ** 30)], // 3 * 2^30 - 2^32
    [4, 0],
  ])('%i rows of (-32768) * (-32768) give %i', (n, expected) => {
    for (const k of t.all) {
      W.view.fill(-32768);
      x16.view.fill(-32768);
      k.mvm(W, n, 11, 11, x16, ys[0]);
      expect(Array.from(ys[0].view.subarray(0, 11))).toEqual(new Array(11).fill(expected));
      k.mvmt(W, 11, n, n, x16, ys[0]);
      expect(Array.from(ys[0].view.subarray(0, 11))).toEqual(new Array(11).fill(expected));
    }
  });

  it('sumFitsI32 tells when a format guarantees exact sums', () => {
    expect(sumFitsI32(1, 32768, 32768)).toBe(true);
    expect(sumFitsI32(2, 32768, 32768)).toBe(false);
    expect(sumFitsI32(256, 128, 128)).toBe(true); // default preset: 8-bit weights and DAC, 256 rows
    expect(sumFitsI32(128, 32, 31)).toBe(true); // bss2-like: 6-bit weights, 5-bit unsigned DAC
    expect(sumFitsI32(256, 32768, 32768)).toBe(false); // high-precision: 16 x 16 bits
    expect(sumFitsI32(1024, 2048, 1024)).toBe(false);
    expect(sumFitsI32(1024, 2048, 1023)).toBe(true);
  });
});

// ---------------------------------------------------------------- outer-product update

type FactorStyle = 'int16' | 'extreme' | 'wide';
function factor(rand: (lo: number, hi: number) => number, style: FactorStyle): number {
  if (style === 'extreme') return [-32768, 32767, 0, 1, -1][rand(0, 4)];
  if (style === 'wide') return rand(-(2 ** 31), 2 ** 31 - 1); // beyond int16: low 16 bits count
  return rand(-32768, 32767);
}

interface OuterCase {
  rows: number;
  cols: number;
  pad: number;
  seed: number;
  sh: number;
  bounds: [number, number];
  wStyle: Style;
  fStyle: FactorStyle;
}

const outerArb: fc.Arbitrary<OuterCase> = fc.record({
  rows: fc.integer({ min: 1, max: MAXR }),
  cols: fc.integer({ min: 1, max: MAXC }),
  pad: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: MAXPAD })),
  seed: fc.integer(),
  sh: fc.integer({ min: 1, max: 30 }),
  bounds: fc.oneof(
    fc.constant<[number, number]>([-32768, 32767]),
    fc.tuple(fc.integer({ min: -32768, max: 32767 }), fc.integer({ min: -32768, max: 32767 })),
    fc.integer({ min: -32768, max: 32767 }).map((v) => [v, v] as [number, number]),
  ),
  wStyle: fc.constantFrom<Style>(...STYLES),
  fStyle: fc.constantFrom<FactorStyle>('int16', 'extreme', 'wide'),
});

function checkOuter(s: OuterCase): void {
  const { rows, cols, pad, sh } = s;
  const lo = Math.min(...s.bounds);
  const hi = Math.max(...s.bounds);
  const stride = cols + pad;
  const n = rows * stride;
  const rand = rng(s.seed);
  fill(W0, n, rand, s.wStyle); // including codes outside [lo, hi]
  const a = a32.view;
  const x = x32.view;
  for (let r = 0; r < rows; r++) a[r] = factor(rand, s.fStyle);
  for (let c = 0; c < cols; c++) x[c] = factor(rand, s.fStyle);
  const w0 = W0.view;
  t.all.forEach((k, i) => {
    Wu[i].view.set(w0.subarray(0, n));
    k.outer(Wu[i], rows, cols, stride, a32, x32, sh, lo, hi);
    const w = Wu[i].view;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < stride; c++) {
        const j = r * stride + c;
        const want = c < cols ? refOuterOne(w0[j], a[r], x[c], sh, lo, hi) : w0[j]; // padding untouched
        if (w[j] !== want) {
          throw new Error(`outer ${k.backend} ${rows}x${cols}/${stride} sh ${sh} [${lo}, ${hi}]: W[${r}][${c}] = ${w[j]}, expected ${want}`);
        }
      }
    }
  });
}

describe('outer-product update: simd == scalar == js == definition', () => {
  it('random shapes, shifts, bounds and factors (low 16 bits of wide factors)', () => {
    fc.assert(fc.property(outerArb, checkOuter), { numRuns: 400 });
  });

  it('rounds to nearest with ties up, for every shift', () => {
    // int16 factors (a, x) with a*x = p, if any
    const factors = (p: number): [number, number] | undefined => {
      for (let d = 1; d <= 32768; d++) {
        const q = p / d;
        if (Number.isInteger(q) && q >= -32768 && q <= 32767) return d === 32768 ? [-q, -32768] : [q, d];
      }
      return undefined;
    };
    for (let sh = 1; sh <= 30; sh++) {
      const half = 2 ** (sh - 1);
      // a tie goes up (+half -> 1, -half -> 0); one below a tie goes down
      for (const [p, d] of [[half, 1], [-half, 0], [half - 1, 0], [-half - 1, -1]]) {
        const f = factors(p);
        if (!f) continue; // no int16 factor pair (some odd p near 2^29)
        for (const k of t.all) {
          Wu[0].view[0] = 100;
          a32.view[0] = f[0];
          x32.view[0] = f[1];
          k.outer(Wu[0], 1, 1, 1, a32, x32, sh, -32768, 32767);
          expect({ sh, p, w: Wu[0].view[0], backend: k.backend }).toEqual({ sh, p, w: 100 + d, backend: k.backend });
        }
      }
    }
  });

  it('clamps to [lo, hi], from inside and from outside', () => {
    const cases: { w: number; a: number; x: number; sh: number; lo: number; hi: number; want: number }[] = [
      { w: 2000, a: 32767, x: 32767, sh: 10, lo: -2048, hi: 2047, want: 2047 }, // pushed over hi
      { w: -2000, a: -32768, x: 32767, sh: 10, lo: -2048, hi: 2047, want: -2048 }, // pushed under lo
      { w: 32767, a: 32767, x: 32767, sh: 1, lo: -32768, hi: 32767, want: 32767 }, // i16 saturation
      { w: -32768, a: -32768, x: 32767, sh: 1, lo: -32768, hi: 32767, want: -32768 },
      { w: 30000, a: 0, x: 0, sh: 5, lo: -100, hi: 100, want: 100 }, // outside, no update: clamped
      { w: -30000, a: 0, x: 0, sh: 5, lo: -100, hi: 100, want: -100 },
      { w: -32768, a: -32768, x: -32768, sh: 1, lo: 0, hi: 10, want: 10 }, // W + 2^29: far above hi
      { w: 7, a: 123, x: -456, sh: 12, lo: 3, hi: 3, want: 3 }, // lo = hi
    ];
    for (const c of cases) {
      for (const k of t.all) {
        // 9 columns: one SIMD step of 8 plus the scalar tail see the same case
        Wu[0].view.fill(c.w, 0, 9);
        a32.view[0] = c.a;
        x32.view.fill(c.x, 0, 9);
        k.outer(Wu[0], 1, 9, 9, a32, x32, c.sh, c.lo, c.hi);
        expect({ ...c, got: Array.from(Wu[0].view.subarray(0, 9)), backend: k.backend }).toEqual({ ...c, got: new Array(9).fill(c.want), backend: k.backend });
      }
    }
  });
});

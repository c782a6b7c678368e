import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { capacityFor, createKernels, createKernelsSync, defaultKernelModule, type Kernels } from '../emulator/kernels/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------- helpers ----------

/** xorshift-style deterministic PRNG in [0, 1) */
function rng(seed: number): () => number {
  let s = (seed >>> 0) || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

type Style = 'uniform' | 'wide' | 'sparse';
function fillRandom(a: Float64Array, rand: () => number, style: Style = 'uniform'): void {
  for (let k = 0; k < a.length; k++) {
    const u = rand() * 2 - 1;
    if (style === 'uniform') a[k] = u;
    else if (style === 'wide') a[k] = u * 2 ** Math.floor(rand() * 60 - 30);
    else {
      const r = rand();
      a[k] = r < 0.3 ? 0 : r < 0.4 ? -0 : u;
    }
  }
}

function bitsEqual(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let k = 0; k < ua.length; k++) if (ua[k] !== ub[k]) return false;
  return true;
}

function expectSame(a: Float64Array, b: Float64Array, what: string): void {
  if (bitsEqual(a, b)) return;
  for (let k = 0; k < a.length; k++) {
    if (!Object.is(a[k], b[k])) throw new Error(`${what}: element ${k} differs: ${a[k]} vs ${b[k]}`);
  }
  throw new Error(`${what}: bytes differ`);
}

function expectAllObjectIs(a: Float64Array, b: Float64Array, what: string): void {
  expect(a.length).toBe(b.length);
  for (let k = 0; k < a.length; k++) {
    if (!Object.is(a[k], b[k])) throw new Error(`${what}: element ${k} differs: ${a[k]} vs ${b[k]}`);
  }
}

/** An array of n elements from k, as a subarray at element offset `off` of a larger allocation. */
function view(k: Kernels, n: number, off: number): Float64Array {
  return k.alloc(n + off + 1).subarray(off, off + n);
}

// naive references (plain loops, sequential sums) with error bounds
function refGemv(W: Float64Array, rows: number, cols: number, x: Float64Array, y0: Float64Array | null) {
  const y = new Float64Array(rows);
  const bound = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = y0 ? y0[i] : 0;
    let b = y0 ? Math.abs(y0[i]) : 0;
    for (let j = 0; j < cols; j++) {
      s += W[i * cols + j] * x[j];
      b += Math.abs(W[i * cols + j] * x[j]);
    }
    y[i] = s;
    bound[i] = b;
  }
  return { y, bound };
}
function refGemvT(W: Float64Array, rows: number, cols: number, x: Float64Array, y0: Float64Array | null) {
  const y = new Float64Array(cols);
  const bound = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let s = y0 ? y0[j] : 0;
    let b = y0 ? Math.abs(y0[j]) : 0;
    for (let i = 0; i < rows; i++) {
      s += W[i * cols + j] * x[i];
      b += Math.abs(W[i * cols + j] * x[i]);
    }
    y[j] = s;
    bound[j] = b;
  }
  return { y, bound };
}
function refGer(W: Float64Array, rows: number, cols: number, a: Float64Array, x: Float64Array, scale: number) {
  const out = Float64Array.from(W.subarray(0, rows * cols));
  const bound = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = scale * a[i] * x[j];
      out[i * cols + j] += d;
      bound[i * cols + j] = Math.abs(W[i * cols + j]) + Math.abs(d);
    }
  }
  return { y: out, bound };
}
function expectClose(got: Float64Array, ref: { y: Float64Array; bound: Float64Array }, what: string): void {
  expect(got.length).toBe(ref.y.length);
  for (let k = 0; k < got.length; k++) {
    const err = Math.abs(got[k] - ref.y[k]);
    if (!(err <= 1e-12 * ref.bound[k] + 1e-300)) {
      throw new Error(`${what}[${k}]: got ${got[k]}, want ${ref.y[k]} (bound ${ref.bound[k]})`);
    }
  }
}

// ---------- setup ----------

let wasmModule: WebAssembly.Module;

beforeAll(async () => {
  if (!existsSync(join(root, 'build', 'nla.wasm'))) {
    execSync('npx asc assembly/index.ts --target release', { cwd: root, stdio: 'inherit' });
  }
  wasmModule = await defaultKernelModule();
}, 120_000);

const MB = 1 << 20;
const backends = ['js', 'wasm'] as const;

// ---------- correctness against naive references ----------

describe.each(backends)('%s kernels vs naive reference', (backend) => {
  const shapes: [number, number][] = [[1, 1], [3, 5], [7, 9], [17, 33], [4, 8], [5, 3], [500, 784]];

  it.each(shapes)('%i x %i with subarrays at odd offsets', async (rows, cols) => {
    const k = await createKernels({ backend, capacityBytes: 40 * MB });
    const rand = rng(rows * 1000 + cols);
    const W = view(k, rows * cols, 3);
    const x = view(k, cols, 1);
    const x2 = view(k, cols, 5);
    const xr = view(k, rows, 7); // vector of length rows (gemvT input, ger a)
    const y = view(k, rows, 1);
    const y2 = view(k, rows, 3);
    const yc = view(k, cols, 3); // vector of length cols (gemvT output)
    for (const v of [W, x, x2, xr]) fillRandom(v, rand);

    for (const accumulate of [false, true]) {
      fillRandom(y, rand);
      fillRandom(y2, rand);
      const y0 = Float64Array.from(y);
      const y20 = Float64Array.from(y2);
      k.gemv(W, rows, cols, x, y, accumulate);
      expectClose(y, refGemv(W, rows, cols, x, accumulate ? y0 : null), `gemv acc=${accumulate}`);

      y.set(y0);
      k.gemv2(W, rows, cols, x, x2, y, y2, accumulate);
      expectClose(y, refGemv(W, rows, cols, x, accumulate ? y0 : null), `gemv2.y1 acc=${accumulate}`);
      expectClose(y2, refGemv(W, rows, cols, x2, accumulate ? y20 : null), `gemv2.y2 acc=${accumulate}`);

      fillRandom(yc, rand);
      const yc0 = Float64Array.from(yc);
      k.gemvT(W, rows, cols, xr, yc, accumulate);
      expectClose(yc, refGemvT(W, rows, cols, xr, accumulate ? yc0 : null), `gemvT acc=${accumulate}`);
    }

    const W0 = Float64Array.from(W);
    k.ger(W, rows, cols, xr, x, 0.37);
    expectClose(W, refGer(W0, rows, cols, xr, x, 0.37), 'ger');

    // gerGemv2: update then both products with the updated W
    const Wb = Float64Array.from(W);
    k.gerGemv2(W, rows, cols, xr, x2, -1.25, x, x2, y, y2);
    const Wref = refGer(Wb, rows, cols, xr, x2, -1.25);
    expectClose(W, Wref, 'gerGemv2.W');
    expectClose(y, refGemv(Wref.y, rows, cols, x, null), 'gerGemv2.y1');
    expectClose(y2, refGemv(Wref.y, rows, cols, x2, null), 'gerGemv2.y2');
  });
});

// ---------- JS vs Wasm, bit for bit ----------

interface Case {
  rows: number;
  cols: number;
  seed: number;
  style: Style;
  accumulate: boolean;
  offs: number[];
  scale: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  rows: fc.integer({ min: 0, max: 40 }),
  cols: fc.integer({ min: 0, max: 70 }),
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  style: fc.constantFrom<Style>('uniform', 'wide', 'sparse'),
  accumulate: fc.boolean(),
  offs: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
  scale: fc.double({ min: -4, max: 4, noNaN: true }),
});

/** Operands of one case, laid out identically in the memory of one Kernels. */
class Workspace {
  readonly W: Float64Array;
  readonly vecs: Float64Array[];
  constructor(readonly k: Kernels) {
    this.W = k.alloc(40 * 70 + 8);
    this.vecs = Array.from({ length: 7 }, () => k.alloc(70 + 8));
  }
  load(c: Case) {
    const { rows, cols, offs } = c;
    const rand = rng(c.seed);
    const W = this.W.subarray(offs[0], offs[0] + rows * cols);
    const v = (idx: number, n: number) => this.vecs[idx].subarray(offs[idx + 1], offs[idx + 1] + n);
    const ops = {
      W,
      x1: v(0, cols),
      x2: v(1, cols),
      xOld: v(2, cols),
      a: v(3, rows),
      y1: v(4, rows),
      y2: v(5, rows),
      yc: v(6, cols),
    };
    for (const arr of Object.values(ops)) fillRandom(arr, rand, c.style);
    return ops;
  }
}

describe('js and wasm agree bit for bit', () => {
  let js: Workspace;
  let wasm: Workspace;
  beforeAll(async () => {
    js = new Workspace(await createKernels({ backend: 'js', capacityBytes: MB }));
    wasm = new Workspace(createKernelsSync({ backend: 'wasm', capacityBytes: MB, module: wasmModule }));
  });

  type Op = (k: Kernels, o: ReturnType<Workspace['load']>, c: Case) => void;
  const ops: Record<string, Op> = {
    gemv: (k, o, c) => k.gemv(o.W, c.rows, c.cols, o.x1, o.y1, c.accumulate),
    gemv2: (k, o, c) => k.gemv2(o.W, c.rows, c.cols, o.x1, o.x2, o.y1, o.y2, c.accumulate),
    gemvT: (k, o, c) => k.gemvT(o.W, c.rows, c.cols, o.a, o.yc, c.accumulate),
    ger: (k, o, c) => k.ger(o.W, c.rows, c.cols, o.a, o.xOld, c.scale),
    gerGemv2: (k, o, c) => k.gerGemv2(o.W, c.rows, c.cols, o.a, o.xOld, c.scale, o.x1, o.x2, o.y1, o.y2),
  };

  it.each(Object.keys(ops))('%s', (name) => {
    const op = ops[name];
    fc.assert(
      fc.property(caseArb, (c) => {
        const oj = js.load(c);
        const ow = wasm.load(c);
        op(js.k, oj, c);
        op(wasm.k, ow, c);
        for (const key of Object.keys(oj) as (keyof typeof oj)[]) expectSame(oj[key], ow[key], `${name}.${key}`);
      }),
      { numRuns: 300 },
    );
  });

  it('on 500 x 784 and 1024 x 1024 with every op', async () => {
    for (const [rows, cols] of [[500, 784], [1024, 1024], [123, 1021]] as const) {
      const mk = async (backend: 'js' | 'wasm') => {
        const k = await createKernels({ backend, capacityBytes: 10 * MB });
        const rand = rng(rows + cols);
        const o = {
          W: view(k, rows * cols, 1),
          x1: view(k, cols, 1),
          x2: view(k, cols, 2),
          xOld: view(k, cols, 3),
          a: view(k, rows, 1),
          y1: view(k, rows, 3),
          y2: view(k, rows, 0),
          yc: view(k, cols, 1),
        };
        for (const v of Object.values(o)) fillRandom(v, rand);
        return { k, o };
      };
      const J = await mk('js');
      const Wm = await mk('wasm');
      for (const s of [J, Wm]) {
        const { k, o } = s;
        k.gemv2(o.W, rows, cols, o.x1, o.x2, o.y1, o.y2, true);
        k.gemvT(o.W, rows, cols, o.y1, o.yc, true);
        k.ger(o.W, rows, cols, o.y2, o.x1, 1e-3);
        k.gerGemv2(o.W, rows, cols, o.a, o.xOld, -1e-3, o.x1, o.x2, o.y1, o.y2);
        k.gemv(o.W, rows, cols, o.yc, o.y2, true);
      }
      for (const key of Object.keys(J.o) as (keyof typeof J.o)[]) expectSame(J.o[key], Wm.o[key], `${rows}x${cols}.${key}`);
    }
  });

  it('propagates NaN, infinities and signed zeros identically (Object.is)', async () => {
    const specials = [NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 5e-324, 1];
    for (const backendPair of [0, 1, 2]) {
      const rows = 6 + backendPair, cols = 11 + backendPair;
      const res: Float64Array[][] = [];
      for (const backend of backends) {
        const k = await createKernels({ backend, capacityBytes: MB });
        const rand = rng(99 + backendPair);
        const pick = () => specials[Math.floor(rand() * specials.length)];
        const W = k.alloc(rows * cols), x = k.alloc(cols), x2 = k.alloc(cols), a = k.alloc(rows);
        const y = k.alloc(rows), y2 = k.alloc(rows), yc = k.alloc(cols);
        for (const v of [W, x, x2, a, y, y2, yc]) for (let i = 0; i < v.length; i++) v[i] = pick();
        k.gemv2(W, rows, cols, x, x2, y, y2, true);
        k.gemvT(W, rows, cols, a, yc, true);
        k.gerGemv2(W, rows, cols, a, x, 1, x, x2, y, y2);
        res.push([W, y, y2, yc]);
      }
      res[0].forEach((v, idx) => expectAllObjectIs(v, res[1][idx], `specials[${idx}]`));
    }
  });
});

// ---------- algebraic identities, bit for bit ----------

describe.each(backends)('%s identities', (backend) => {
  it('gerGemv2 equals ger followed by gemv2', async () => {
    const k = await createKernels({ backend, capacityBytes: 4 * MB });
    const A = new Workspace(k);
    const B = new Workspace(k);
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = A.load(c);
        const b = B.load(c);
        k.gerGemv2(a.W, c.rows, c.cols, a.a, a.xOld, c.scale, a.x1, a.x2, a.y1, a.y2);
        k.ger(b.W, c.rows, c.cols, b.a, b.xOld, c.scale);
        k.gemv2(b.W, c.rows, c.cols, b.x1, b.x2, b.y1, b.y2, false);
        expectSame(a.W, b.W, 'W');
        expectSame(a.y1, b.y1, 'y1');
        expectSame(a.y2, b.y2, 'y2');
      }),
      { numRuns: 300 },
    );
  });

  it('gemv2 equals two gemv calls', async () => {
    const k = await createKernels({ backend, capacityBytes: 4 * MB });
    const A = new Workspace(k);
    const B = new Workspace(k);
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = A.load(c);
        const b = B.load(c);
        k.gemv2(a.W, c.rows, c.cols, a.x1, a.x2, a.y1, a.y2, c.accumulate);
        k.gemv(b.W, c.rows, c.cols, b.x1, b.y1, c.accumulate);
        k.gemv(b.W, c.rows, c.cols, b.x2, b.y2, c.accumulate);
        expectSame(a.y1, b.y1, 'y1');
        expectSame(a.y2, b.y2, 'y2');
      }),
      { numRuns: 200 },
    );
  });
});

// ---------- memory and errors ----------

describe.each(backends)('%s allocation', (backend) => {
  it('allocates zeroed arrays and throws a clear Error beyond capacity', async () => {
    const k = await createKernels({ backend, capacityBytes: capacityFor(10, 3, 100) });
    const a = k.alloc(10);
    const b = k.alloc(3);
    const c = k.alloc(100);
    for (const v of [a, b, c]) expect(Array.from(v).every((e) => Object.is(e, 0))).toBe(true);
    expect(() => k.alloc(1)).toThrowError(/capacity/);
    expect(() => k.alloc(-1)).toThrowError(/non-negative integer/);
  });

  it('rejects wrong lengths', async () => {
    const k = await createKernels({ backend, capacityBytes: MB });
    const W = k.alloc(12), x = k.alloc(4), y = k.alloc(3);
    expect(() => k.gemv(W, 3, 5, x, y, false)).toThrowError(RangeError);
    expect(() => k.gemvT(W, 4, 3, x, y, false)).not.toThrow();
    expect(() => k.gemvT(W, 4, 3, y, x, false)).toThrowError(RangeError);
  });
});

describe('wasm memory ownership', () => {
  it('throws on arrays from another buffer and never detaches views', async () => {
    const k = await createKernels({ backend: 'wasm', capacityBytes: 3 * MB });
    const other = await createKernels({ backend: 'wasm', capacityBytes: MB });
    const W = k.alloc(6), x = k.alloc(3), y = k.alloc(2);
    k.gemv(W, 2, 3, x, y, false);
    expect(() => k.gemv(W, 2, 3, new Float64Array(3), y, false)).toThrowError(/not a view on this Kernels' memory/);
    expect(() => k.gemv(W, 2, 3, x, other.alloc(2), false)).toThrowError(/not a view/);
    expect(() => k.ger(new Float64Array(6), 2, 3, y, x, 1)).toThrowError(/W is not a view/);
    // fill the capacity: earlier views stay attached
    k.alloc((3 * MB - 128) / 8);
    expect(() => k.alloc(8)).toThrowError(/capacity/);
    expect(W.length).toBe(6);
    k.gemv(W, 2, 3, x, y, false);
  });

  it('createKernelsSync needs a module for wasm', () => {
    expect(() => createKernelsSync({ backend: 'wasm', capacityBytes: 1024 })).toThrowError(/module/);
    expect(createKernelsSync({ backend: 'js', capacityBytes: 1024 }).backend).toBe('js');
  });
});

// The crossbar kernels' memory (views refreshed after growth, no leaks between buffers), the
// argument checks of the wrapper, and shapes beyond the small random ones (outer over more than
// the 4096 columns packed per block, a product larger than one row block).
import { beforeAll, describe, expect, it } from 'vitest';
import { createXbar, XbarArena, XbarI32, xbarBytes, XBAR_ALIGN, type XbarI16 } from '../../emulator/xbar/index.js';
import { fill, refMvm, refMvmt, refOuterOne, rng, trio, type Trio } from './setup.js';

describe('arena', () => {
  it('hands out zeroed, aligned, disjoint buffers and sizes itself with xbarBytes', () => {
    const arena = new XbarArena({ capacityBytes: xbarBytes(10, 4 * 3, 2) });
    const a = arena.allocI16(5);
    const b = arena.allocI32(3);
    const c = arena.allocI16(1);
    for (const buf of [a, b, c]) expect(buf.ptr % XBAR_ALIGN).toBe(0);
    expect(b.ptr).toBeGreaterThanOrEqual(a.end);
    expect(c.ptr).toBeGreaterThanOrEqual(b.end);
    expect(Array.from(a.view)).toEqual([0, 0, 0, 0, 0]);
    expect(arena.usedBytes).toBe(xbarBytes(10, 12, 2));
    expect(arena.memory.buffer.byteLength).toBe(65536 * 2); // reserve + capacity, one page each
  });

  it('grows when a buffer does not fit; views are re-created, contents kept, kernels still agree', async () => {
    const { arena, all } = await trio(4096);
    const W = arena.allocI16(7 * 9);
    const x = arena.allocI16(9);
    const before = W.view;
    const rand = rng(7);
    fill(W, 63, rand, 'full');
    fill(x, 9, rand, 'full');
    const copy = Array.from(W.view);
    const pages = arena.memory.buffer.byteLength / 65536;
    const big = arena.allocI16(1 << 20); // 2 MiB: grows the memory
    expect(arena.memory.buffer.byteLength / 65536).toBeGreaterThan(pages);
    expect(before.length).toBe(0); // the old view is detached, as documented
    expect(Array.from(W.view)).toEqual(copy);
    expect(big.view.length).toBe(1 << 20);
    const y = arena.allocI32(9);
    for (const k of all) {
      y.view.fill(-1);
      k.mvmt(W, 7, 9, 9, x, y);
      expect(Array.from(y.view.subarray(0, 7))).toEqual(refMvmt(W.view, 7, 9, 9, x.view));
    }
  });

  it('refuses maximumBytes below the initial size and reports a failed growth', () => {
    expect(() => new XbarArena({ capacityBytes: 1 << 20, maximumBytes: 65536 })).toThrow(/maximumBytes/);
    const arena = new XbarArena({ capacityBytes: 0, maximumBytes: 2 * 65536 });
    arena.allocI16(1000);
    expect(() => arena.allocI16(1 << 20)).toThrow(/cannot grow the arena/);
  });
});

describe('argument checks', () => {
  let t: Trio;
  let W: XbarI16, x: XbarI16, y: XbarI32, a: XbarI32, xo: XbarI32, other: XbarI16;
  beforeAll(async () => {
    t = await trio();
    W = t.arena.allocI16(4 * 6);
    x = t.arena.allocI16(6);
    y = t.arena.allocI32(6);
    a = t.arena.allocI32(4);
    xo = t.arena.allocI32(6);
    other = new XbarArena({ capacityBytes: 1024 }).allocI16(64);
  });

  it.each(['simd', 'scalar', 'js'] as const)('%s: shapes, strides, ownership, overlaps, shift and bounds', (backend) => {
    const k = t[backend];
    const arena = t.arena;
    expect(() => k.mvm(W, 4, 6, 5, x, y)).toThrow(/stride must be an int32 >= cols/);
    expect(() => k.mvm(W, 5, 6, 6, x, y)).toThrow(/W has 24 codes, a 5 x 6 matrix with stride 6 needs 30/);
    expect(() => k.mvm(W, 4, 6, 6, other, y)).toThrow(/another arena/);
    expect(() => k.mvmt(W, 4, 6, 6, x, arena.allocI32(3))).toThrow(/y has length 3, needs at least 4/);
    expect(() => k.mvm(W, 2.5, 6, 6, x, y)).toThrow(/non-negative int32/);
    // y over the matrix: the product would read codes it already overwrote
    const Wy = arena.allocI16(64);
    const alias = new XbarI32(arena, Wy.ptr + 16, 6);
    expect(() => k.mvm(Wy, 2, 6, 6, x, alias)).toThrow(/y and W overlap/);
    expect(() => k.outer(W, 4, 6, 6, a, xo, 0, -1, 1)).toThrow(/sh must be an integer in 1..30/);
    expect(() => k.outer(W, 4, 6, 6, a, xo, 31, -1, 1)).toThrow(/sh must be/);
    expect(() => k.outer(W, 4, 6, 6, a, xo, 3, 2, 1)).toThrow(/lo <= hi/);
    expect(() => k.outer(W, 4, 6, 6, a, xo, 3, -40000, 1)).toThrow(/-32768 <= lo/);
    expect(() => k.outer(W, 4, 6, 6, x as never, xo, 3, -1, 1)).toThrow(/a must be an XbarI32/);
  });

  it('createXbar rejects an unknown backend', async () => {
    await expect(createXbar({ backend: 'gpu' as never })).rejects.toThrow(/unknown backend gpu/);
  });
});

describe('larger shapes (all backends against the definition)', () => {
  it('outer over 4100 columns (two packed blocks) with a stride above cols', async () => {
    const rows = 3, cols = 4100, stride = 4103;
    const { arena, all } = await trio(1 << 20);
    const W0 = arena.allocI16(rows * stride);
    const a = arena.allocI32(rows);
    const x = arena.allocI32(cols);
    const rand = rng(99);
    fill(W0, rows * stride, rand, 'full');
    fill(a, rows, rand, 'full');
    fill(x, cols, rand, 'full');
    for (const k of all) {
      const W = arena.allocI16(rows * stride);
      W.view.set(W0.view);
      k.outer(W, rows, cols, stride, a, x, 13, -3000, 3000);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < stride; c++) {
          const j = r * stride + c;
          const want = c < cols ? refOuterOne(W0.view[j], a.view[r], x.view[c], 13, -3000, 3000) : W0.view[j];
          if (W.view[j] !== want) throw new Error(`${k.backend}: W[${r}][${c}] = ${W.view[j]}, expected ${want}`);
        }
      }
    }
  });

  it('products of 301 x 203 with stride 211 (many row blocks, all column remainders)', async () => {
    const rows = 301, cols = 203, stride = 211;
    const { arena, all } = await trio(1 << 20);
    const W = arena.allocI16(rows * stride);
    const xr = arena.allocI16(rows);
    const xc = arena.allocI16(cols);
    const y = arena.allocI32(Math.max(rows, cols));
    const rand = rng(5);
    fill(W, rows * stride, rand, 'full');
    fill(xr, rows, rand, 'full');
    fill(xc, cols, rand, 'full');
    const f = refMvm(W.view, rows, cols, stride, xr.view);
    const tr = refMvmt(W.view, rows, cols, stride, xc.view);
    for (const k of all) {
      k.mvm(W, rows, cols, stride, xr, y);
      expect(Array.from(y.view.subarray(0, cols))).toEqual(f);
      k.mvmt(W, rows, cols, stride, xc, y);
      expect(Array.from(y.view.subarray(0, rows))).toEqual(tr);
    }
  });
});

describe('buffer windows', () => {
  it('a buffer made directly must lie above the module static data', () => {
    const arena = new XbarArena({ capacityBytes: 1024 });
    expect(() => new XbarI32(arena, 16, 4)).toThrow(/below the arena's first buffer/);
    const whole = arena.allocI32(8);
    const window = new XbarI32(arena, whole.ptr + 16, 4); // elements 4..7 of `whole`
    whole.view[5] = 42;
    expect(window.view[1]).toBe(42);
  });
});

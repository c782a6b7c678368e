// Shared setup of the crossbar kernel tests: the three backends on ONE arena (so they read the very
// same input buffers), deterministic fills, and exact references written independently of the
// kernels (plain double arithmetic, reduced modulo 2^32 at the end).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createXbarSync, defaultXbarModule, XbarArena, type XbarI16, type XbarI32, type XbarKernels,
} from '../../emulator/xbar/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Trio {
  arena: XbarArena;
  simd: XbarKernels;
  scalar: XbarKernels;
  js: XbarKernels;
  all: XbarKernels[];
}

/** Builds build/xbar.wasm if missing, then the three backends on one fresh arena. */
export async function trio(capacityBytes = 1 << 20): Promise<Trio> {
  if (!existsSync(join(root, 'build', 'xbar.wasm'))) {
    execSync('npx asc assembly/xbar/index.ts --target xbar', { cwd: root, stdio: 'inherit' });
  }
  const module = await defaultXbarModule();
  const arena = new XbarArena({ capacityBytes });
  const simd = createXbarSync({ backend: 'simd', arena, module });
  const scalar = createXbarSync({ backend: 'scalar', arena, module });
  const js = createXbarSync({ backend: 'js', arena });
  return { arena, simd, scalar, js, all: [simd, scalar, js] };
}

/** xorshift32 PRNG, uniform integers in [lo, hi] */
export function rng(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return (lo, hi) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return lo + Math.floor((s / 4294967296) * (hi - lo + 1));
  };
}

/** How codes are drawn: anywhere in int16, only extremes (and 0, +-1), or small. */
export type Style = 'full' | 'extreme' | 'small';
export const STYLES: Style[] = ['full', 'extreme', 'small'];
const EXTREMES = [-32768, 32767, -32767, 0, 1, -1];

export function code(rand: (lo: number, hi: number) => number, style: Style): number {
  if (style === 'extreme') return EXTREMES[rand(0, EXTREMES.length - 1)];
  if (style === 'small') return rand(-8, 8);
  return rand(-32768, 32767);
}

export function fill(b: XbarI16 | XbarI32, n: number, rand: (lo: number, hi: number) => number, style: Style): void {
  const v = b.view;
  for (let i = 0; i < n; i++) v[i] = code(rand, style);
}

/** exact forward sums modulo 2^32: y[c] = sum_r W[r*stride+c] x[r], summed per column in double */
export function refMvm(W: Int16Array, rows: number, cols: number, stride: number, x: Int16Array): number[] {
  const y: number[] = [];
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += W[r * stride + c] * x[r];
    y.push(s | 0);
  }
  return y;
}

/** exact transposed sums modulo 2^32 */
export function refMvmt(W: Int16Array, rows: number, cols: number, stride: number, x: Int16Array): number[] {
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += W[r * stride + c] * x[c];
    y.push(s | 0);
  }
  return y;
}

/** the outer-product update of one element, from its definition (floor division, no shifts) */
export function refOuterOne(w: number, a: number, x: number, sh: number, lo: number, hi: number): number {
  const a16 = ((a & 0xffff) ^ 0x8000) - 0x8000;
  const x16 = ((x & 0xffff) ^ 0x8000) - 0x8000;
  const d = Math.floor((a16 * x16 + 2 ** (sh - 1)) / 2 ** sh);
  return Math.min(Math.max(w + d, lo), hi);
}

/** first index where two sequences differ, or -1 */
export function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

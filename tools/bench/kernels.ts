// Benchmark of the f64 linear-algebra kernels (emulator/kernels), both backends.
// Standalone: npm run build:wasm && npx tsc -p tsconfig.json && node dist/tools/bench/kernels.js
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { capacityFor, createKernels, type KernelBackend, type Kernels } from '../../emulator/kernels/index.js';

const SIZES: [number, number][] = [[500, 784], [1024, 1024]];
const BACKENDS: KernelBackend[] = ['wasm', 'js'];

interface Operands {
  W: Float64Array;
  a: Float64Array;
  xOld: Float64Array;
  x1: Float64Array;
  x2: Float64Array;
  y1: Float64Array;
  y2: Float64Array;
  yc: Float64Array;
}

interface Op {
  name: string;
  /** flops per call (2 per multiply-add) */
  flops: (r: number, c: number) => number;
  run: (k: Kernels, o: Operands, r: number, c: number) => void;
}

const OPS: Op[] = [
  { name: 'gemv', flops: (r, c) => 2 * r * c, run: (k, o, r, c) => k.gemv(o.W, r, c, o.x1, o.y1, false) },
  { name: 'gemv2', flops: (r, c) => 4 * r * c, run: (k, o, r, c) => k.gemv2(o.W, r, c, o.x1, o.x2, o.y1, o.y2, false) },
  { name: 'gemvT', flops: (r, c) => 2 * r * c, run: (k, o, r, c) => k.gemvT(o.W, r, c, o.a, o.yc, false) },
  // tiny scale keeps W bounded over millions of updates
  { name: 'ger', flops: (r, c) => 2 * r * c, run: (k, o, r, c) => k.ger(o.W, r, c, o.a, o.xOld, 1e-12) },
  {
    name: 'gerGemv2',
    flops: (r, c) => 6 * r * c,
    run: (k, o, r, c) => k.gerGemv2(o.W, r, c, o.a, o.xOld, -1e-12, o.x1, o.x2, o.y1, o.y2),
  },
];

function operands(k: Kernels, r: number, c: number): Operands {
  let s = 12345;
  const rand = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const v = (n: number) => {
    const a = k.alloc(n);
    for (let i = 0; i < n; i++) a[i] = rand();
    return a;
  };
  return { W: v(r * c), a: v(r), xOld: v(c), x1: v(c), x2: v(c), y1: v(r), y2: v(r), yc: v(c) };
}

interface Timing {
  /** median seconds per call */
  median: number;
  /** fastest repetition, seconds per call (this shared 2-vCPU machine is noisy) */
  best: number;
}

/** Seconds per call over `reps` repetitions, after a warm-up long enough for V8 to tier the code up. */
function timeIt(fn: () => void, warmMs = 400, reps = 15, repMs = 30): Timing {
  let t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < warmMs) {
    fn();
    calls++;
  }
  const perCall = (performance.now() - t0) / calls;
  const n = Math.max(1, Math.round(repMs / perCall));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    times.push((performance.now() - t0) / n);
  }
  times.sort((x, y) => x - y);
  return { median: times[reps >> 1] / 1000, best: times[0] / 1000 };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

export async function benchKernels(): Promise<string[]> {
  const lines: string[] = [];
  lines.push('f64 kernels: GFLOP/s (2 flops per multiply-add) after warm-up, median / best of 15 repetitions');
  lines.push(['backend', 'size', ...OPS.map((o) => o.name)].map((s, i) => pad(s, i < 2 ? 9 : 12)).join(' '));
  const steps: [KernelBackend, Timing][] = [];
  for (const backend of BACKENDS) {
    for (const [r, c] of SIZES) {
      const k = await createKernels({ backend, capacityBytes: capacityFor(r * c, r, c, c, c, r, r, c) });
      const o = operands(k, r, c);
      const cells: string[] = [];
      for (const op of OPS) {
        const t = timeIt(() => op.run(k, o, r, c));
        const gf = (sec: number) => (op.flops(r, c) / sec / 1e9).toFixed(2);
        cells.push(`${gf(t.median)} / ${gf(t.best)}`);
        if (op.name === 'gerGemv2' && r === 500 && c === 784) steps.push([backend, t]);
      }
      lines.push([backend, `${r}x${c}`, ...cells].map((s, i) => pad(s, i < 2 ? 9 : 12)).join(' '));
    }
  }
  for (const [backend, t] of steps) {
    lines.push(
      `step = gerGemv2 500x784 (${backend}): median ${(t.median * 1e6).toFixed(1)} us -> at most ` +
        `${Math.floor(1 / t.median)} steps/s (best ${(t.best * 1e6).toFixed(1)} us -> ${Math.floor(1 / t.best)} steps/s)`,
    );
  }
  return lines;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  for (const line of await benchKernels()) console.log(line);
}

// nla sweep on worker threads: the same 12 configurations of the chain (weight_bits 4..7 x adc_bits
// 6, 8, 10; 1 s = 20000 ticks and 4 s = 80000 ticks each on the Wasm chip) with 1 worker and with
// 2, wall times and their ratio. Issue target: 2 workers take at most 0.6x the serial time (on 2 free cores).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadNetwork } from '../../compiler/network/index.js';
import { parseAxes } from '../sweep/axes.js';
import { runSweep } from '../sweep/sweep.js';
import { examplePath } from './paths.js';

async function wall(workers: number, duration: number): Promise<{ seconds: number; cpuSeconds: number; rows: number; failed: number; rowSeconds: number; reason: string | null }> {
  const out = mkdtempSync(join(tmpdir(), 'nla-bench-sweep-'));
  const cpu0 = process.cpuUsage(); // the whole process, worker threads included
  try {
    const file = examplePath('chain.yaml');
    const r = await runSweep({
      network: { file, text: readFileSync(file, 'utf8'), ir: loadNetwork(file) },
      hw: 'default',
      axes: parseAxes(['weight_bits=4..7', 'adc_bits=6,8,10']),
      out,
      duration,
      seed: 0,
      backend: 'wasm',
      workers,
    });
    const rows = r.table.rows;
    const cpu = process.cpuUsage(cpu0);
    return { seconds: r.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows: rows.length, failed: rows.filter((x) => !x.ok).length, rowSeconds: rows.reduce((a, x) => a + x.seconds, 0), reason: rows.find((x) => !x.ok)?.reason ?? null };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The machine's own limit: the same fixed chip run (the chain, `ticks` ticks) twice in one worker,
 * then once in each of two workers at the same time (each warmed up and waiting first); the ratio
 * of the wall times is the best any 2-worker sweep can reach here (0.5 on two ideal cores).
 */
async function machineRatio(ticks: number): Promise<{ one: number; two: number }> {
  const start = async (runs: number) => {
    const w = new Worker(new URL('./chip-worker.js', import.meta.url), { workerData: { ticks, runs } });
    await new Promise((resolve) => w.once('message', resolve));
    return w;
  };
  const go = (w: Worker) => {
    const done = new Promise<number>((resolve) => w.once('message', (s: number) => resolve(s)));
    w.postMessage('go');
    return done.finally(() => void w.terminate());
  };
  const single = await start(2);
  const t0 = performance.now();
  await go(single);
  const one = (performance.now() - t0) / 1000;
  const pair = [await start(1), await start(1)];
  const t1 = performance.now();
  await Promise.all(pair.map(go));
  return { one, two: (performance.now() - t1) / 1000 };
}

export async function benchSweep(): Promise<string[]> {
  const load = loadavg()[0]!.toFixed(2);
  await wall(2, 1); // warm the file cache and the build's modules
  const line = (label: string, w: Awaited<ReturnType<typeof wall>>) =>
    `  ${label.padEnd(10)} ${w.seconds.toFixed(2)} s wall for ${w.rows} configurations (${w.failed} not run); ${w.cpuSeconds.toFixed(2)} s CPU, ${w.rowSeconds.toFixed(2)} s wall inside the rows${w.reason ? `; not run: ${w.reason}` : ''}`;
  const lines = [`sweep: chain on default, 12 configurations (Wasm chip); ${availableParallelism()} cores, load average ${load} before`];
  // short rows show the fixed costs of a worker (its JIT and Wasm warm-up), longer ones less so
  for (const duration of [1, 4]) {
    const serial = await wall(1, duration);
    const parallel = await wall(2, duration);
    lines.push(
      `  ${duration} s of network time per configuration (${duration * 20000} ticks)`,
      line('1 worker', serial),
      line('2 workers', parallel),
      `  ratio      ${(parallel.seconds / serial.seconds).toFixed(2)} (2 workers / 1; target <= 0.6 on 2 otherwise idle cores)`,
    );
  }
  const m = await machineRatio(240000);
  lines.push(
    `  this machine's limit: one chain chip run of 240000 ticks twice in 1 worker ${m.one.toFixed(2)} s, once in each of 2 workers at once ${m.two.toFixed(2)} s,`,
    `             ratio ${(m.two / m.one).toFixed(2)} (0.5 on two ideal cores; no sweep on 2 workers can do better)`,
    `  load average ${loadavg()[0]!.toFixed(2)} after: on a busy machine the workers share the cores with others`,
  );
  return lines;
}

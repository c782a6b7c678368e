// `nla sweep`: a grid of hw-spec and dt variations of one network, each compiled and run on the
// emulated chip beside the ideal model, on worker threads. Finished rows are saved as they arrive,
// so a run that is stopped (Ctrl-C) resumes where it was; at the end the tables and the page.
import { basename, join } from 'node:path';
import { hwSpecHash, loadHwSpec, serialiseHwSpec } from '../../compiler/hwspec/index.js';
import type { NetworkIR } from '../../compiler/network/index.js';
import { writeFileAtomic } from '../io.js';
import type { Progress } from '../progress.js';
import { configKey, grid, type AxisValues } from './axes.js';
import { sweepHtml } from './html.js';
import type { SweepContext, SweepRow } from './measure.js';
import { runPool } from './pool.js';
import { loadFinished, paretoFront, saveFinished, tableCsv, withinBudget, type Budget, type SweepIdentity } from './results.js';

export interface SweepOptions {
  network: { file: string; text: string; ir: NetworkIR };
  /** hw-spec preset name or file */
  hw: string;
  axes: AxisValues[];
  out: string;
  steps?: number;
  duration?: number;
  seed: number;
  calibrationTicks?: number;
  backend: 'wasm' | 'reference';
  workers: number;
  budget?: Budget;
  /** discard the rows of an earlier run into `out` */
  restart?: boolean;
  progress?: Progress;
  /** called once the workers run, with the function that stops them (the CLI's Ctrl-C) */
  onStart?: (stop: () => Promise<void>) => void;
}

export interface SweepTable {
  tool: 'nla sweep';
  created: string;
  identity: SweepIdentity;
  axes: { name: string; values: number[]; format: (v: number) => string }[];
  rows: SweepRow[];
  /** keys of the Pareto front, by energy */
  pareto: string[];
  budget: Budget | null;
  chosen: SweepRow | null;
}

export interface SweepResult {
  table: SweepTable;
  /** rows computed by this run, and rows taken from an earlier one */
  computed: number;
  reused: number;
  /** stopped before every row was done (nothing but results.json is written then) */
  stopped: boolean;
  seconds: number;
}

export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const spec = loadHwSpec(opts.hw);
  const identity: SweepIdentity = {
    network: { file: basename(opts.network.file), sha256: opts.network.ir.sourceHash },
    hw_spec: { name: spec.name, sha256: hwSpecHash(spec) },
    steps: opts.steps ?? null,
    duration_s: opts.steps === undefined ? (opts.duration ?? null) : null,
    seed: opts.seed,
    calibration_ticks: opts.calibrationTicks ?? null,
    backend: opts.backend,
  };
  const configs = grid(opts.axes);
  const finished = opts.restart ? new Map<string, SweepRow>() : loadFinished(opts.out, identity);
  // the longest rows first (a finer dt runs more ticks for the same duration), so that no worker
  // is left with a long row at the end while the other waits; otherwise in grid order
  const ticksOf = (c: (typeof configs)[number]): number => (opts.steps !== undefined ? 0 : 1 / (c.dt ?? opts.network.ir.dynamics.dt));
  const todo = configs.filter((c) => !finished.has(configKey(c))).sort((a, b) => ticksOf(b) - ticksOf(a));
  const reused = configs.length - todo.length;
  const ctx: SweepContext = {
    network: { file: opts.network.file, text: opts.network.text },
    spec: serialiseHwSpec(spec),
    steps: opts.steps,
    duration: opts.duration,
    seed: opts.seed,
    calibrationTicks: opts.calibrationTicks,
    backend: opts.backend,
  };
  let computed = 0;
  opts.progress?.update(reused, configs.length);
  const pool = runPool(ctx, todo, opts.workers, (row) => {
    finished.set(row.key, row);
    computed++;
    saveFinished(opts.out, identity, finished.values());
    opts.progress?.update(reused + computed, configs.length);
  });
  opts.onStart?.(pool.stop);
  const { stopped } = await pool.done;
  opts.progress?.stop();

  const rows = configs.map((c) => finished.get(configKey(c))).filter((r): r is SweepRow => r !== undefined);
  const pareto = paretoFront(rows).map((r) => r.key);
  const table: SweepTable = {
    tool: 'nla sweep',
    created: new Date().toISOString(),
    identity,
    axes: opts.axes.map(({ axis, values }) => ({ name: axis.name, values, format: axis.format })),
    rows,
    pareto,
    budget: opts.budget ?? null,
    chosen: opts.budget ? withinBudget(rows, opts.budget) : null,
  };
  if (!stopped) {
    writeFileAtomic(join(opts.out, 'table.csv'), tableCsv(opts.axes, rows, new Set(pareto)));
    writeFileAtomic(join(opts.out, 'table.json'), tableJson(table));
    writeFileAtomic(join(opts.out, 'index.html'), sweepHtml(table));
  }
  return { table, computed, reused, stopped, seconds: (performance.now() - started) / 1000 };
}

/** table.json: the table with the axes as data */
export function tableJson(t: SweepTable): string {
  return JSON.stringify({ ...t, axes: t.axes.map(({ name, values }) => ({ name, values })) }, null, 1) + '\n';
}

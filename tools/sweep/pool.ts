// Runs the configurations of a sweep on worker threads (node:worker_threads), one task at a time per
// worker, handing each finished row to the caller as it arrives. The tasks: the ideal model's run
// of each dt first (one per dt, shared by its rows), then the chips, longest first; a chip that is
// done before its ideal trace waits here, in the main thread, not in a worker. stop() terminates
// the workers at once (Ctrl-C); the rows already handed over stay with the caller.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../compiler/common/errors.js';
import { packageRoot } from '../../compiler/common/package-root.js';
import type { Config } from './axes.js';
import { completeRow, isChipPart, splitKey, type ChipPart, type OutputTrace, type SweepContext, type SweepRow } from './measure.js';

/** the worker script: beside this module in the build; from the TypeScript sources (vitest), the build's */
function workerScript(): URL {
  if (import.meta.url.endsWith('.js')) return new URL('./worker.js', import.meta.url);
  const built = join(packageRoot(), 'dist', 'tools', 'sweep', 'worker.js');
  if (!existsSync(built)) throw new UserError(`nla sweep runs its configurations on worker threads from the build, and ${built} is missing: run npm run build (from ${fileURLToPath(import.meta.url)})`);
  return pathToFileURL(built);
}

export interface PoolRun {
  /** resolves when every configuration is done, or with `stopped` after stop() */
  done: Promise<{ stopped: boolean }>;
  stop: () => Promise<void>;
}

/** what a worker is asked to do */
export type Task = { kind: 'ideal'; key: string; config: Config } | { kind: 'row'; config: Config; split: boolean };
/** what it answers */
export type TaskResult = { kind: 'ideal'; key: string; trace: OutputTrace | { reason: string } } | { kind: 'row'; result: SweepRow | ChipPart };

/** the ideal runs first (one per key, with the dt of the first configuration that needs it), then the rows */
export function planTasks(ctx: SweepContext, configs: Config[]): Task[] {
  const ideals = new Map<string, Task>();
  const rows: Task[] = configs.map((config) => {
    const key = splitKey(ctx, config);
    if (key !== null && !ideals.has(key)) ideals.set(key, { kind: 'ideal', key, config });
    return { kind: 'row', config, split: key !== null };
  });
  return [...ideals.values(), ...rows];
}

export function runPool(ctx: SweepContext, configs: Config[], workers: number, onRow: (row: SweepRow) => void): PoolRun {
  const script = workerScript();
  const queue = planTasks(ctx, configs);
  const pool: Worker[] = [];
  const traces = new Map<string, OutputTrace | { reason: string }>();
  const waiting = new Map<string, ChipPart[]>();
  let stopped = false;
  let finish: (r: { stopped: boolean }) => void;
  let fail: (e: unknown) => void;
  const done = new Promise<{ stopped: boolean }>((resolve, reject) => ((finish = resolve), (fail = reject)));
  let busy = 0;
  const stopAll = async () => {
    stopped = true;
    await Promise.all(pool.map((w) => w.terminate()));
  };
  const next = (w: Worker) => {
    const task = queue.shift();
    if (task === undefined) {
      void w.terminate();
      // every chip part waits for an ideal run that was queued before it: none is left waiting here
      if (busy === 0) finish({ stopped: false });
      return;
    }
    busy++;
    w.postMessage(task);
  };
  const received = (r: TaskResult) => {
    if (r.kind === 'ideal') {
      traces.set(r.key, r.trace);
      for (const part of waiting.get(r.key) ?? []) onRow(completeRow(part, r.trace));
      waiting.delete(r.key);
    } else if (!isChipPart(r.result)) onRow(r.result);
    else {
      const trace = traces.get(r.result.idealKey);
      if (trace) onRow(completeRow(r.result, trace));
      else waiting.set(r.result.idealKey, [...(waiting.get(r.result.idealKey) ?? []), r.result]);
    }
  };
  for (let i = 0; i < Math.min(workers, queue.length); i++) {
    const w = new Worker(script, { workerData: ctx });
    pool.push(w);
    w.on('message', (r: TaskResult) => {
      busy--;
      if (stopped) return;
      received(r);
      next(w);
    });
    // a worker that dies (not a failed row: measureRow catches those) is a bug: stop everything
    w.on('error', (e) => {
      if (stopped) return;
      void stopAll().then(() => fail(e));
    });
    next(w);
  }
  if (!queue.length && !busy) finish!({ stopped: false });
  return {
    done,
    stop: async () => {
      await stopAll();
      finish({ stopped: true });
    },
  };
}

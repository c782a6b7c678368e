// Runs the configurations of a sweep on worker threads (node:worker_threads), one configuration at
// a time per worker, handing each finished row to the caller as it arrives. stop() terminates the
// workers at once (Ctrl-C); the rows already handed over stay with the caller.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../compiler/common/errors.js';
import { packageRoot } from '../../compiler/common/package-root.js';
import type { Config } from './axes.js';
import type { SweepContext, SweepRow } from './measure.js';

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

export function runPool(ctx: SweepContext, configs: Config[], workers: number, onRow: (row: SweepRow) => void): PoolRun {
  const script = workerScript();
  const queue = [...configs];
  const pool: Worker[] = [];
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
    const config = queue.shift();
    if (config === undefined) {
      void w.terminate();
      if (busy === 0) finish({ stopped: false });
      return;
    }
    busy++;
    w.postMessage(config);
  };
  for (let i = 0; i < Math.min(workers, configs.length); i++) {
    const w = new Worker(script, { workerData: ctx });
    pool.push(w);
    w.on('message', (row: SweepRow) => {
      busy--;
      if (stopped) return;
      onRow(row);
      next(w);
    });
    // a worker that dies (not a failed row: measureRow catches those) is a bug: stop everything
    w.on('error', (e) => {
      if (stopped) return;
      void stopAll().then(() => fail(e));
    });
    next(w);
  }
  if (!configs.length) finish!({ stopped: false });
  return {
    done,
    stop: async () => {
      await stopAll();
      finish({ stopped: true });
    },
  };
}

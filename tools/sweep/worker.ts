// A sweep worker thread: gets the shared context once (workerData), then measures one configuration
// per message and posts the row back.
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from './axes.js';
import { measureRow, type SweepContext } from './measure.js';

const ctx = workerData as SweepContext;
parentPort!.on('message', async (config: Config) => {
  parentPort!.postMessage(await measureRow(ctx, config));
});

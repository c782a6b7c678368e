// A sweep worker thread: gets the shared context once (workerData), then does one task per message
// (an ideal run, or a configuration's chip) and posts the result back (pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { measureChip, measureIdeal, measureRow, reasonOf, type SweepContext } from './measure.js';
import type { Task, TaskResult } from './pool.js';

const ctx = workerData as SweepContext;
async function run(task: Task): Promise<TaskResult> {
  if (task.kind === 'row') return { kind: 'row', result: task.split ? await measureChip(ctx, task.config) : await measureRow(ctx, task.config) };
  try {
    return { kind: 'ideal', key: task.key, trace: await measureIdeal(ctx, task.config) };
  } catch (e) {
    return { kind: 'ideal', key: task.key, trace: { reason: `the ideal model's run failed: ${reasonOf(e)}` } };
  }
}
parentPort!.on('message', async (task: Task) => {
  parentPort!.postMessage(await run(task));
});

// A worker thread of the sweep benchmark's machine check: compiles the chain for the default
// preset, runs it on the Wasm chip for workerData.ticks ticks (after a warm-up) and posts the
// seconds the run took. Two of these at once against one, twice in a row, show how far two busy
// cores of this machine are from running twice as fast as one, whatever nla sweep does.
import { parentPort, workerData } from 'node:worker_threads';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';
import { runBackend } from '../../emulator/simulate.js';
import { compileNetwork } from '../compile/compile.js';
import { examplePath } from './paths.js';

const { ticks, runs } = workerData as { ticks: number; runs: number };
const net = loadNetwork(examplePath('chain.yaml'));
const image = compileNetwork(net, loadHwSpec('default')).image;
const chip = createNodeWasmChip(image);
const ctx = { presentation: net.stimulus.presentation, where: net.file };
runBackend(chip, net, ctx, { steps: 20000, record: [] });
parentPort!.once('message', () => {
  const t0 = performance.now();
  for (let k = 0; k < runs; k++) runBackend(chip, net, ctx, { steps: ticks, record: [] });
  parentPort!.postMessage((performance.now() - t0) / 1000);
});
parentPort!.postMessage('ready');

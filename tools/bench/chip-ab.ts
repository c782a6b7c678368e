// Two builds of the chip core (build/chip.wasm of two commits) on one example, interleaved: 16
// rounds, each running a chunk of the example's first phase on both (the order alternating), and
// the median of the per-round ratios B / A. On a VM whose speed drifts by tens of percent from
// minute to minute, this shows a few percent that two separate bench runs cannot.
// Usage: npm run build && node dist/tools/bench/chip-ab.js <example> <preset> <a.wasm> <b.wasm>
//   e.g. git stash && npm run build:wasm && cp build/chip.wasm /tmp/a.wasm && git stash pop && npm run build:wasm
//        node dist/tools/bench/chip-ab.js mnist default /tmp/a.wasm build/chip.wasm
import { readFileSync } from 'node:fs';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { createWasmChip } from '../../emulator/chip/wasm.js';
import { runBackend } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { compileNetwork } from '../compile/compile.js';
import { examplePath } from './paths.js';

const [example, preset, a, b] = process.argv.slice(2);
if (!example || !preset || !a || !b) {
  process.stderr.write('usage: node dist/tools/bench/chip-ab.js <example: chain|recurrent|mnist> <preset> <a.wasm> <b.wasm>\n');
  process.exit(2);
}
const net = loadNetwork(examplePath(`${example}.yaml`));
const image = compileNetwork(net, loadHwSpec(preset)).image;
const ctx = { presentation: net.stimulus.presentation, dataset: mnistSplit, where: net.file };
const chips = [a, b].map((file) => {
  try {
    return createWasmChip(image, { wasm: new WebAssembly.Module(readFileSync(file)) });
  } catch (e) {
    // e.g. a build from before a layout constant this host writes: both builds need this host's layout
    process.stderr.write(`chip-ab: ${file}: ${(e as Error).message}\n`);
    process.exit(1);
  }
});
const phase = Math.round(net.phases[0]!.duration / net.dynamics.dt);
const chunk = Math.min(phase, Math.max(200, Math.round(2e6 / Math.max(1, image.cores.length * 1000))));
for (const chip of chips) for (let k = 0; k < 3; k++) runBackend(chip, net, ctx, { steps: chunk, record: [] });
const rates: number[][] = [[], []];
for (let round = 0; round < 16; round++) {
  for (const k of round % 2 ? [1, 0] : [0, 1]) {
    const t0 = performance.now();
    runBackend(chips[k]!, net, ctx, { steps: chunk, record: [] });
    rates[k]!.push(chunk / ((performance.now() - t0) / 1000));
  }
}
const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
const ratio = median(rates[1]!.map((r, i) => r / rates[0]![i]!));
process.stdout.write(
  `${example} on ${preset}, ${chunk} ticks a round, 16 rounds: A ${median(rates[0]!).toFixed(0)} ticks/s, B ${median(rates[1]!).toFixed(0)} ticks/s (medians); ` +
    `B / A ${ratio.toFixed(3)} (median of the rounds' ratios)\n`,
);

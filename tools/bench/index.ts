// `npm run bench`: prints figures (never pass/fail). Sections: kernels, ideal model, chain, compile,
// xbar (int16 crossbar kernels against C), chip (the Wasm chip core against the reference), sweep
// (nla sweep with 1 and 2 worker threads), train (samples/s of the `nla train` experiments).
// Pass section names to run only some: `npm run bench -- ideal chain`.
import { cpus } from 'node:os';
import { benchKernels } from './kernels.js';
import { benchChain, benchIdealMnist } from './ideal.js';
import { benchCompile } from './compile.js';
import { benchXbar } from './xbar.js';
import { benchChip } from './chip.js';
import { benchTrain } from './train.js';
import { benchSweep } from './sweep.js';

const sections: Record<string, () => Promise<string[]>> = {
  kernels: benchKernels,
  ideal: async () => [await benchIdealMnist('wasm'), await benchIdealMnist('js')],
  chain: benchChain,
  compile: benchCompile,
  xbar: benchXbar,
  chip: benchChip,
  train: benchTrain,
  sweep: benchSweep,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in sections));
if (unknown.length) {
  process.stderr.write(`bench: unknown section(s) ${unknown.join(', ')}; sections: ${Object.keys(sections).join(', ')}\n`);
  process.exit(2);
}
const cpu = cpus()[0]?.model ?? 'unknown cpu';
process.stdout.write(`machine: ${cpus().length} x ${cpu}, Node ${process.version}, one thread\n`);
for (const name of wanted.length ? wanted : Object.keys(sections)) {
  process.stdout.write(`\n## ${name}\n`);
  for (const line of await sections[name]()) process.stdout.write(line + '\n');
}

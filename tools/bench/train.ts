// `npm run bench -- train`: training speed of the `nla train` experiments on the paper's
// 784-500-10 MNIST net: samples per second for NLA on the ideal model (100 ms per digit, dt 1 ms:
// 100 explicit steps with plasticity, plus the Newton re-settling at each switch) and for the
// plain-SGD backprop baseline, plus test samples per second (beta = 0, no plasticity); and the
// microcircuit experiment (784-300-10 + 40 interneurons, 400 steps of 0.25 ms per digit).
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { findExperiment } from '../train/experiments.js';
import { resolveSettings } from '../train/driver.js';
import { BackpropTrainer, NlaTrainer, type Trainer } from '../train/trainers.js';

function time(trainer: Trainer, n: number, offset: number, what: 'train' | 'test'): number {
  const t0 = performance.now();
  if (what === 'train') for (let i = 0; i < n; i++) trainer.trainOne(offset + i);
  else {
    trainer.evalBegin();
    for (let i = 0; i < n; i++) trainer.evalOne(offset + i);
    trainer.evalEnd();
  }
  return n / ((performance.now() - t0) / 1000);
}

export async function benchTrain(): Promise<string[]> {
  const data = { train: mnistSplit('train'), test: mnistSplit('test') };
  const lines: string[] = [];
  for (const [name, n, presentation] of [['mnist', 60, 0.1], ['mnist-no-lookahead', 60, 0.1], ['mnist', 60, 0.005], ['mnist-backprop', 3000, 0.1], ['mnist-microcircuit', 20, 0.1]] as const) {
    const exp = findExperiment(name)!;
    const s = resolveSettings(exp, { presentation });
    const trainer: Trainer = exp.kind === 'backprop' ? new BackpropTrainer(exp.network(s), s, data) : await NlaTrainer.create(exp, s, data);
    time(trainer, Math.ceil(n / 10), 0, 'train'); // warm-up (V8 tiers up Wasm and JS later)
    const train = time(trainer, n, 100, 'train');
    const test = time(trainer, Math.min(n, 2000), 0, 'test');
    const steps = Math.round(s.presentation / s.dt);
    const per = exp.kind === 'backprop' ? 'one SGD step each' : `${steps} steps of ${s.dt * 1e3} ms each, ${(train * steps).toFixed(0)} steps/s`;
    lines.push(
      `${name.padEnd(18)} ${String(s.presentation * 1e3).padStart(3)} ms/digit, 784-${s.hidden}-10${s.interneurons ? ` + ${s.interneurons} interneurons` : ''}: ${train.toFixed(1)} training samples/s (${per}), ${test.toFixed(1)} test samples/s; ` +
        `an 8000-digit epoch + 2000 tests ~ ${((8000 / train + 2000 / test) / 60).toFixed(1)} min`,
    );
  }
  return lines;
}

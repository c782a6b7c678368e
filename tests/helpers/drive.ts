// Feeds the same stimulus and protocol (inputs, targets, nudge masks, plasticity per phase) to
// several host-interface objects in lock step, so tests can compare levels of the data path.
import type { NetworkIR } from '../../compiler/network/index.js';
import { createSignal } from '../../emulator/stimulus/signals.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';

export interface Driven {
  setInput(population: string, values: Float64Array): void;
  setTarget(population: string, values: Float64Array, nudge: Float64Array): void;
  setPlastic(on: boolean): void;
}

/** returns place(k): set step k's inputs, targets and plasticity on every model */
export function stimulusDriver(net: NetworkIR, models: Driven[]): (k: number) => void {
  const ctx = { presentation: net.stimulus.presentation, dataset: mnistSplit, where: net.file };
  const size = (name: string) => net.populations.find((p) => p.name === name)!.size;
  const ins = Object.entries(net.stimulus.inputs).map(([name, spec]) => ({ name, src: createSignal(spec, size(name), 'input', ctx), v: new Float64Array(size(name)) }));
  const outs = net.populations
    .filter((p) => p.kind === 'output')
    .map((p) => {
      const spec = net.stimulus.targets[p.name];
      return { name: p.name, src: spec ? createSignal(spec, p.size, 'target', ctx) : null, v: new Float64Array(p.size) };
    });
  let phaseEnd = 0;
  let phase = -1;
  return (k: number) => {
    while (k * net.dynamics.dt >= phaseEnd - 1e-12 && phase + 1 < net.phases.length) phaseEnd += net.phases[++phase]!.duration;
    for (const x of ins) {
      x.src.fill(k * net.dynamics.dt, x.v);
      for (const m of models) m.setInput(x.name, x.v);
    }
    for (const y of outs) {
      if (y.src) y.src.fill(k * net.dynamics.dt, y.v);
      const mask = new Float64Array(y.v.length);
      for (const sel of net.phases[phase]!.nudge) if (sel.population === y.name) mask.fill(1, sel.start, sel.end);
      for (const m of models) m.setTarget(y.name, y.v, mask);
    }
    for (const m of models) m.setPlastic(net.phases[phase]!.plastic);
  };
}

// Runs a compiled example on the reference chip and on the f64 Machine interpreter with the same
// stimulus, and measures how far the chip's signals are from the machine's.
import { loadNetwork, type NetworkIR } from '../../compiler/network/index.js';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { MachineInterpreter } from '../../compiler/ir/interpret-machine.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { examplePath } from '../../tools/bench/paths.js';
import { createChip, type Chip } from '../../emulator/chip/index.js';
import { stimulusDriver } from '../helpers/drive.js';


export interface Tracking {
  population: string;
  /** root mean square of chip - machine over neurons and ticks */
  rms: number;
  /** max - min of the machine's signal over the run */
  range: number;
  maxAbs: number;
}

export function track(example: string, preset: string, ticks: number, options: { signal?: string; seed?: number; calibrationTicks?: number } = {}): { tracking: Tracking[]; chip: Chip; net: NetworkIR } {
  const net = loadNetwork(examplePath(example));
  const { image, machine } = compileNetwork(net, loadHwSpec(preset), { calibrationTicks: options.calibrationTicks });
  const signal = options.signal ?? 'u';
  const mach = new MachineInterpreter(machine);
  const chip = createChip(image, { seed: options.seed });
  const place = stimulusDriver(net, [mach, chip]);
  const pops = net.populations.filter((p) => p.kind !== 'input');
  const acc = pops.map((p) => ({ population: p.name, sq: 0, n: 0, min: Infinity, max: -Infinity, maxAbs: 0, a: new Float64Array(p.size), b: new Float64Array(p.size) }));
  for (let k = 0; k < ticks; k++) {
    place(k);
    if (k === 0) {
      mach.start();
      chip.start();
    }
    mach.step();
    chip.step();
    for (const t of acc) {
      mach.probe(t.population, signal as never, t.a);
      chip.probe(t.population, signal as never, t.b);
      for (let i = 0; i < t.a.length; i++) {
        const d = t.b[i]! - t.a[i]!;
        t.sq += d * d;
        t.n++;
        t.maxAbs = Math.max(t.maxAbs, Math.abs(d));
        t.min = Math.min(t.min, t.a[i]!);
        t.max = Math.max(t.max, t.a[i]!);
      }
    }
  }
  return { tracking: acc.map((t) => ({ population: t.population, rms: Math.sqrt(t.sq / t.n), range: t.max - t.min, maxAbs: t.maxAbs })), chip, net };
}

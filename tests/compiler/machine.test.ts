// map, place_route and schedule keep the arithmetic: the Machine IR run in f64 (per core, level by
// level, through routes) equals the Program IR run in f64, on the presets and on a small chip
// that forces tiling, partial sums across cores and many routes.
import { describe, expect, it } from 'vitest';
import { loadNetwork, type NetworkIR } from '../../compiler/network/index.js';
import { loadHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import { ProgramInterpreter } from '../../compiler/ir/interpret.js';
import { MachineInterpreter } from '../../compiler/ir/interpret-machine.js';
import { compileMachine } from '../../compiler/passes/pipeline.js';
import { examplePath } from '../../tools/bench/paths.js';
import { stimulusDriver } from '../helpers/drive.js';
import { smallMicrocircuit, smallMicrocircuitStd } from '../helpers/nets.js';


/** a default-like chip with small cores (n neurons, n x n crossbars), mesh x mesh of them */
function tinyChip(n = 16, mesh = 8): HwSpec {
  const s = structuredClone(loadHwSpec('default'));
  s.core = { ...s.core, neurons: n, crossbar: { rows: n, cols: n } };
  s.mesh = { ...s.mesh, cols: mesh, rows: mesh };
  s.timing = { ...s.timing, acceleration: 1 };
  return s;
}

function maxDeviation(net: NetworkIR, spec: HwSpec, steps: number): number {
  const machine = compileMachine(net, spec);
  const prog = new ProgramInterpreter(machine.program);
  const mach = new MachineInterpreter(machine);
  const place = stimulusDriver(net, [prog, mach]);
  let worst = 0;
  const pops = net.populations.filter((p) => p.kind !== 'input');
  const a = new Float64Array(1024);
  const b = new Float64Array(1024);
  for (let k = 0; k < steps; k++) {
    place(k);
    prog.step();
    mach.step();
    for (const p of pops) {
      prog.probe(p.name, 'u', a.subarray(0, p.size));
      mach.probe(p.name, 'u', b.subarray(0, p.size));
      for (let i = 0; i < p.size; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    }
  }
  return worst;
}

describe('map, place_route, schedule: the machine program in f64 equals the lowered program', () => {
  it('chain on the default preset (one core)', () => {
    const net = loadNetwork(examplePath('chain.yaml'));
    const m = compileMachine(net, loadHwSpec('default'));
    expect(m.cores).toBe(1);
    expect(maxDeviation(net, loadHwSpec('default'), 300)).toBeLessThan(1e-12);
  });
  it('recurrent net on a chip of 16 x 16 crossbars (tiles, partial sums, routes)', () => {
    const net = loadNetwork(examplePath('recurrent.yaml'));
    const spec = tinyChip();
    const m = compileMachine(net, spec);
    expect(m.cores).toBeGreaterThan(10);
    expect(m.routes.length).toBeGreaterThan(20);
    expect(maxDeviation(net, spec, 300)).toBeLessThan(1e-11);
  });
  it('MNIST net with Latent Equilibrium on 256 cores of 64 x 64 crossbars', () => {
    const base = loadNetwork(examplePath('mnist.yaml'));
    const net = { ...base, dynamics: { ...base.dynamics, scheme: 'le' as const } };
    const m = compileMachine(net, tinyChip(64, 16));
    expect(m.program.scheme).toBe('le');
    expect(m.blocks.length).toBe(13 * 8 + 8);
    expect(maxDeviation(net, tinyChip(64, 16), 20)).toBeLessThan(1e-11);
  }, 60000);
  it('small microcircuit on a chip of 4 x 4 crossbars (interneurons, apical products, three plasticity rules)', () => {
    const net = smallMicrocircuit();
    const m = compileMachine(net, tinyChip(4, 8));
    expect(m.cores).toBeGreaterThan(20);
    expect(maxDeviation(net, tinyChip(4, 8), 300)).toBeLessThan(1e-11);
  });
  it('STD rows: a microcircuit with STD-matched outputs gets vesicle pools on its top-down rows, mapped exactly', () => {
    const net = smallMicrocircuitStd();
    const m = compileMachine(net, tinyChip(4, 8));
    expect(m.program.ops.some((o) => o.op === 'std')).toBe(true);
    expect(maxDeviation(net, tinyChip(4, 8), 300)).toBeLessThan(1e-11);
    const off = structuredClone(tinyChip(4, 8));
    off.std.enabled = false;
    expect(compileMachine(net, off).program.ops.some((o) => o.op === 'std')).toBe(false);
    const narrow = structuredClone(tinyChip(4, 8));
    narrow.std.d = { min: 0.1, max: 1 };
    expect(() => compileMachine(net, narrow)).toThrow(/population 'out': STD parameters a = 1, d = 2 are outside/);
  });
  it('MNIST net on the default preset', () => {
    const net = loadNetwork(examplePath('mnist.yaml'));
    expect(maxDeviation(net, loadHwSpec('default'), 30)).toBeLessThan(1e-11);
  }, 60000);
});

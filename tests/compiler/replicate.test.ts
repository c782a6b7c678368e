// Pass `replicate`: small-fan-in blocks are written k times into idle crossbar lines and read with
// k copies of their input, so that their line sums use the ADC's range. What it writes, what it
// reads, what it leaves alone (plastic blocks, --no-replicate), that the arithmetic is unchanged
// (f64) and that the chip's ADC never clips for it.
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../compiler/common/errors.js';
import { loadHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import type { Image } from '../../compiler/image/types.js';
import { MachineInterpreter } from '../../compiler/ir/interpret-machine.js';
import { ProgramInterpreter } from '../../compiler/ir/interpret.js';
import { decodeProgram, type Instr } from '../../compiler/isa/index.js';
import { loadNetwork, type NetworkIR } from '../../compiler/network/index.js';
import type { ReplicationMetadata } from '../../compiler/passes/encode.js';
import { compileMachine } from '../../compiler/passes/pipeline.js';
import { quantize } from '../../compiler/passes/quantize.js';
import { checkMaxReplicas, DEFAULT_MAX_REPLICAS } from '../../compiler/passes/replicate.js';
import { calibrate } from '../../emulator/calibrate.js';
import { createChip } from '../../emulator/chip/index.js';
import { examplePath } from '../../tools/bench/paths.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { stimulusDriver } from '../helpers/drive.js';
import { useCli } from '../helpers/cli.js';

const chain = () => loadNetwork(examplePath('chain.yaml'));
const replication = (image: Image) => image.metadata.replication as ReplicationMetadata;
type Xbar = Extract<Instr, { op: 'mvm' | 'mvm.acc' | 'mvmt' | 'mvmt.acc' }>;
const reads = (image: Image): Xbar[] => image.cores.flatMap((c) => decodeProgram(c.program)).filter((i): i is Xbar => i.op.startsWith('mvm'));

function withSpec(base: string, edit: (s: HwSpec) => void): HwSpec {
  const s = structuredClone(loadHwSpec(base));
  edit(s);
  return s;
}

describe('replicate on the chain (3 x 3 blocks)', () => {
  const spec = loadHwSpec('bss2-like');
  const on = compileNetwork(chain(), spec, { calibrationTicks: 400 });
  const off = compileNetwork(chain(), spec, { calibrationTicks: 400, maxReplicas: 1 });

  it('bss2-like: every block gets 32 copies down the rows; those with transposed reads 32 across', () => {
    const r = replication(on.image);
    expect(r.maxReplicas).toBe(DEFAULT_MAX_REPLICAS);
    expect(r.blocks.map((b) => [b.projection, b.replicas, b.colReplicas])).toEqual([
      ['in->h1', 32, 1], // the input layer has no error to send back
      ['h1->h2', 32, 32],
      ['h2->h3', 32, 32],
      ['h3->h4', 32, 32],
      ['h4->h5', 32, 32],
      ['h5->out', 32, 32],
    ]);
    expect(r.blocks[0]!.colLimit).toBe('none');
  });

  it('the crossbar holds the same codes in every copy, and nothing else changes in the weights', () => {
    const cols = spec.core.crossbar.cols;
    const X = on.image.cores[0]!.crossbar;
    const Y = off.image.cores[0]!.crossbar;
    let written = 0;
    for (const b of replication(on.image).blocks) {
      const plain = off.image.matrices.find((M) => M.name === b.projection)!.blocks[0]!;
      for (let qr = 0; qr < b.replicas; qr++)
        for (let qc = 0; qc < b.colReplicas; qc++)
          for (let r = 0; r < b.m; r++)
            for (let c = 0; c < b.n; c++) {
              expect(X[(b.xrow + qr * b.m + r) * cols + b.xcol + qc * b.n + c]).toBe(Y[(plain.xrow + r) * cols + plain.xcol + c]);
              written++;
            }
    }
    expect(X.reduce((n, x) => n + Number(x !== 0), 0)).toBeLessThanOrEqual(written);
    expect(written).toBe(3 * 3 * 32 + 4 * 3 * 3 * 32 * 32 + 2 * 3 * 32 * 32);
  });

  it('each read drives 32 copies of its input and takes log2(32) = 5 off its output shift', () => {
    const a = reads(on.image);
    const b = reads(off.image);
    expect(a.length).toBe(b.length);
    a.forEach((x, k) => {
      const y = b[k]!;
      expect([x.op, x.shi, x.sho + 5]).toEqual([y.op, y.shi, y.sho]);
      // forward reads sum over rows, transposed ones over columns
      expect([x.rows, x.cols]).toEqual(x.op.startsWith('mvmt') ? [y.rows, 32 * y.cols] : [32 * y.rows, y.cols]);
    });
  });

  it('the copies of an input are made by vcopy: one copy, then doublings (6 per tiled input)', () => {
    const prog = decodeProgram(on.image.cores[0]!.program);
    const copies = prog.filter((i) => i.op === 'vcopy').length - decodeProgram(off.image.cores[0]!.program).filter((i) => i.op === 'vcopy').length;
    const tiles = on.machine.tasks.filter((t) => t.t === 'vec' && t.op === 'tile').length;
    expect(tiles).toBeGreaterThan(10);
    expect(copies).toBe(6 * tiles);
  });

  it('--no-replicate (maxReplicas 1) leaves the machine as place_route made it', () => {
    expect(replication(off.image)).toEqual({ maxReplicas: 1, blocks: [] });
    expect(off.machine.blocks.every((b) => b.replicas === undefined && b.colReplicas === undefined)).toBe(true);
    expect(off.machine.tasks.some((t) => t.t === 'vec' && t.op === 'tile')).toBe(false);
    expect(reads(off.image).every((x) => x.rows <= 3 && x.cols <= 3)).toBe(true);
  });

  it('default: fewer copies where the ADC range is the limit, and every limit is recorded', () => {
    const r = replication(compileNetwork(chain(), loadHwSpec('default'), { calibrationTicks: 400 }).image);
    expect(r.blocks.length).toBe(6);
    for (const b of r.blocks) {
      expect(b.replicas).toBeGreaterThan(1);
      expect(b.replicas).toBeLessThan(32);
      expect(b.limit).toBe('adc');
    }
  });
});

describe('replicate: what it leaves alone and what it keeps', () => {
  it('a plastic block is never copied (stochastic updates would make copies drift apart)', () => {
    const net: NetworkIR = structuredClone(chain());
    net.projections[1] = { ...net.projections[1]!, plastic: true, eta: 0.01 };
    const { image, machine } = compileNetwork(net, loadHwSpec('bss2-like'), { calibrationTicks: 200 });
    const names = replication(image).blocks.map((b) => b.projection);
    expect(names).not.toContain(net.projections[1]!.name);
    expect(names.length).toBe(5);
    const plastic = machine.blocks.find((b) => machine.program.matrices[b.matrix]!.rate !== 0)!;
    expect([plastic.replicas, plastic.colReplicas]).toEqual([undefined, undefined]);
  });

  it('copies shrink until the blocks fit a small crossbar, and no two blocks share a cell', () => {
    const spec = withSpec('bss2-like', (s) => {
      s.core = { ...s.core, crossbar: { rows: 24, cols: 40 } };
    });
    const { image, machine } = compileNetwork(chain(), spec, { calibrationTicks: 200 });
    const r = replication(image);
    expect(r.blocks.some((b) => b.limit === 'space' || b.colLimit === 'space')).toBe(true);
    for (const b of r.blocks) {
      expect(b.xrow + b.replicas * b.m).toBeLessThanOrEqual(24);
      expect(b.xcol + b.colReplicas * b.n).toBeLessThanOrEqual(40);
    }
    // validateMachine checked the overlaps after the pass; the image holds every block
    expect(machine.blocks.length).toBe(6);
  });

  it('the machine program in f64 equals the lowered program: k copies summed, divided by k', () => {
    const net = chain();
    const spec = loadHwSpec('bss2-like');
    const machine = compileMachine(net, spec, { annotate: (p) => quantize(p, spec, calibrate(net, p, 200)) });
    expect(machine.replication!.blocks.length).toBe(6);
    const prog = new ProgramInterpreter(machine.program);
    const mach = new MachineInterpreter(machine);
    const place = stimulusDriver(net, [prog, mach]);
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      place(k);
      prog.step();
      mach.step();
      for (const p of ['h1', 'h5', 'out']) {
        prog.probe(p, 'u', a);
        mach.probe(p, 'u', b);
        for (let i = 0; i < 3; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  for (const preset of ['default', 'bss2-like', 'high-precision'])
    it(`${preset}: the chip's ADCs never clip for the copies over the calibrated run`, () => {
      const net = chain();
      const { image } = compileNetwork(net, loadHwSpec(preset), { calibrationTicks: 800 });
      expect(replication(image).blocks.length).toBe(6);
      const chip = createChip(image, { seed: 3 });
      const place = stimulusDriver(net, [chip]);
      for (let k = 0; k < 800; k++) {
        place(k);
        chip.step();
      }
      expect(chip.counters().clip_adc).toBe(0);
    }, 30000);
});

describe('replicate: bad input', () => {
  it('maxReplicas must be a power of two from 1 to 4096', () => {
    for (const bad of [0, 3, 6, 1.5, 8192, -2]) {
      let error: unknown;
      try {
        checkMaxReplicas(bad);
      } catch (e) {
        error = e;
      }
      expect(isUserError(error), String(bad)).toBe(true);
      expect((error as Error).message).toMatch(/not a power of two from 1 to 4096/);
    }
    expect(checkMaxReplicas(16)).toBe(16);
    expect(() => compileNetwork(chain(), loadHwSpec('default'), { calibrationTicks: 50, maxReplicas: 12 })).toThrow(/maxReplicas: 12 is not a power of two/);
  });
});

describe('nla compile: replication on the command line', () => {
  const { nla } = useCli('replicate');
  it('prints the copied blocks; --no-replicate and --max-replicas set the cap; contradictions are errors', async () => {
    const r = await nla('compile', 'examples/chain.yaml', '--hw', 'bss2-like', '--calibrate', '200', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/replication: 6 block\(s\) copied into idle crossbar lines \(up to 32 copies\)/);
    expect(r.out).toMatch(/h1->h2\[0\+3\]\[0\+3\] on core 0: rows 0\.\.95 x cols \d+\.\.\d+; forward reads x32 .*transposed reads x32/);
    const off = await nla('compile', 'examples/chain.yaml', '--hw', 'bss2-like', '--calibrate', '200', '--no-replicate', '--json');
    expect(JSON.parse(off.out).replication).toEqual({ maxReplicas: 1, blocks: [] });
    const eight = await nla('compile', 'examples/chain.yaml', '--hw', 'bss2-like', '--calibrate', '200', '--max-replicas', '8', '--json');
    expect(JSON.parse(eight.out).replication.blocks.every((b: { replicas: number }) => b.replicas === 8)).toBe(true);
    const both = await nla('compile', 'examples/chain.yaml', '--hw', 'bss2-like', '--no-replicate', '--max-replicas', '8');
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/--no-replicate and --max-replicas 8 contradict each other/);
    const three = await nla('compile', 'examples/chain.yaml', '--hw', 'bss2-like', '--max-replicas', '3');
    expect(three.code).toBe(1);
    expect(three.err).toMatch(/--max-replicas: 3 is not a power of two/);
  }, 60000);
});

// The chip level: control flow, barriers between cores, routes with and without delay, ports and
// probes, operands rejected at load, runtime errors, the cost counters, and that every opcode of
// the ISA table has a handler.
import { describe, expect, it } from 'vitest';
import { costOf, decodeProgram, MNEMONICS, type Instr } from '../../compiler/isa/index.js';
import type { PortMap, ProbeMap, Route } from '../../compiler/image/index.js';
import { DATAPATH, SEQUENCER_MNEMONICS, createChip } from '../../emulator/chip/index.js';
import { asmChip, asmImage, runOnce, words, type TestImage } from './helpers.js';

const route = (id: number, delay: number, srcCore = 0, dstCore = 1, length = 1): Route => ({ id, srcCore, dstCore, length, hops: Math.abs(dstCore - srcCore), delay });

describe('control flow', () => {
  it('jz jumps when the flag word is zero', () => {
    const text = 'jz @0, skip\nvset @5, 1, #7\nskip: halt';
    expect(runOnce(text, 5, 1, { memory: { 0: { 0: [0] } } })).toEqual([0]);
    expect(runOnce(text, 5, 1, { memory: { 0: { 0: [1] } } })).toEqual([7]);
  });

  it('loop repeats its body count times; x0 skips it; loops nest, also with a shared end', () => {
    const memory = { 0: { 1: [1] } };
    expect(runOnce('loop x3, end\nvadd @0, @0, @1, 1\nend: halt', 0, 1, { memory })).toEqual([3]);
    expect(runOnce('loop x0, end\nvadd @0, @0, @1, 1\nend: halt', 0, 1, { memory })).toEqual([0]);
    expect(runOnce('loop x2, outer\nvadd @0, @0, @1, 1\nloop x3, inner\nvadd @0, @0, @1, 1\ninner: nop\nouter: halt', 0, 1, { memory })).toEqual([8]);
    expect(runOnce('loop x2, end\nloop x3, end\nvadd @0, @0, @1, 1\nend: halt', 0, 1, { memory })).toEqual([6]);
  });

  it('a jump to the end of a loop body starts the next iteration', () => {
    // the jz skips the second add in every iteration: 4 x 1
    expect(runOnce('loop x4, end\nvadd @0, @0, @1, 1\njz @2, end\nvadd @0, @0, @1, 1\nend: halt', 0, 1, { memory: { 0: { 1: [1] } } })).toEqual([4]);
  });

  it('every tick starts again at word 0 with the memory of the last one', () => {
    const chip = asmChip('vadd @0, @0, @1, 1\nhalt', { memory: { 0: { 1: [5] } } });
    for (let t = 0; t < 3; t++) chip.step();
    expect(words(chip, 0, 1)).toEqual([15]);
    expect(chip.tick).toBe(3);
  });
});

describe('barriers and routes', () => {
  // core 0 counts ticks (1, 2, 3, ...) and sends the count; core 1 receives it after a barrier
  const text = '.core 0\nvadd @0, @0, @1, 1\nsend route0, @0, 1\nbarrier\nhalt\n.core 1\nbarrier\nrecv route0, @0, 1\nhalt';
  const received = (delay: number, ticks: number) => {
    const chip = asmChip(text, { routes: [route(0, delay)], memory: { 0: { 1: [1] } } });
    return Array.from({ length: ticks }, () => (chip.step(), words(chip, 0, 1, 1)[0]));
  };

  it('delay 0: the receiver sees this tick\'s send after the barrier', () => {
    expect(received(0, 4)).toEqual([1, 2, 3, 4]);
  });

  it('delay 2: the receiver sees the send of two ticks ago (zeros before)', () => {
    expect(received(2, 5)).toEqual([0, 0, 1, 2, 3]);
  });

  it('a send and a recv on a delay-0 route in one barrier phase is an error (it would depend on core order)', () => {
    const racy = '.core 0\nsend route0, @0, 1\nhalt\n.core 1\nrecv route0, @0, 1\nhalt';
    expect(() => asmChip(racy, { routes: [route(0, 0)] }).step()).toThrow(/core 1, word 0 .*route 0 \(core 0 -> core 1\) has no delay.*same barrier phase/);
    // the receiver running first is caught at the send
    expect(() => asmChip(racy.replace('.core 0', '.core 9').replace('.core 1', '.core 0').replace('.core 9', '.core 1'), { routes: [route(0, 0, 1, 0)] }).step()).toThrow(/core 1, word 0 .*same barrier phase/);
    // with a delay there is no race
    expect(() => asmChip(racy, { routes: [route(0, 1)] }).step()).not.toThrow();
  });

  it('a core that halts while another waits at a barrier is an error naming both', () => {
    const chip = asmChip('.core 0\nbarrier\nhalt\n.core 1\nnop\nhalt');
    expect(() => chip.step()).toThrow(/chip tick 0: core 1, word 1 \(halt\): halted while core 0 waits at its barrier \(word 0\)/);
  });

  it('a program that runs off its end is an error', () => {
    expect(() => asmChip('nop').step()).toThrow(/core 0, word 1: ran past the end of its 1-word program without halt/);
  });

  it('ports feed in/tgt from the segment on the core; probes collect segments into population vectors', () => {
    const seg = (core: number, offset: number) => ({ core, offset, length: 2, fracBits: 4 });
    const ports: PortMap[] = [{ id: 0, kind: 'input', population: 'x', size: 4, segments: [seg(0, 0), seg(1, 2)] }];
    const probes: ProbeMap[] = [{ id: 3, population: 'x', signal: 'u', size: 4, segments: [seg(0, 0), seg(1, 2)] }];
    const code = 'in port0, @0, 2\nvadd @0, @0, @0, 2\nprobe probe3, @0, 2\nhalt';
    const chip = createChip(asmImage(`.core 0\n${code}\n.core 1\n${code}`, { ports, probes }));
    chip.setInput('x', Float64Array.from([1, -0.5, 0.25, 3000]));
    chip.step();
    const out = new Float64Array(4);
    chip.probe('x', 'u', out);
    // codes = round(x * 16), saturated to 16 bits (3000 * 16 -> 32767), doubled and saturated again
    expect(Array.from(out)).toEqual([2, -1, 0.5, 32767 / 16]);
    expect(chip.counters()).toMatchObject({ saturation_input: 1, saturation_state: 1 });
  });
});

describe('operands are checked at load', () => {
  const rejects = (text: string, pattern: RegExp, t: TestImage = {}) => expect(() => asmChip(text, t)).toThrow(pattern);

  it('vectors beyond memoryWords and blocks outside the crossbar', () => {
    rejects('vadd @250, @0, @0, 10\nhalt', /core 0, word 0 \(vadd @250, @0, @0, 10\): operand dst covers words 250 \.\. 259, but the core has 256 words/);
    rejects('mvm @0, @10, r250, c0, 10, 1, sh+0, sh+0\nhalt', /word 0 .*operands row, rows: crossbar rows 250 \.\. 259 lie outside the 256 rows/);
    rejects('mvmt @0, @100, r0, c0, 1, 200, sh+0, sh+0\nhalt', /operand src covers words 100 \.\. 299/); // transposed input is cols long
  });

  it('unknown routes, ports, probes and tables; routes used from the wrong core; ports of the wrong kind', () => {
    rejects('send route4, @0, 1\nhalt', /word 0 .*the image has no route 4/);
    rejects('recv route0, @0, 1\nhalt', /route 0 ends on core 1, not on this core/, { routes: [route(0, 0)] });
    rejects('.core 0\nhalt\n.core 1\nsend route0, @0, 1\nhalt', /core 1, word 0 .*route 0 starts on core 0/, { routes: [route(0, 0)] });
    rejects('send route0, @0, 2\nhalt', /2 words do not fit route 0, which carries 1/, { routes: [route(0, 0)] });
    rejects('in port1, @0, 1\nhalt', /the image has no port 1/);
    rejects('tgt port0, @0, 1\nhalt', /port 0 is a 'input' port/, { ports: [{ id: 0, kind: 'input', population: 'x', size: 1, segments: [{ core: 0, offset: 0, length: 1, fracBits: 0 }] }] });
    rejects('in port0, @0, 1\nhalt', /port 0 has 0 segments on this core/, { ports: [{ id: 0, kind: 'input', population: 'x', size: 1, segments: [{ core: 1, offset: 0, length: 1, fracBits: 0 }] }] });
    rejects('probe probe0, @0, 1\nhalt', /no probe 0/);
    rejects('vlut @0, @1, 1, lut2\nhalt', /lookup-table slot 2 is not loaded on this core/);
  });

  it('jump targets: forward, inside the program, on an instruction boundary, not into or out of a loop', () => {
    rejects('jmp $2\nvadd @0, @0, @0, 1\nhalt', /word 0 \(jmp \$2\): operand target: target 2 is not the first word of an instruction/);
    rejects('jmp $9\nhalt', /target 9 is not the first word of an instruction of this 2-word program/);
    rejects('nop\njmp $0\nhalt', /word 1 .*target 0 is not after the instruction \(jumps go forward\)/);
    rejects('jmp $2\nloop x2, $4\nnop\nnop\nhalt', /target 2 lies inside the body of the loop at word 1/);
    rejects('loop x2, $3\njmp $4\nnop\nnop\nhalt', /target 4 lies beyond the end \(3\) of the loop at word 0/);
    rejects('loop x2, $3\nloop x2, $4\nnop\nnop\nhalt', /word 0 \(loop x2, \$3\): the end 3 of this loop lies inside the body of the loop at word 1 .*loops must nest/);
  });

  it('undecodable programs name the core', () => {
    const image = asmImage('halt');
    image.cores[0]!.program = [0n];
    expect(() => createChip(image)).toThrow(/image core 0: word 0: unknown opcode 0x00/);
  });
});

describe('counters', () => {
  it('cycles and energy per class are the ISA cost model; sends pay per hop', () => {
    const idle = '.core 1\nbarrier\nhalt\n.core 2\nbarrier\nhalt';
    const text = `.core 0\nvadd @0, @0, @1, 16\nmvm @0, @16, r0, c0, 8, 4, sh+0, sh+0\nsend route0, @0, 4\nbarrier\nhalt\n${idle}\n.core 3\nbarrier\nrecv route0, @0, 4\nhalt`;
    const image = asmImage(text, { routes: [{ id: 0, srcCore: 0, dstCore: 3, length: 4, hops: 3, delay: 0 }] });
    const chip = createChip(image);
    chip.step();
    chip.step();
    const spec = chip.reference.spec;
    const prog = (core: number) => decodeProgram(image.cores.find((c) => c.index === core)!.program);
    const hops = (i: Instr) => (i.op === 'send' ? 3 : 1);
    const perTick = (core: number) => prog(core).reduce((s, i) => s + costOf(i, spec, hops(i)).cycles, 0);
    const energy = [0, 1, 2, 3].reduce((s, c) => s + prog(c).reduce((e, i) => e + costOf(i, spec, hops(i)).energyPj, 0), 0);
    expect(chip.cycles().perCore).toEqual([0, 1, 2, 3].map((core) => ({ core, cycles: 2 * perTick(core) })));
    expect(chip.energy().dynamicPj).toBeCloseTo(2 * energy, 6);
    const c = chip.counters();
    expect(c.send_events).toBe(2 * 4 * 3);
    expect(c.send_energy_pj).toBeCloseTo(2 * 4 * 3 * spec.costs.send.energy_pj_per_event, 9);
    expect(c.mvm_events).toBe(2 * 32);
  });

  it('the critical path adds the slowest core of each barrier phase; static energy follows the wall time', () => {
    // core 0 is slow before the barrier, core 1 after it
    const text = '.core 0\nvadd @0, @0, @0, 400\nbarrier\nhalt\n.core 1\nbarrier\nvadd @0, @0, @0, 400\nhalt';
    const chip = createChip(asmImage(text, { memoryWords: 512 }));
    chip.step();
    const cy = chip.cycles();
    const spec = chip.reference.spec;
    const add = costOf({ op: 'vadd', dst: 0, a: 0, b: 0, len: 400 }, spec).cycles;
    const barrier = costOf({ op: 'barrier' }, spec).cycles;
    const halt = costOf({ op: 'halt' }, spec).cycles;
    expect(cy.maxCore).toBe(add + barrier + halt);
    expect(cy.critical).toBe(add + barrier + add + halt);
    const wall = Math.max(cy.critical / (spec.timing.clock_mhz * 1e6), 0.001 / spec.timing.acceleration);
    expect(cy.wallTimeS).toBeCloseTo(wall, 15);
    expect(chip.energy().staticPj).toBeCloseTo(spec.static_power.mw_per_core * 2 * wall * 1e9, 6);
  });

  it('start() zeroes the counters but keeps the state; reset() restores the image', () => {
    const chip = createChip(asmImage('vadd @0, @0, @1, 1\nhalt', { memory: { 0: { 1: [2] } } }));
    chip.step();
    chip.start();
    expect(chip.counters().ticks).toBe(0);
    chip.step();
    expect(words(chip.reference, 0, 1)).toEqual([4]);
    expect(chip.counters()).toMatchObject({ ticks: 1, instructions: 2 });
    chip.reset();
    expect(words(chip.reference, 0, 1)).toEqual([0]);
    expect(chip.tick).toBe(0);
  });
});

describe('dispatch', () => {
  it('every opcode of the ISA table has exactly one handler (sequencer or datapath)', () => {
    const datapath = Object.keys(DATAPATH);
    const sequencer: readonly string[] = SEQUENCER_MNEMONICS;
    expect([...datapath, ...sequencer].sort()).toEqual([...MNEMONICS].sort());
    expect(datapath.filter((m) => sequencer.includes(m))).toEqual([]);
  });
});

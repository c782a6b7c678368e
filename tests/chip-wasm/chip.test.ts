// The Wasm core beside the reference on hand-assembled images: the same load and runtime errors,
// word for word; the arithmetic corners random programs rarely reach; which datapath an image
// gets (i16 or i32 cells, f64 or integer line sums); start() and reset(); run seeds.
import { describe, expect, it } from 'vitest';
import type { LutSlot, PortMap, ProbeMap, Route } from '../../compiler/image/index.js';
import { createChip } from '../../emulator/chip/index.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';
import { asmImage, type TestImage } from '../chip/helpers.js';
import { expectSameError, expectSameState, pair } from './compare.js';

const route = (id: number, delay: number, srcCore = 0, dstCore = 1, length = 1): Route => ({ id, srcCore, dstCore, length, hops: Math.abs(dstCore - srcCore), delay });

/** Runs `text` for `ticks` on both and compares everything after each tick. */
function same(text: string, t: TestImage = {}, ticks = 2, seed = 0): void {
  const p = pair(asmImage(text, t), seed);
  for (let k = 0; k < ticks; k++) {
    p.ref.step();
    p.wasm.step();
    expectSameState(p, `tick ${k}`);
  }
}

describe('errors read the same', () => {
  const loadError = (text: string, t: TestImage = {}) => {
    const image = asmImage(text, t);
    return expectSameError(() => createChip(image), () => createNodeWasmChip(image));
  };
  const tickError = (text: string, t: TestImage = {}) => {
    const image = asmImage(text, t);
    const a = createChip(image);
    const b = createNodeWasmChip(image);
    return expectSameError(() => a.step(), () => b.step());
  };

  it('at load: operands, ids, jump targets, run seeds (the reference\'s own checks)', () => {
    expect(loadError('vadd @250, @0, @0, 10\nhalt')).toMatch(/operand dst covers words 250/);
    expect(loadError('send route0, @0, 2\nhalt', { routes: [route(0, 0)] })).toMatch(/do not fit route 0/);
    expect(loadError('loop x2, $3\njmp $4\nnop\nnop\nhalt')).toMatch(/beyond the end/);
    expect(loadError('vlut @0, @1, 1, lut2\nhalt')).toMatch(/slot 2 is not loaded/);
    const image = asmImage('halt');
    expectSameError(() => createChip(image, { seed: -1 }), () => createNodeWasmChip(image, { seed: -1 }));
  });

  it('at run time: running off the end, halting while another core waits, a delay-0 race either way round', () => {
    expect(tickError('nop')).toMatch(/core 0, word 1: ran past the end/);
    expect(tickError('.core 0\nbarrier\nhalt\n.core 1\nnop\nhalt')).toMatch(/core 1, word 1 \(halt\): halted while core 0 waits/);
    expect(tickError('.core 0\nnop\nbarrier\nbarrier\nhalt\n.core 1\nbarrier\nhalt\n.core 2\nbarrier\nbarrier\nhalt')).toMatch(/barrier 2 of this tick/);
    const racy = '.core 0\nsend route0, @0, 1\nhalt\n.core 1\nrecv route0, @0, 1\nhalt';
    expect(tickError(racy, { routes: [route(0, 0)] })).toMatch(/core 1, word 0 .*same barrier phase/);
    expect(tickError('.core 0\nrecv route0, @0, 1\nhalt\n.core 1\nsend route0, @0, 1\nhalt', { routes: [route(0, 0, 1, 0)] })).toMatch(/core 1, word 0 \(send/);
  });

  it('an error in a later tick names that tick', () => {
    // the loop runs off the end only once the flag written in the first tick is set
    const image = asmImage('jz @0, $2\nhalt\nseti @0, #0\nseti @0, #1\nnop', { memory: { 0: { 0: [0] } } });
    const a = createChip(image);
    const b = createNodeWasmChip(image);
    expect(expectSameError(() => a.step(), () => b.step())).toMatch(/chip tick 0/);
  });
});

describe('arithmetic corners', () => {
  const big = (s: TestImage['spec']): TestImage['spec'] => (x) => {
    x.formats.state = { bits: 32, frac_bits: 16, signed: true };
    s?.(x);
  };

  it('shifts of 0, 32 and 63 in every rounding mode; vshl beyond every format; raw words from seti', () => {
    for (const state of ['nearest_even', 'floor', 'stochastic'] as const) {
      const spec = big((x) => Object.assign(x, { seed: 3, rounding: { ...x.rounding, state } }));
      const memory = { 0: { 0: [2 ** 31 - 1, -(2 ** 31), 3, -3, 1, -1, 0, 12345] } };
      same(
        [
          'vmul @10, @0, @0, 8, sh63',
          'vmul @20, @0, @1, 8, sh32',
          'vmuli @30, @0, 8, #-2147483648, sh0',
          'vaxpy @40, @0, @0, 8, #2147483647, sh62',
          'vshl @50, @0, 8, sh63',
          'vshl @60, @2, 6, sh31',
          'seti @70, #-2147483648',
          'vshr @71, @70, 1, sh0',
          'vset @72, 4, #-134217728',
          'vclip @76, @0, 8, #5, #-5',
          'halt',
        ].join('\n'),
        { spec, memory },
        3,
      );
    }
  });

  it('lookup tables: both ends, spacing up to 2^31, the four-lane paths (i64 and i32 lanes); wider spacing is refused at load, also in an image built in memory', () => {
    const lut = (slot: number, xMin: number, shift: number, outShift: number): LutSlot => ({ slot, name: `t${slot}`, xMin, shift, outShift, entries: Int32Array.from([-(2 ** 31), 2 ** 31 - 1, -5, 7, 2 ** 30]) });
    for (const state of ['nearest_even', 'floor', 'stochastic'] as const) {
      const luts = { 0: [lut(0, -(2 ** 31), 31, -7), lut(1, -100, 3, 63), lut(2, 2 ** 31 - 1, 0, -63), lut(3, -(2 ** 31), 31, 2)] };
      const memory = { 0: { 0: [-(2 ** 31), -1, 0, 1, 2 ** 31 - 1, -101, -99, 1000] } };
      const text = ['vlut @10, @0, 8, lut0', 'vlut @20, @0, 8, lut1', 'vlut @30, @0, 8, lut2', 'vlut @40, @0, 8, lut3', 'std @50, @0, 8, lut3, #-7, sh5', 'halt'].join('\n');
      same(text, { luts, memory, spec: big((x) => Object.assign(x, { seed: 4, rounding: { ...x.rounding, state } })) }, 3);
    }
    // the four-lane path (1 <= shift, the table within 2^31 codes, outShift >= 0): 13 words (three
    // steps of four and one left), below, inside and above the table, interpolations that round
    // both ways and ties, results beyond the state format and beyond BEYOND >> outShift
    const x13 = [-(2 ** 31), -101, -100, -99, -97, -92, -86, -84, -77, -69, 0, 2 ** 31 - 1, -95];
    for (const state of ['nearest_even', 'floor', 'stochastic'] as const) {
      // lut4 and lut5: steps small enough for i32 lanes (step 2^shift below 2^31), results beyond 16 bits
      const small = (slot: number, shift: number): LutSlot => ({ slot, name: `s${slot}`, xMin: -100, shift, outShift: 0, entries: Int32Array.from([-40000, -3, 5, 17, 40000, 2, -7]) });
      const luts = { 0: [lut(0, -100, 3, 0), lut(1, -100, 2, 5), lut(2, -100, 4, 61), lut(3, 2 ** 31 - 1 - 4 * 16, 4, 1), small(4, 3), small(5, 1)] };
      const memory = { 0: { 0: x13 } };
      const text = ['vlut @20, @0, 13, lut0', 'vlut @40, @0, 13, lut1', 'vlut @60, @0, 13, lut2', 'vlut @80, @0, 13, lut3', 'vlut @100, @0, 13, lut4', 'vlut @120, @0, 13, lut5', 'vlut @0, @0, 13, lut0', 'halt'].join('\n');
      same(text, { luts, memory, memoryWords: 140, spec: big((x) => Object.assign(x, { seed: 4, rounding: { ...x.rounding, state } })) }, 3);
      same(text, { luts, memory, memoryWords: 140, spec: (x) => Object.assign(x, { seed: 4, rounding: { ...x.rounding, state } }) }, 3);
    }
    const wide = { 0: [lut(3, -(2 ** 31), 40, 2)] };
    expect(() => createNodeWasmChip(asmImage('vlut @40, @0, 8, lut3\nhalt', { luts: wide }))).toThrow(/entry spacing 2\^40; the shift must be 0 \.\. 31/);
  });

  it('crossbar reads: DAC and ADC clips, fractional DAC models, noise and mismatch, the .acc forms at the state limits, scaled codes beyond the state format', () => {
    const weights = { 0: Array.from({ length: 64 }, (_, k) => [k >> 3, k & 7, ((k * 37) % 255) - 127] as [number, number, number]) };
    const memory = { 0: { 0: [127, -128, 300, -300, 5, -5, 0, 64], 10: [32767, -32768, 0, 1, -1, 2, -2, 3] } };
    const text = ['mvm.acc @10, @0, r0, c0, 8, 8, sh-1, sh+3', 'mvmt.acc @10, @0, r0, c0, 8, 8, sh+2, sh-4', 'mvm @20, @0, r0, c0, 8, 8, sh-32, sh+31', 'mvm @30, @0, r0, c0, 8, 8, sh+0, sh+10', 'mvmt @40, @0, r0, c0, 8, 8, sh+0, sh+9', 'halt'].join('\n');
    for (const spec of [
      (x: Parameters<NonNullable<TestImage['spec']>>[0]) => void (x.adc.gain = 1),
      (x: Parameters<NonNullable<TestImage['spec']>>[0]) => Object.assign(x, { dac: { ...x.dac, gain: 0.75, offset: -0.5 }, noise: { enabled: true, read_std_lsb: 2 }, seed: 8 }),
      (x: Parameters<NonNullable<TestImage['spec']>>[0]) => Object.assign(x, { mismatch: { enabled: true, adc_gain_std: 0.1, adc_offset_std_lsb: 1, tau_std: 0 }, rounding: { ...x.rounding, adc: 'floor', state: 'stochastic' }, seed: 9 }),
    ]) {
      same(text, { weights, memory, spec }, 3, 5);
    }
  });

  it('high-precision forward reads in i64 lanes: 8-column steps and a tail, odd live rows, extreme cells; a drive of -32768 takes the scalar path', () => {
    // 16-bit cells and drives, i64 sums: forwardSumsPairsWide, unless a drive is -32768
    const cell = (r: number, c: number) => [32767, -32768, -32768, 32767, 1, -1, 12345, -23456, 0, 777][(r * 7 + c * 3) % 10]!;
    const weights = { 0: Array.from({ length: 13 * 19 }, (_, k) => [Math.floor(k / 19), k % 19, cell(Math.floor(k / 19), k % 19)] as [number, number, number]) };
    for (const drives of [
      [32767, 0, -32767, 5, 0, 0, 32767, -1, 3, 0, 32767, -32767, 9],
      [32767, -32768, -32767, 5, 0, 0, 32767, -1, 3, 0, 32767, -32767, 9],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7],
    ]) {
      const memory = { 0: { 0: drives } };
      same('mvm @40, @0, r0, c0, 13, 19, sh+0, sh+0\nmvm.acc @40, @0, r0, c0, 13, 19, sh+0, sh+0\nhalt', { preset: 'high-precision', weights, memory }, 2);
    }
  });

  it('rows listed by their nonzero drive or factor, four at a time: every pattern of four rows, a tail, none, all', () => {
    // 67 rows: groups of four whose nonzero entries spell every mask 0 .. 15, then a tail of three
    const pattern = Array.from({ length: 67 }, (_, r) => (r < 64 ? ((r >> 2) >> (r & 3)) & 1 : r & 1) * (r % 2 ? -(r + 1) : r + 1) * 3);
    const weights = { 0: Array.from({ length: 67 * 10 }, (_, k) => [Math.floor(k / 10), k % 10, ((k * 29) % 201) - 100] as [number, number, number]) };
    const spec = (s: Parameters<NonNullable<TestImage['spec']>>[0]) => Object.assign(s, { seed: 3, core: { ...s.core, crossbar: { rows: 68, cols: 12 } } });
    for (const drives of [pattern, pattern.map(() => 0), pattern.map((_, r) => r - 33)]) {
      const x = Array.from({ length: 10 }, (_, c) => (c - 4) * 1000);
      const memory = { 0: { 0: drives, 80: x } };
      same('mvm @100, @0, r0, c0, 67, 10, sh+0, sh+0\nouter.sr @0, @80, r0, c0, 67, 10, sh12\nmvm.acc @100, @0, r0, c0, 67, 10, sh-2, sh+1\nhalt', { weights, memory, memoryWords: 128, spec }, 3);
    }
  });

  it('vmul, vmuli, vaxpy in lanes (i32 and i64, four at a time and a tail), in place and shifted, 16- and 32-bit state, nearest and floor', () => {
    const smallA = [3, -3, 100, -100, 7, 0, 1, -1, 255, -256, 9];
    const bigA = [2 ** 31 - 1, -(2 ** 31), 3, -3, 2 ** 20, -(2 ** 20), 0, 1, 32767, -32768, 5];
    const text = (sh: number) => [
      `vmul @40, @0, @20, 11, sh${sh}`, `vmuli @60, @0, 11, #-3, sh${sh}`, `vmuli @80, @20, 11, #2147483647, sh${sh}`,
      `vaxpy @100, @0, @20, 11, #26214, sh${sh}`, `vaxpy @120, @140, @0, 11, #1000, sh${sh}`, `vaxpy @0, @0, @20, 11, #-7, sh${sh}`, `vmul @21, @20, @20, 11, sh${sh}`, 'halt',
    ].join('\n');
    for (const state of ['nearest_even', 'floor'] as const) {
      for (const sh of [0, 1, 15, 31, 32, 40]) {
        for (const a of [smallA, bigA]) {
          // raw words at the ends of i32 plus a small product: the sum leaves i32
          const memory = { 0: { 0: a, 20: [...a].reverse(), 140: Array.from({ length: 11 }, (_, i) => (i % 2 ? -(2 ** 31) : 2 ** 31 - 1)) } };
          same(text(sh), { memory, memoryWords: 160, spec: (x) => void (x.rounding = { ...x.rounding, state }) }, 2);
          same(text(sh), { memory, memoryWords: 160, spec: big((x) => void (x.rounding = { ...x.rounding, state })) }, 2);
        }
      }
    }
  });

  it('outer.sr in lanes: rows of 27 cells (8-, 4-cell steps and a tail), every shift path, products within and beyond i32, cells at the weight limits', () => {
    // 8-bit weights; cells near both limits so that updates saturate; a row with a = 0 (skipped)
    const weights = { 0: Array.from({ length: 6 * 27 }, (_, k) => [Math.floor(k / 27), k % 27, [127, -128, 126, -127, 0, 5, -5][k % 7]!] as [number, number, number]) };
    const x = Array.from({ length: 27 }, (_, c) => [1, -1, 1000, -1000, 2 ** 20, -(2 ** 20), 2 ** 31 - 1, -(2 ** 31), 0, 37][c % 10]!);
    const memory = { 0: { 0: [0, 1, -1, 3000, -(2 ** 31), 2 ** 31 - 1], 8: x } };
    for (const sh of [1, 7, 16, 31, 32, 33, 40, 62, 63]) {
      same(`outer.sr @0, @8, r0, c0, 6, 27, sh${sh}\nhalt`, { memory, weights, memoryWords: 64, spec: (s) => Object.assign(s, { seed: 5, core: { ...s.core, crossbar: { rows: 8, cols: 32 } } }) }, 4, sh);
    }
    // a small product in every cell: the i32 lanes of shifts up to 32, many ticks so that cells move
    const small = { 0: { 0: [3, -2, 1, 0, 7, -9], 8: Array.from({ length: 27 }, (_, c) => (c % 5) * 300 - 600) } };
    for (const sh of [8, 12, 32]) same(`outer.sr @0, @8, r0, c0, 6, 27, sh${sh}\nhalt`, { memory: small, weights, memoryWords: 64, spec: (s) => void (s.core.crossbar = { rows: 8, cols: 32 }) }, 30, sh);
  });

  it('outer.sr thinned rows with many candidates: i16 and i32 cells, noSelf diagonals, cells at the weight limits', () => {
    // A B <= 180 <= 2^(sh-3): every row with a != 0 is thinned, P = 2^(8 - sh): about 1 candidate in 8 or 16 cells
    const weights = { 0: Array.from({ length: 6 * 27 }, (_, k) => [Math.floor(k / 27), k % 27, [127, -128, 126, -127, 0, 5, -5][k % 7]!] as [number, number, number]) };
    const memory = { 0: { 0: [3, -2, 1, 0, 7, -9], 8: Array.from({ length: 27 }, (_, c) => (c % 5) * 10 - 20) } };
    const crossbar = (s: Parameters<NonNullable<TestImage['spec']>>[0]) => Object.assign(s, { seed: 3, core: { ...s.core, crossbar: { rows: 8, cols: 32 } } });
    for (const sh of [11, 12]) {
      same(`outer.sr @0, @8, r0, c0, 6, 27, sh${sh}\nhalt`, { memory, weights, memoryWords: 64, spec: crossbar }, 40, sh);
      same(`outer.sr @0, @8, r0, c0, 6, 27, sh${sh}\nhalt`, { memory, weights, memoryWords: 64, spec: (s) => void (crossbar(s).formats.weight = { bits: 20, frac_bits: 10, signed: true }) }, 40, sh);
    }
    const rec = { name: 'rec', rows: 4, cols: 4, scale: 64, plastic: true, noSelf: true, blocks: [{ core: 0, pre0: 1, post0: 0, m: 3, n: 4, xrow: 2, xcol: 1 }] };
    const small = { 0: { 0: [2, -1, 3, -3], 4: [1, -1, 5, -5, 7] } };
    for (const sh of [8, 10]) same(`outer.sr @0, @4, r0, c0, 4, 5, sh${sh}\nouter.sr @0, @4, r2, c1, 3, 4, sh${sh}\nhalt`, { matrices: [rec], memory: small, spec: (x) => void (x.seed = 2) }, 60, 1);
  });

  it('outer.sr rows dropped four at a time: about half the thinned rows of a step kept, in varied patterns (a broken lane selection fails it)', () => {
    // 64 rows of 5 cells, A B <= 2^9 = 2^(sh-3): every row thinned, the largest P = 1/8, so (7/8)^5:
    // about half the rows of a step surely have no candidate; rows with other A B test the bound
    const a = Array.from({ length: 64 }, (_, r) => [16, -16, 9, -5, 1, 0, 12, -3][(r * 5 + (r >> 3)) % 8]!);
    const weights = { 0: Array.from({ length: 64 * 5 }, (_, k) => [Math.floor(k / 5), k % 5, [100, -100, 3, -3, 0][k % 5]!] as [number, number, number]) };
    const memory = { 0: { 0: a, 64: [32, -32, 17, -1, 0] } };
    const spec = (s: Parameters<NonNullable<TestImage['spec']>>[0]) => Object.assign(s, { seed: 4, core: { ...s.core, crossbar: { rows: 64, cols: 8 } } });
    same('outer.sr @0, @64, r0, c0, 64, 5, sh12\nouter.sr @0, @64, r0, c0, 61, 5, sh12\nhalt', { memory, weights, memoryWords: 80, spec }, 12, 6);
  });

  it('plasticity: outer.rn and outer.sr with shifts 0 to 63, weight saturation, noSelf diagonals', () => {
    const rec = { name: 'rec', rows: 4, cols: 4, scale: 64, plastic: true, noSelf: true, blocks: [{ core: 0, pre0: 1, post0: 0, m: 3, n: 4, xrow: 2, xcol: 1 }] };
    const memory = { 0: { 0: [2 ** 31 - 1, -(2 ** 31), 3, -3], 4: [1, -1, 100, -100, 2 ** 20] } };
    for (const sh of [0, 1, 16, 32, 33, 63]) {
      same(`outer.rn @0, @4, r0, c0, 4, 5, sh${sh}\nouter.sr @0, @4, r2, c1, 3, 4, sh${sh}\nhalt`, { matrices: [rec], memory, spec: (x) => void (x.seed = 2) }, 3, 1);
    }
  });
});

describe('datapath of an image', () => {
  const kind = (t: TestImage) => createNodeWasmChip(asmImage('halt', t)).datapath;
  it('i16 cells and i32 sums for 8-bit codes; i64 sums and i32 cells for wider ones; f64 sums for drives that are not whole or sums beyond 2^53', () => {
    expect(kind({})).toEqual({ cells: 'i16', sums: 'i32' });
    expect(kind({ preset: 'high-precision' })).toEqual({ cells: 'i16', sums: 'i64' });
    expect(kind({ spec: (s) => void (s.formats.weight = { bits: 20, frac_bits: 10, signed: true }) })).toEqual({ cells: 'i32', sums: 'i64' });
    expect(kind({ spec: (s) => void (s.dac = { ...s.dac, offset: 0.5 }) })).toEqual({ cells: 'i16', sums: 'f64' });
    expect(kind({ spec: (s) => Object.assign(s, { formats: { ...s.formats, weight: { bits: 32, frac_bits: 0, signed: true }, dac: { bits: 32, frac_bits: 0, signed: true } }, dac: { ...s.dac, range: { min: -(2 ** 31), max: 2 ** 31 - 1 } } }) })).toEqual({
      cells: 'i32',
      sums: 'f64',
    });
  });
});

describe('host', () => {
  const seg = (core: number, offset: number) => ({ core, offset, length: 2, fracBits: 4 });
  const ports: PortMap[] = [{ id: 0, kind: 'input', population: 'x', size: 4, segments: [seg(0, 0), seg(1, 2)] }];
  const probes: ProbeMap[] = [{ id: 3, population: 'x', signal: 'u', size: 4, segments: [seg(0, 0), seg(1, 2)] }];
  const code = 'in port0, @0, 2\nvadd @0, @0, @0, 2\nvadd @8, @8, @9, 1\nprobe probe3, @0, 2\nhalt';
  const image = asmImage(`.core 0\n${code}\n.core 1\n${code}`, { ports, probes, memory: { 0: { 9: [1] }, 1: { 9: [2] } } });

  it('ports and probes in real units, start() and reset() as the reference', () => {
    const p = pair(image, 3);
    const out = [new Float64Array(4), new Float64Array(4)];
    for (const [k, x] of [[1, -0.5, 0.25, 3000], [0.1, 0.2, -4000, 5]].entries()) {
      for (const c of [p.ref, p.wasm]) c.setInput('x', Float64Array.from(x));
      p.ref.step();
      p.wasm.step();
      p.ref.probe('x', 'u', out[0]!);
      p.wasm.probe('x', 'u', out[1]!);
      expect(out[1]).toEqual(out[0]);
      expectSameState(p, `tick ${k}`);
      if (k === 0) for (const c of [p.ref, p.wasm]) c.start();
    }
    for (const c of [p.ref, p.wasm]) c.reset();
    expectSameState(p, 'after reset');
    expect(() => p.wasm.setInput('y', new Float64Array(4))).toThrow("the image has no input port for population 'y'");
    expect(() => p.wasm.probe('x', 'v' as never, out[1]!)).toThrow("signal 'v' of 'x' is not probed in this image");
    expect(() => p.wasm.weights('nope')).toThrow(/the image has no projection 'nope'/);
  });
});

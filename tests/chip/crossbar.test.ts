// Crossbar reads through the DAC and ADC models, and plasticity, on hand-assembled programs. The
// default preset with adc.gain = 1 (so line sums are ADC codes) and no noise or mismatch unless
// a case turns them on.
import { describe, expect, it } from 'vitest';
import type { HwSpec } from '../../compiler/hwspec/index.js';
import type { MatrixMap } from '../../compiler/image/index.js';
import { asmChip, runOnce, words, type TestImage } from './helpers.js';

/** W = [[1, 2], [3, 4]] at rows 0..1, columns 0..1 */
const W: TestImage['weights'] = { 0: [[0, 0, 1], [0, 1, 2], [1, 0, 3], [1, 1, 4]] };
const unitGain = (more?: (s: HwSpec) => void) => (s: HwSpec) => {
  s.adc.gain = 1;
  more?.(s);
};

describe('crossbar reads', () => {
  it('forward: columns sum rows; transposed: rows sum columns; sho scales both ways', () => {
    const t = { weights: W, memory: { 0: { 0: [10, 20] } }, spec: unitGain() };
    expect(runOnce('mvm @10, @0, r0, c0, 2, 2, sh+0, sh+0\nhalt', 10, 2, t)).toEqual([70, 100]);
    expect(runOnce('mvm @10, @0, r0, c0, 2, 2, sh+0, sh+1\nhalt', 10, 2, t)).toEqual([140, 200]);
    expect(runOnce('mvm @10, @0, r0, c0, 2, 2, sh+0, sh-2\nhalt', 10, 2, t)).toEqual([18, 25]); // 17.5 -> 18
    expect(runOnce('mvmt @10, @0, r0, c0, 2, 2, sh+0, sh+0\nhalt', 10, 2, t)).toEqual([50, 110]);
  });

  it('shi scales the input before the DAC both ways (right shifts round with rounding.state)', () => {
    const spec = unitGain();
    expect(runOnce('mvm @10, @0, r0, c0, 2, 2, sh+1, sh+0\nhalt', 10, 2, { weights: W, spec, memory: { 0: { 0: [5, 10] } } })).toEqual([70, 100]);
    // rnd(21, 1) = 10 (10.5 to even), rnd(40, 1) = 20
    expect(runOnce('mvm @10, @0, r0, c0, 2, 2, sh-1, sh+0\nhalt', 10, 2, { weights: W, spec, memory: { 0: { 0: [21, 40] } } })).toEqual([70, 100]);
  });

  it('the .acc forms add to dst and saturate', () => {
    const t = { weights: W, memory: { 0: { 0: [10, 20], 10: [1000, 32700] } }, spec: unitGain() };
    expect(runOnce('mvm.acc @10, @0, r0, c0, 2, 2, sh+0, sh+0\nhalt', 10, 2, t)).toEqual([1070, 32767]);
    expect(runOnce('mvmt.acc @10, @0, r0, c0, 2, 2, sh+0, sh+0\nhalt', 10, 2, t)).toEqual([1050, 32767]);
  });

  it('the DAC clips inputs to dac.range and the ADC clips codes to adc.range, each counted', () => {
    const chip = asmChip('mvm @10, @0, r0, c0, 2, 2, sh+0, sh+0\nmvm @12, @2, r0, c0, 2, 2, sh+0, sh+0\nhalt', {
      weights: W,
      memory: { 0: { 0: [200, 0], 2: [30, 30] } },
      spec: unitGain(),
    });
    chip.step();
    // DAC(200) = 127: columns 127 and 254 -> 127 (ADC clip); 30 * 4 = 120 and 30 * 6 = 180 -> 127
    expect(words(chip, 10, 4)).toEqual([127, 127, 120, 127]);
    expect(chip.counters.rangeEvents()).toMatchObject({ dacClips: 1, adcClips: 2 });
  });

  it('DAC gain and offset, ADC offset and rounding.adc', () => {
    const text = 'mvm @10, @0, r0, c0, 1, 1, sh+0, sh+0\nhalt';
    // drive = 2 * (10 + 0.25) = 20.5; a = 20.5 + 1 = 21.5
    const spec = (adc: 'nearest_even' | 'floor') => unitGain((s) => Object.assign(s, { dac: { ...s.dac, gain: 2, offset: 0.25 }, adc: { ...s.adc, offset: 1 }, rounding: { ...s.rounding, adc } }));
    const t = { weights: { 0: [[0, 0, 1]] as [number, number, number][] }, memory: { 0: { 0: [10] } } };
    expect(runOnce(text, 10, 1, { ...t, spec: spec('nearest_even') })).toEqual([22]);
    expect(runOnce(text, 10, 1, { ...t, spec: spec('floor') })).toEqual([21]);
  });

  it('read noise: fresh per conversion, zero mean, read_std_lsb spread', () => {
    const spec = unitGain((s) => Object.assign(s, { seed: 3, noise: { enabled: true, read_std_lsb: 3 } }));
    const chip = asmChip('mvm @10, @0, r0, c0, 1, 4, sh+0, sh+0\nhalt', { spec, weights: { 0: [0, 1, 2, 3].map((c) => [0, c, 1] as [number, number, number]) }, memory: { 0: { 0: [20] } } });
    const xs: number[] = [];
    for (let t = 0; t < 1000; t++) {
      chip.step();
      xs.push(...words(chip, 10, 4));
    }
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 20)).toBeLessThan(0.2);
    expect(Math.abs(std - Math.sqrt(9 + 1 / 12))).toBeLessThan(0.15);
  });

  it('mismatch: a fixed gain and offset per ADC line, from the hw-spec seed alone', () => {
    const spec = (seed: number) => unitGain((s) => Object.assign(s, { seed, mismatch: { enabled: true, adc_gain_std: 0.1, adc_offset_std_lsb: 2, tau_std: 0 } }));
    const t = { weights: { 0: [0, 1, 2, 3].map((c) => [0, c, 1] as [number, number, number]) }, memory: { 0: { 0: [100] } } };
    const text = 'mvm @10, @0, r0, c0, 1, 4, sh+0, sh+0\nhalt';
    const a = runOnce(text, 10, 4, { ...t, spec: spec(1) }, 0);
    expect(new Set(a).size).toBeGreaterThan(1); // lines differ
    expect(runOnce(text, 10, 4, { ...t, spec: spec(1) }, 12345)).toEqual(a); // run seed: no effect
    expect(runOnce(text, 10, 4, { ...t, spec: spec(2) }, 0)).not.toEqual(a); // another die
    const chip = asmChip(text, { ...t, spec: spec(1) });
    chip.step();
    const first = words(chip, 10, 4);
    chip.step();
    expect(words(chip, 10, 4)).toEqual(first); // fixed pattern: the same every read
  });
});

describe('plasticity', () => {
  it('outer.rn: W += rn(a[r] x[c], sh) with ties toward +infinity, saturated to formats.weight', () => {
    const chip = asmChip('outer.rn @0, @2, r0, c0, 2, 2, sh1\nhalt', { memory: { 0: { 0: [3, -3], 2: [1, 100] } }, weights: { 0: [[0, 1, 100]] } });
    chip.step();
    // rn(3, 1) = 2, rn(300, 1) = 150 -> 100 + 150 saturates at 127, rn(-3, 1) = -1, rn(-300, 1) = -150
    expect([chip.core(0).cell(0, 0), chip.core(0).cell(0, 1), chip.core(0).cell(1, 0), chip.core(0).cell(1, 1)]).toEqual([2, 127, -1, -128]);
    expect(chip.counters.rangeEvents().weightSaturations).toBe(2);
  });

  it('outer.sr: updates smaller than one weight LSB survive on average', () => {
    // 16 x 16 cells, 200 updates of 3/16 LSB each: 37.5 expected per cell
    const chip = asmChip('loop x200, end\nouter.sr @0, @16, r0, c0, 16, 16, sh4\nend: halt', {
      spec: (s) => void (s.seed = 5),
      memory: { 0: { 0: Array(16).fill(1), 16: Array(16).fill(3) } },
    });
    chip.step();
    const cells = Array.from({ length: 256 }, (_, k) => chip.core(0).cell(k >> 4, k & 15));
    const mean = cells.reduce((a, b) => a + b, 0) / cells.length;
    expect(Math.abs(mean - 37.5)).toBeLessThan(1.5);
    expect(new Set(cells).size).toBeGreaterThan(3); // stochastic, not a fixed rounding
    expect(chip.counters.rangeEvents().stochasticDraws).toBe(200 * 256);
  });

  it('noSelf matrices keep their diagonal cells (pre index == post index) at 0', () => {
    // block: pre 2..3 on crossbar rows 4..5, post 0..3 on columns 8..11: the diagonal is (4, 10) and (5, 11)
    const rec: MatrixMap = { name: 'rec', rows: 4, cols: 4, scale: 64, plastic: true, noSelf: true, blocks: [{ core: 0, pre0: 2, post0: 0, m: 2, n: 4, xrow: 4, xcol: 8 }] };
    const chip = asmChip('outer.rn @0, @2, r4, c8, 2, 4, sh0\nhalt', { matrices: [rec], memory: { 0: { 0: [1, 1], 2: [5, 6, 7, 8] } }, weights: { 0: [[4, 10, 9]] } });
    chip.step();
    const X = chip.core(0);
    expect([4, 5].map((r) => [8, 9, 10, 11].map((c) => X.cell(r, c)))).toEqual([
      [5, 6, 0, 8],
      [5, 6, 7, 0],
    ]);
  });
});

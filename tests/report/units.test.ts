// The pieces of the report that can be checked without a run: the lag estimate, the streaming
// statistics, the accuracy count, the spec edits and the plots.
import { describe, expect, it } from 'vitest';
import { loadHwSpec, parseHwSpec, serialiseHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { examplePath } from '../../tools/bench/paths.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { AccuracyTracker } from '../../tools/report/accuracy.js';
import type { StimulusDriver } from '../../tools/report/drive.js';
import { allOff, NONIDEALITIES } from '../../tools/report/nonidealities.js';
import { lagByCrossCorrelation, PairAccumulator } from '../../tools/report/stats.js';
import { barChart, histogram, linePlot, niceTicks } from '../../tools/report/svg.js';

describe('lag by cross-correlation', () => {
  const wave = (shift: number, n = 600) => Float64Array.from({ length: n }, (_, t) => Math.sin((t - shift) / 17) + 0.5 * Math.sin((t - shift) / 5.3));
  it('finds a shift of a few samples, with its sign, to a fraction of a sample', () => {
    for (const shift of [0, 3, -5, 12.5]) {
      const r = lagByCrossCorrelation([wave(0)], [wave(shift)], 40);
      expect('lag' in r && Math.abs(r.lag - shift)).toBeLessThan(0.3);
    }
  });
  it('says which series is flat, and when the peak is at the edge of the window', () => {
    expect(lagByCrossCorrelation([wave(0)], [new Float64Array(600).fill(2)], 40)).toEqual({ flat: 'compared' });
    expect(lagByCrossCorrelation([new Float64Array(600)], [wave(0)], 40)).toEqual({ flat: 'reference' });
    expect(lagByCrossCorrelation([wave(0)], [wave(30)], 10)).toMatchObject({ atBound: true });
  });
});

describe('PairAccumulator', () => {
  it('RMS, max, range and correlation over several adds', () => {
    const acc = new PairAccumulator();
    acc.add([0, 1], [0, 1.5]);
    acc.add([2, 3], [2, 3]);
    const r = acc.result();
    expect(r.rms).toBeCloseTo(0.25, 12);
    expect(r.max).toBe(0.5);
    expect(r.range).toBe(3);
    expect(r.rmsOverRange).toBeCloseTo(0.25 / 3, 12);
    expect(r.correlation).toBeGreaterThan(0.95);
    const flat = new PairAccumulator();
    flat.add([1, 1], [0, 2]);
    expect(flat.result().correlation).toBeNull();
  });
});

describe('AccuracyTracker', () => {
  it('argmax over the second half of each presentation against the label, per phase', () => {
    const net = { dynamics: { dt: 1 }, stimulus: { presentation: 4 }, populations: [{ name: 'out', size: 3 }], phases: [{ name: 'train', nudge: [{}] }, { name: 'test', nudge: [] }] };
    const labels = [2, 0];
    const driver = { label: (k: number) => labels[Math.floor(k / 4)]!, phase: (k: number) => (k < 4 ? 0 : 1) } as unknown as StimulusDriver;
    const t = new AccuracyTracker(net as never, driver, 'out', ['a', 'b']);
    for (let k = 0; k < 8; k++) {
      // level a: right in both samples (the first half of sample 2 points elsewhere and is ignored);
      // level b: always neuron 2
      const a = k < 4 ? [0, 0, 1] : k < 6 ? [0, 5, 0] : [1, 0, 0];
      t.add(k, new Map([['a', Float64Array.from(a)], ['b', Float64Array.from([0, 0, 1])]]));
    }
    expect(t.result()).toEqual({
      available: true,
      population: 'out',
      phases: [
        { phase: 'train', nudged: true, samples: 1, accuracy: { a: 1, b: 1 } },
        { phase: 'test', nudged: false, samples: 1, accuracy: { a: 1, b: 0 } },
      ],
    });
  });
});

describe('the non-ideality edits', () => {
  const net = loadNetwork(examplePath('chain.yaml'));
  const spec = loadHwSpec('bss2-like');
  const ctx = { image: compileNetwork(net, spec, { calibrationTicks: 200 }).image, dt: net.dynamics.dt };
  const edited = (name: string): HwSpec => {
    const r = NONIDEALITIES.find((n) => n.name === name)!.edit(spec, ctx);
    if ('notApplicable' in r) throw new Error(r.notApplicable);
    return parseHwSpec(serialiseHwSpec(r), `${name}.json`); // passes the checks of a spec file
  };
  it('widen a converter without moving its range in real units, and leave the original alone', () => {
    const adc = edited('adc');
    expect(adc.formats.adc).toEqual({ bits: 16, frac_bits: 9, signed: true });
    expect(adc.adc.gain).toBeCloseTo(0.002 * 256, 12);
    expect(adc.adc.range).toEqual({ min: -32768, max: 32767 });
    expect(adc.noise.read_std_lsb).toBe(2 * 256); // the same noise in real units
    const dac = edited('dac');
    expect(dac.formats.dac).toEqual({ bits: 16, frac_bits: 16, signed: false });
    expect(dac.dac.range).toEqual({ min: 0, max: 65535 });
    expect(dac.adc.gain).toBeCloseTo(0.002 / 2048, 15);
    const weight = edited('weight');
    expect(weight.formats.weight).toEqual({ bits: 16, frac_bits: 14, signed: true });
    expect(weight.adc.gain).toBeCloseTo(0.002 / 1024, 15);
    expect(edited('state').formats.state).toEqual({ bits: 32, frac_bits: 26, signed: true });
    expect(spec.formats.adc.bits).toBe(8);
  });
  it('every row off at once gives a spec that loads; rows that do not apply say why', () => {
    expect(() => parseHwSpec(serialiseHwSpec(allOff(spec, ctx)), 'all.json')).not.toThrow();
    for (const name of ['delays', 'std']) expect(NONIDEALITIES.find((n) => n.name === name)!.edit(spec, ctx)).toHaveProperty('notApplicable');
  });
});

describe('svg plots', () => {
  it('nice ticks, paths for lines and bars, escaped text', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const x = Float64Array.from({ length: 5000 }, (_, i) => i);
    const line = linePlot({ title: 'a <b>', xLabel: 'x', yLabel: 'y', series: [{ label: 's&t', x, y: x.map(Math.sin) }] });
    expect(line).toContain('a &lt;b&gt;');
    expect(line).toContain('s&amp;t');
    // 5000 points reduced to at most 4 per pixel column
    expect((line.match(/L/g) ?? []).length).toBeLessThan(4 * 640);
    const log = linePlot({ title: 't', xLabel: 'x', yLabel: 'y', logY: true, series: [{ label: 's', x: [0, 1, 2], y: [1e-6, 0, 1e-2] }] });
    expect(log).toContain('1e-6');
    expect(barChart({ title: 'b', yLabel: 'y', bars: [{ label: 'p', value: 1 }, { label: 'n', value: -0.5 }] }).match(/<path d="M/g)).toHaveLength(2);
    expect(histogram({ title: 'h', xLabel: 'bits', values: [1, 1.5, 3, 7.9], binWidth: 1 })).toContain('bits (bins of 1)');
  });
});

// THE integration check: the examples compiled by the real compiler run on the reference chip and
// on the f64 Machine interpreter (the same mapped program without quantization) with the same
// stimulus. On the high-precision preset the chip must track the Machine closely; on the default
// preset the figures are printed, not asserted (they measure the preset, not the chip).
import { describe, expect, it } from 'vitest';
import { readImage, writeImage } from '../../compiler/image/index.js';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { examplePath } from '../../tools/bench/paths.js';
import { createChip } from '../../emulator/chip/index.js';
import { stimulusDriver } from '../helpers/drive.js';
import { track, type Tracking } from './track.js';

/** RMS of chip - machine relative to the machine signal's range over the run */
const TOLERANCE = 1e-3;

function report(label: string, rows: Tracking[], counters: Record<string, number>): void {
  const lines = rows.map((t) => `  ${t.population.padEnd(8)} rms ${t.rms.toExponential(2)}  range ${t.range.toFixed(4)}  rms/range ${(t.rms / t.range).toExponential(2)}`);
  console.log(`${label}\n${lines.join('\n')}\n  DAC clips ${counters.clip_dac}, ADC clips ${counters.clip_adc}, state saturations ${counters.saturation_state}, stochastic draws ${counters.stochastic_draws}`);
}

describe('the reference chip tracks the f64 Machine program', () => {
  it('chain, high-precision, 2000 ticks', () => {
    // The quantize pass picks DAC exponents from its calibration run; a run of 200 ticks (1% of
    // tau here) saw inputs at a tenth of their range and the products clipped at the DAC (rms/range
    // about 7e-3). The default calibration is now two presentations.
    const { tracking, chip } = track('chain.yaml', 'high-precision', 2000);
    report('chain, high-precision', tracking, chip.counters());
    for (const t of tracking) expect(t.rms / t.range, t.population).toBeLessThan(TOLERANCE);
  });

  it('recurrent (plastic), high-precision, 500 ticks', () => {
    const { tracking, chip } = track('recurrent.yaml', 'high-precision', 500);
    report('recurrent, high-precision', tracking, chip.counters());
    for (const t of tracking) expect(t.rms / t.range, t.population).toBeLessThan(TOLERANCE);
    // stochastic rounding keeps the sub-LSB updates: the weights move
    const w = chip.weights('visible->visible');
    const net = loadNetwork(examplePath('recurrent.yaml'));
    const w0 = compileNetwork(net, loadHwSpec('high-precision')).machine.program.matrices.find((m) => m.name === 'visible->visible')!.init;
    let moved = 0;
    for (let i = 0; i < w.length; i++) if (Math.abs(w[i]! - w0[i]!) > 1e-9) moved++;
    expect(moved).toBeGreaterThan(100);
  });

  it('prints: both examples on the default preset', () => {
    for (const [example, preset, ticks] of [
      ['chain.yaml', 'default', 2000],
      ['recurrent.yaml', 'default', 500],
    ] as const) {
      const { tracking, chip } = track(example, preset, ticks);
      report(`${example.replace('.yaml', '')}, ${preset}, default calibration, ${ticks} ticks`, tracking, chip.counters());
      for (const t of tracking) expect(Number.isFinite(t.rms)).toBe(true);
    }
  }, 20000);

  it('an image written and read back runs identically', () => {
    const net = loadNetwork(examplePath('recurrent.yaml'));
    const { image } = compileNetwork(net, loadHwSpec('default'));
    const chips = [createChip(image, { seed: 4 }), createChip(readImage(writeImage(image), 'recurrent.nlaimg'), { seed: 4 })];
    const place = stimulusDriver(net, chips);
    const out = chips.map(() => new Float64Array(56));
    for (let k = 0; k < 30; k++) {
      place(k);
      for (const c of chips) c.step();
      chips.forEach((c, i) => c.probe('visible', 'u', out[i]!));
      expect(out[1]).toEqual(out[0]);
    }
    expect(chips[1]!.weights('visible->visible')).toEqual(chips[0]!.weights('visible->visible'));
  });
});

// The parts of nla sweep that need no run: --vary and --budget, the grid, the Pareto front, the
// budget choice and the CSV.
import { describe, expect, it } from 'vitest';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { applySpecAxes, configKey, grid, parseAxes, parseVary } from '../../tools/sweep/axes.js';
import type { SweepRow } from '../../tools/sweep/measure.js';
import { paretoFront, parseBudget, tableCsv, withinBudget } from '../../tools/sweep/results.js';

describe('--vary', () => {
  it('ranges, steps, lists and durations', () => {
    expect(parseVary('weight_bits=4..8').values).toEqual([4, 5, 6, 7, 8]);
    expect(parseVary('weight_bits=4..12:4').values).toEqual([4, 8, 12]);
    expect(parseVary('adc_bits=6,8,10,8').values).toEqual([6, 8, 10]);
    expect(parseVary('dt=0.025ms,50us,1e-4').values).toEqual([2.5e-5, 5e-5, 1e-4]);
    expect(parseVary('read_noise_lsb=0,0.5').values).toEqual([0, 0.5]);
  });
  it('bad flags name the problem and the fix', () => {
    expect(() => parseVary('wheight_bits=4..8')).toThrow(/unknown axis 'wheight_bits'. Known axes: weight_bits, dac_bits, adc_bits, state_bits, read_noise_lsb, dt/);
    expect(() => parseVary('weight_bits')).toThrow(/write name=values, e.g. --vary weight_bits=4..12/);
    expect(() => parseVary('weight_bits=8..4')).toThrow(/the range '8..4' is empty/);
    expect(() => parseVary('weight_bits=1,4')).toThrow(/'1' is not a number of bits from 2 to 32/);
    expect(() => parseVary('dt=1..3')).toThrow(/ranges \(a..b\) are for integer axes/);
    expect(() => parseVary('dt=soon')).toThrow(/'soon' is not a duration/);
    expect(() => parseAxes(['adc_bits=6', 'adc_bits=8'])).toThrow(/--vary adc_bits is given twice/);
    expect(() => parseAxes([])).toThrow(/needs at least one --vary/);
  });
  it('the grid is the cartesian product, first axis slowest; keys name every value', () => {
    const configs = grid(parseAxes(['weight_bits=4,5', 'dt=50us,0.1ms']));
    expect(configs).toEqual([
      { weight_bits: 4, dt: 5e-5 },
      { weight_bits: 4, dt: 1e-4 },
      { weight_bits: 5, dt: 5e-5 },
      { weight_bits: 5, dt: 1e-4 },
    ]);
    expect(configs.map(configKey)).toContain('weight_bits=5,dt=100us');
  });
  it('spec axes keep ranges in real units and scale the converter energy by the preset rules', () => {
    const spec = loadHwSpec('default'); // 8-bit DAC and ADC
    const s = applySpecAxes(spec, { adc_bits: 10, dac_bits: 4 });
    expect(s.formats.adc).toMatchObject({ bits: 10, frac_bits: spec.formats.adc.frac_bits + 2 });
    expect(s.costs.mvm_adc.energy_pj_per_event).toBeCloseTo((spec.costs.mvm_adc.energy_pj_per_event * 2.38) / 1.67, 9);
    expect(s.costs.mvm_dac.energy_pj_per_event).toBeCloseTo(spec.costs.mvm_dac.energy_pj_per_event / 2, 9);
    expect(s.costs.mvm_adc.source).toContain('nla sweep');
    expect(spec.formats.adc.bits).toBe(8); // the base spec is left alone
  });
});

const row = (key: string, energy: number, rms: number, ok = true): SweepRow => ({
  key,
  config: { weight_bits: Number(key) },
  ok,
  reason: ok ? null : 'does not fit',
  steps: 10,
  rms: ok ? rms : null,
  rms_over_range: ok ? rms / 2 : null,
  max_error: ok ? 2 * rms : null,
  energy_pj_per_tick: ok ? energy : null,
  energy_pj_per_sample: ok ? 100 * energy : null,
  wall_s_per_tick: 1e-6,
  cores: 1,
  seconds: 0.1,
});

describe('Pareto front and budget on a synthetic table', () => {
  // energy, rms: 1 (1, 0.5), 2 (2, 0.2), 3 (2, 0.3) beaten by 2, 4 (3, 0.2) beaten by 2 (same error, more
  // energy), 5 (4, 0.05), 6 (5, 0.05) beaten by 5, 7 (0.5, 1) cheapest, 8 failed
  const rows = [row('1', 1, 0.5), row('2', 2, 0.2), row('3', 2, 0.3), row('4', 3, 0.2), row('5', 4, 0.05), row('6', 5, 0.05), row('7', 0.5, 1), row('8', 0, 0, false)];
  it('keeps exactly the rows nothing beats on both, by energy', () => {
    expect(paretoFront(rows).map((r) => r.key)).toEqual(['7', '1', '2', '5']);
    expect(paretoFront([row('a', 1, 1), row('b', 1, 1)]).map((r) => r.key)).toEqual(['a', 'b']); // ties beat nothing
  });
  it('the lowest energy within the budget, or none', () => {
    expect(withinBudget(rows, parseBudget('rms=0.2'))!.key).toBe('2');
    expect(withinBudget(rows, parseBudget('rms=0.06'))!.key).toBe('5');
    expect(withinBudget(rows, parseBudget('max=0.4'))!.key).toBe('2');
    expect(withinBudget(rows, parseBudget('rms=0.01'))).toBeNull();
    expect(() => parseBudget('energy=3')).toThrow(/metric rms, rms_over_range, max/);
    expect(() => parseBudget('rms=-1')).toThrow(/limit >= 0/);
  });
  it('CSV: one line per row, quoted where needed', () => {
    const csv = tableCsv(parseAxes(['weight_bits=2..9']), [row('1', 1, 0.5), { ...row('9', 0, 0, false), reason: 'a "b", c' }], new Set(['1']));
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('weight_bits,ok,reason,steps,rms,rms_over_range,max_error,energy_pj_per_tick,energy_pj_per_sample,wall_s_per_tick,cores,seconds,pareto');
    expect(lines[1]).toMatch(/^1,true,,10,0.5,0.25,1,1,100,0.000001,1,0.1,true$/);
    expect(lines[2]).toContain('"a ""b"", c"');
  });
});

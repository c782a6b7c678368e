// The shipped presets and a user's own spec load, validate cleanly (no problems, no warnings),
// round-trip through JSON and YAML, cite a source for every cost, and hold what their descriptions
// promise (784-500-10 fits the default chip, the precisions of the BrainScaleS-2-like core, ...).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import {
  COST_BASES,
  COST_CLASSES,
  FORMAT_NAMES,
  codeRange,
  costCycles,
  costEnergyPj,
  fullColumnAccumulatorBits,
  hwSpecHash,
  hwSpecWarnings,
  isPresetName,
  loadHwSpec,
  parseHwSpec,
  presetDir,
  presetNames,
  serialiseHwSpec,
  type HwSpec,
} from '../../compiler/hwspec/index.js';

const PRESETS = ['bss2-like', 'default', 'high-precision'];

/** Crossbars needed for a rows x cols matrix (from -> to) after tiling. */
const tiles = (spec: HwSpec, from: number, to: number): number => Math.ceil(from / spec.core.crossbar.rows) * Math.ceil(to / spec.core.crossbar.cols);

describe('presets', () => {
  test('the shipped presets are default, bss2-like and high-precision', () => {
    expect(presetNames()).toEqual(PRESETS);
  });

  test.each(PRESETS)('%s loads by name, equals loading its file by path, and has no warnings', (name) => {
    const spec = loadHwSpec(name);
    expect(spec.name).toBe(name);
    expect(loadHwSpec(join(presetDir(), `${name}.json`))).toEqual(spec);
    expect(spec).not.toHaveProperty('$schema');
    expect(hwSpecWarnings(spec)).toEqual([]);
  });

  test.each(PRESETS)('%s round-trips: parse(serialise(spec)) deep-equals spec, as JSON and as YAML', (name) => {
    const spec = loadHwSpec(name);
    const json = parseHwSpec(serialiseHwSpec(spec), `${name}.json`);
    expect(json).toEqual(spec);
    expect(hwSpecHash(json)).toBe(hwSpecHash(spec));
    const yaml = parseHwSpec(stringify(spec), `${name}.yaml`);
    expect(yaml).toEqual(spec);
  });

  test.each(PRESETS)('%s: every cost has a source and a basis, and the file points at the schema', (name) => {
    const spec = loadHwSpec(name);
    expect(Object.keys(spec.costs)).toEqual([...COST_CLASSES]);
    for (const c of [...Object.values(spec.costs), spec.static_power]) {
      expect(c.source.length).toBeGreaterThan(10);
      expect(COST_BASES).toContain(c.basis);
    }
    const raw = JSON.parse(readFileSync(join(presetDir(), `${name}.json`), 'utf8')) as { $schema: string };
    expect(raw.$schema).toBe('../hw-spec.schema.json');
  });

  test('default: an 8x8 mesh of 256x256 crossbars, 8-bit weights/DAC/ADC, 16-bit state; 784-500-10 fits', () => {
    const s = loadHwSpec('default');
    expect([s.mesh.cols, s.mesh.rows, s.core.crossbar.rows, s.core.crossbar.cols]).toEqual([8, 8, 256, 256]);
    expect([s.formats.weight.bits, s.formats.dac.bits, s.formats.adc.bits, s.formats.state.bits]).toEqual([8, 8, 8, 16]);
    // W1 (784 -> 500), W2 (500 -> 10), B (10 -> 500): transposed reads reuse the same crossbars.
    const crossbars = tiles(s, 784, 500) + tiles(s, 500, 10) + tiles(s, 10, 500);
    expect(crossbars).toBe(12); // 4x2 + 2x1 + 1x2
    expect(crossbars).toBeLessThanOrEqual(s.mesh.cols * s.mesh.rows);
    // the published per-event figures
    expect(s.costs.mvm.energy_pj_per_event).toBe(0.2);
    expect(s.costs.mvm_adc.energy_pj_per_event).toBe(1.67);
    expect(s.costs.send.energy_pj_per_event).toBe(3.5);
    expect(s.costs.outer_update.energy_pj_per_event).toBe(120);
    expect(s.static_power.mw_per_core).toBe(0.8);
    expect(s.mesh.hop_latency_ns).toBeGreaterThanOrEqual(4);
    expect(s.mesh.hop_latency_ns).toBeLessThanOrEqual(6.5);
    expect(s.timing.acceleration).toBe(1000);
    expect(s.noise.enabled && s.mismatch.enabled).toBe(true);
    // the ADC gain is the ideal one: an ADC code means the real dot product
    expect(s.adc.gain).toBe(2 ** (s.formats.adc.frac_bits - s.formats.weight.frac_bits - s.formats.dac.frac_bits));
  });

  test('bss2-like: 6-bit signed weights, 5-bit unsigned inputs, 8-bit ADC, hxtorch noise and gain, 1000x', () => {
    const s = loadHwSpec('bss2-like');
    expect(s.formats.weight).toMatchObject({ bits: 6, signed: true });
    expect(s.formats.dac).toMatchObject({ bits: 5, signed: false });
    expect(s.formats.adc).toMatchObject({ bits: 8, signed: true });
    expect(codeRange(s.formats.adc)).toEqual(s.adc.range); // clamp to int8
    expect(s.dac.range).toEqual({ min: 0, max: 31 });
    expect(s.adc.gain).toBe(0.002);
    expect(s.noise).toEqual({ enabled: true, read_std_lsb: 2 });
    expect(s.rounding.adc).toBe('floor');
    expect(s.timing.acceleration).toBe(1000);
    expect(s.description).toMatch(/approximate/i);
    expect(s.core.crossbar).toEqual({ rows: 128, cols: 512 });
  });

  test('high-precision: 16-bit weights and converters, 32-bit state, no noise, no mismatch, stochastic weight updates, exact column sums', () => {
    const s = loadHwSpec('high-precision');
    expect([s.formats.weight.bits, s.formats.dac.bits, s.formats.adc.bits, s.formats.state.bits]).toEqual([16, 16, 16, 32]);
    expect(s.noise.enabled || s.mismatch.enabled).toBe(false);
    // the one random thing: stochastic rounding of plastic updates (far below a weight LSB per tick)
    expect(s.seed).toBeDefined();
    expect(s.rounding).toEqual({ state: 'nearest_even', weight_update: 'stochastic', adc: 'nearest_even' });
    expect(s.formats.accumulator.bits).toBeGreaterThanOrEqual(fullColumnAccumulatorBits(s));
    expect(fullColumnAccumulatorBits(s)).toBe(40);
  });

  test('a full crossbar read costs what the cost formula says', () => {
    const s = loadHwSpec('default');
    const macs = 256 * 256;
    const energy = costEnergyPj(s, 'mvm', macs) + costEnergyPj(s, 'mvm_dac', 256) + costEnergyPj(s, 'mvm_adc', 256);
    expect(energy).toBeCloseTo(13107.2 + 860.16 + 427.52, 6);
    expect(costCycles(s, 'mvm', macs)).toBe(32);
    expect(costCycles(s, 'vector_op', 256)).toBe(2 + 16);
    expect(costCycles(s, 'vector_op', 1)).toBe(3);
  });
});

describe("a user's own spec", () => {
  test('a YAML file with comments and flow mappings loads', () => {
    const s = loadHwSpec('tests/hwspec/fixtures/good/my-chip.yaml');
    expect(s.name).toBe('my-chip');
    expect(s.version).toBe('0.3');
    expect(s.seed).toBeUndefined();
    expect(s.core.crossbar).toEqual({ rows: 64, cols: 64 });
    expect(Object.keys(s.formats)).toEqual([...FORMAT_NAMES]);
    expect(hwSpecWarnings(s)).toEqual([]);
    expect(parseHwSpec(serialiseHwSpec(s), 'x.json')).toEqual(s);
  });

  test('a bare name is a preset, anything with a dot or a slash is a path', () => {
    expect(isPresetName('default')).toBe(true);
    expect(isPresetName('bss2-like')).toBe(true);
    expect(isPresetName('./default')).toBe(false);
    expect(isPresetName('default.json')).toBe(false);
    expect(isPresetName('specs/mine')).toBe(false);
  });
});

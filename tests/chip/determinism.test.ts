// Same image, same run seed: the same bits. Another run seed changes what noise and stochastic
// rounding touch, and nothing when the hw-spec has neither (the high-precision preset with
// deterministic weight updates: no read noise, no mismatch, nearest-even rounding everywhere).
import { describe, expect, it } from 'vitest';
import type { Image } from '../../compiler/image/index.js';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork, type NetworkIR } from '../../compiler/network/index.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { examplePath } from '../../tools/bench/paths.js';
import { createChip } from '../../emulator/chip/index.js';
import { stimulusDriver } from '../helpers/drive.js';

const net: NetworkIR = loadNetwork(examplePath('recurrent.yaml'));
const images = new Map<string, Image>();
/** a preset, or 'deterministic': high-precision with nearest-even weight updates */
const imageFor = (preset: string) => {
  if (!images.has(preset)) {
    const spec = structuredClone(loadHwSpec(preset === 'deterministic' ? 'high-precision' : preset));
    if (preset === 'deterministic') spec.rounding.weight_update = 'nearest_even';
    images.set(preset, compileNetwork(net, spec).image);
  }
  return images.get(preset)!;
};

/** every probe of every tick, and the final weights, as one array */
function trace(preset: string, seed: number, ticks: number): { values: number[]; counters: Record<string, number> } {
  const image = imageFor(preset);
  const chip = createChip(image, { seed });
  const place = stimulusDriver(net, [chip]);
  const values: number[] = [];
  for (let k = 0; k < ticks; k++) {
    place(k);
    chip.step();
    for (const p of image.probes) {
      const out = new Float64Array(p.size);
      chip.probe(p.population, p.signal as never, out);
      values.push(...out);
    }
  }
  for (const m of image.matrices) values.push(...chip.weights(m.name));
  return { values, counters: chip.counters() };
}

describe('determinism', () => {
  it('the same run seed gives identical probe traces and weights (default preset: noise, mismatch, stochastic updates)', () => {
    const a = trace('default', 11, 60);
    expect(a.counters.stochastic_draws).toBeGreaterThan(0);
    expect(trace('default', 11, 60).values).toEqual(a.values);
  });

  it('another run seed changes the noise-driven values', () => {
    expect(trace('default', 12, 60).values).not.toEqual(trace('default', 11, 60).values);
  });

  it('without noise or stochastic rounding every run seed gives the same bits', () => {
    const spec = loadHwSpec('high-precision');
    expect([spec.noise.enabled, spec.mismatch.enabled, spec.rounding.state]).toEqual([false, false, 'nearest_even']);
    const a = trace('deterministic', 1, 60);
    expect(a.counters.stochastic_draws).toBe(0);
    expect(trace('deterministic', 2, 60).values).toEqual(a.values);
  });
});

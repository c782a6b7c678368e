// Run seeds on the Wasm core: the same seed gives the same bits; another seed changes what read
// noise and stochastic rounding touch, and nothing else (mismatch depends on the die seed of the
// hw-spec alone), so a spec with neither gives the same bits for every run seed.
import { describe, expect, it } from 'vitest';
import type { HwSpec } from '../../compiler/hwspec/index.js';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { examplePath } from '../../tools/bench/paths.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';
import { stimulusDriver } from '../helpers/drive.js';

const net = loadNetwork(examplePath('recurrent.yaml'));

function imageFor(preset: string, adjust: (s: HwSpec) => void = () => {}) {
  const spec = structuredClone(loadHwSpec(preset));
  adjust(spec);
  return compileNetwork(net, spec).image;
}

/** every probe of every tick, the final weights, and the counters */
function trace(image: ReturnType<typeof imageFor>, seed: number, ticks = 80): { values: number[]; counters: Record<string, number> } {
  const chip = createNodeWasmChip(image, { seed });
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

describe('run seeds on the Wasm core', () => {
  const noisy = imageFor('default');

  it('the same run seed gives the same bits (noise, mismatch and stochastic updates on)', () => {
    const a = trace(noisy, 11);
    expect(a.counters.stochastic_draws).toBeGreaterThan(0);
    const b = trace(noisy, 11);
    expect(b.values).toEqual(a.values);
    expect(b.counters).toEqual(a.counters);
  });

  it('another run seed changes the values noise and stochastic rounding touch', () => {
    expect(trace(noisy, 12).values).not.toEqual(trace(noisy, 11).values);
  });

  it('with mismatch but neither noise nor stochastic rounding, every run seed gives the same bits', () => {
    const image = imageFor('default', (s) => {
      s.noise.enabled = false;
      s.rounding = { state: 'nearest_even', weight_update: 'nearest_even', adc: 'nearest_even' };
    });
    const a = trace(image, 1);
    expect(a.counters.stochastic_draws).toBe(0);
    expect(trace(image, 2).values).toEqual(a.values);
    // while another die (hw-spec seed) does change them
    const other = imageFor('default', (s) => {
      s.noise.enabled = false;
      s.rounding = { state: 'nearest_even', weight_update: 'nearest_even', adc: 'nearest_even' };
      s.seed = 2;
    });
    expect(trace(other, 1).values).not.toEqual(a.values);
  });

  it('noise alone (no stochastic rounding): another run seed changes the values', () => {
    const image = imageFor('high-precision', (s) => {
      s.noise = { enabled: true, read_std_lsb: 1 };
      s.rounding.weight_update = 'nearest_even';
      s.seed = 5;
    });
    const a = trace(image, 1);
    expect(a.counters.stochastic_draws).toBe(0);
    expect(trace(image, 2).values).not.toEqual(a.values);
  });
});

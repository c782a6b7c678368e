// The static estimate (the program walked without data, priced by the hw-spec) equals the dynamic
// counters of the reference chip run tick by tick, for every example image on every preset, with
// plasticity on and off (the one data-dependent branch of compiled programs).
import { describe, expect, it } from 'vitest';
import { COST_CLASSES } from '../../compiler/isa/index.js';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { createChip } from '../../emulator/chip/index.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { staticEstimate } from '../../tools/estimate/static.js';
import { examplePath } from '../../tools/bench/paths.js';
import { stimulusDriver } from '../helpers/drive.js';
import { smallMicrocircuitStd } from '../helpers/nets.js';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('static estimate == dynamic counters', () => {
  for (const [example, ticks] of [['chain', 20], ['recurrent', 20], ['mnist', 3], ['microcircuit-std', 20]] as const)
    for (const preset of ['default', 'bss2-like', 'high-precision'])
      for (const plastic of [true, false])
        it(`${example} on ${preset}, plasticity ${plastic ? 'on' : 'off'}`, () => {
          const net = example === 'microcircuit-std' ? smallMicrocircuitStd() : loadNetwork(examplePath(`${example}.yaml`));
          const spec = loadHwSpec(preset);
          const { image } = compileNetwork(net, spec, { calibrationTicks: 50 });
          const est = staticEstimate(image, spec, { plastic });
          expect(est.dataDependent).toEqual([]);
          const chip = createChip(image, { seed: 1 });
          const place = stimulusDriver(net, [chip]);
          for (let k = 0; k < ticks; k++) {
            place(k);
            chip.setPlastic(plastic);
            chip.step();
          }
          const c = chip.counters();
          for (const cls of COST_CLASSES) {
            const s = est.byClass[cls];
            expect(c[`${cls}_executions`] ?? 0, `${cls} executions`).toBe(s.executions * ticks);
            expect(c[`${cls}_events`] ?? 0, `${cls} events`).toBe(s.events * ticks);
            expect(c[`${cls}_cycles`] ?? 0, `${cls} cycles`).toBe(s.cycles * ticks);
            expect(close(c[`${cls}_energy_pj`] ?? 0, s.energyPj * ticks), `${cls} energy`).toBe(true);
          }
          expect(c.cycles_critical).toBe(est.criticalCycles * ticks);
          expect(close(c.wall_time_s!, est.wallS * ticks)).toBe(true);
          expect(close(c.energy_static_pj!, est.staticPj * ticks)).toBe(true);
          expect(close(c.energy_dynamic_pj!, est.dynamicPj * ticks)).toBe(true);
          if (image.matrices.some((m) => m.plastic)) expect(est.byClass.outer_update.executions > 0).toBe(plastic);
          if (example === 'microcircuit-std') expect(est.byClass.std_update.executions > 0).toBe(spec.std.enabled);
        }, 60000);
});

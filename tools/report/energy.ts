// Time and energy of the image from the static estimate (tools/estimate): per tick, per sample (one
// stimulus presentation) and per plastic weight update, by instruction class with each figure's
// source; with plasticity off, and on when the image learns. The chip's own counters from the run
// are set beside the estimate: they must agree (tests/estimate checks it; the report shows it).
import { COST_CLASSES } from '../../compiler/isa/index.js';
import type { HwSpec } from '../../compiler/hwspec/index.js';
import { IMAGE_FLAGS, type Image } from '../../compiler/image/index.js';
import { staticEstimate } from '../estimate/static.js';

export interface ModeEstimate {
  plastic: boolean;
  cycles_per_tick: number;
  wall_s_per_tick: number;
  /** network time per wall time */
  realtime_factor: number;
  bound: 'digital' | 'analog';
  energy_pj_per_tick: { total: number; dynamic: number; static: number };
  ticks_per_sample: number;
  energy_pj_per_sample: number;
  wall_s_per_sample: number;
  energy_pj_per_weight_update: number | null;
  by_class: Record<string, { executions: number; events: number; cycles: number; energy_pj: number; source: string; basis: string }>;
}

export interface TimeEnergy {
  modes: ModeEstimate[];
  static_power: { mw_per_core: number; cores: number; source: string; basis: string };
  /** the run's measured totals against the estimate for the same ticks (plastic and not) */
  measured: { ticks: number; energy_pj: number; estimated_energy_pj: number; wall_s: number; estimated_wall_s: number };
}

function mode(image: Image, spec: HwSpec, plastic: boolean, ticksPerSample: number): ModeEstimate {
  const est = staticEstimate(image, spec, { plastic });
  const perTick = est.dynamicPj + est.staticPj;
  const updates = est.byClass.outer_update.events;
  return {
    plastic,
    cycles_per_tick: est.criticalCycles,
    wall_s_per_tick: est.wallS,
    realtime_factor: image.header.dt / est.wallS,
    bound: est.computeS > est.analogS ? 'digital' : 'analog',
    energy_pj_per_tick: { total: perTick, dynamic: est.dynamicPj, static: est.staticPj },
    ticks_per_sample: ticksPerSample,
    energy_pj_per_sample: perTick * ticksPerSample,
    wall_s_per_sample: est.wallS * ticksPerSample,
    energy_pj_per_weight_update: updates ? est.byClass.outer_update.energyPj / updates : null,
    by_class: Object.fromEntries(
      COST_CLASSES.filter((c) => est.byClass[c].executions > 0).map((c) => {
        const b = est.byClass[c];
        return [c, { executions: b.executions, events: b.events, cycles: b.cycles, energy_pj: b.energyPj, source: spec.costs[c].source, basis: spec.costs[c].basis }];
      }),
    ),
  };
}

export function timeAndEnergy(image: Image, spec: HwSpec, run: { presentation: number; ticks: number; plasticTicks: number; counters: Record<string, number> }): TimeEnergy {
  const ticksPerSample = Math.max(1, Math.round(run.presentation / image.header.dt));
  const learns = (image.header.flags & IMAGE_FLAGS.plastic) !== 0;
  const modes = [mode(image, spec, false, ticksPerSample), ...(learns ? [mode(image, spec, true, ticksPerSample)] : [])];
  const on = modes[modes.length - 1]!;
  const off = modes[0]!;
  const plasticTicks = learns ? run.plasticTicks : 0;
  const fixed = run.ticks - plasticTicks;
  return {
    modes,
    static_power: { mw_per_core: spec.static_power.mw_per_core, cores: image.cores.length, source: spec.static_power.source, basis: spec.static_power.basis },
    measured: {
      ticks: run.ticks,
      energy_pj: run.counters.energy_pj ?? NaN,
      estimated_energy_pj: fixed * off.energy_pj_per_tick.total + plasticTicks * on.energy_pj_per_tick.total,
      wall_s: run.counters.wall_time_s ?? NaN,
      estimated_wall_s: fixed * off.wall_s_per_tick + plasticTicks * on.wall_s_per_tick,
    },
  };
}

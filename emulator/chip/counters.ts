// What the reference chip counts: per core and cost class the executions, events, cycles and
// dynamic energy of the instructions it ran (the ISA table's cost model, priced by the hw-spec),
// saturation and clipping events and stochastic-rounding draws; per tick the barrier-synchronised
// critical path, the wall time and the static energy it implies. docs/emulator.md explains the
// wall-time model.
import { COST_CLASSES, type CostClass } from '../../compiler/isa/index.js';
import type { HwSpec } from '../../compiler/hwspec/types.js';
import type { LoadedInstr } from './load.js';

export interface ClassTotals {
  /** instructions executed that charge the class */
  executions: number;
  /** events of the class (word-hops for send) */
  events: number;
  cycles: number;
  energyPj: number;
}

/** Things that went out of range, and the random draws of stochastic rounding. */
export interface RangeEvents {
  /** sat() clamped a result to formats.state */
  stateSaturations: number;
  /** satW() clamped a weight to formats.weight */
  weightSaturations: number;
  /** an ADC code was clipped to adc.range */
  adcClips: number;
  /** a DAC input code was clipped to dac.range */
  dacClips: number;
  /** uniform integers drawn for stochastic rounding (rnd in stochastic mode, sr) */
  stochasticDraws: number;
}

const zeroEvents = (): RangeEvents => ({ stateSaturations: 0, weightSaturations: 0, adcClips: 0, dacClips: 0, stochasticDraws: 0 });
const zeroClass = (): ClassTotals => ({ executions: 0, events: 0, cycles: 0, energyPj: 0 });

export class CoreCounters {
  readonly byClass: ClassTotals[] = COST_CLASSES.map(zeroClass);
  /** mutated in place by the datapath, so it survives reset() */
  readonly events: RangeEvents = zeroEvents();
  instructions = 0;
  cycles = 0;
  energyPj = 0;

  constructor(readonly core: number) {}

  /** Adds one execution of `li`; returns its cycles. */
  charge(li: LoadedInstr): number {
    let cycles = 0;
    for (const c of li.charges) {
      const t = this.byClass[c.cls]!;
      t.executions++;
      t.events += c.events;
      t.cycles += c.cycles;
      t.energyPj += c.energyPj;
      cycles += c.cycles;
      this.energyPj += c.energyPj;
    }
    this.instructions++;
    this.cycles += cycles;
    return cycles;
  }

  reset(): void {
    for (const t of this.byClass) Object.assign(t, zeroClass());
    Object.assign(this.events, zeroEvents());
    this.instructions = 0;
    this.cycles = 0;
    this.energyPj = 0;
  }
}

export class ChipCounters {
  ticks = 0;
  /** sum over ticks of the barrier-synchronised critical path: per phase, the slowest core */
  criticalCycles = 0;
  /** sum over ticks of max(critical path / clock, dt / acceleration) */
  wallTimeS = 0;
  readonly cores: CoreCounters[];

  constructor(
    private readonly spec: HwSpec,
    private readonly dt: number,
    coreIndices: readonly number[],
  ) {
    this.cores = coreIndices.map((i) => new CoreCounters(i));
  }

  /** Closes one tick whose phases took `phaseCycles[k]` cycles on the slowest core. */
  endTick(criticalCycles: number): void {
    const computeS = criticalCycles / (this.spec.timing.clock_mhz * 1e6);
    const analogS = this.dt / this.spec.timing.acceleration;
    this.ticks++;
    this.criticalCycles += criticalCycles;
    this.wallTimeS += Math.max(computeS, analogS);
  }

  reset(): void {
    this.ticks = 0;
    this.criticalCycles = 0;
    this.wallTimeS = 0;
    for (const c of this.cores) c.reset();
  }

  /** static_power.mw_per_core * cores * wall time, in pJ (1 mW for 1 s = 1e9 pJ) */
  staticEnergyPj(): number {
    return this.spec.static_power.mw_per_core * this.cores.length * this.wallTimeS * 1e9;
  }

  dynamicEnergyPj(): number {
    return this.cores.reduce((s, c) => s + c.energyPj, 0);
  }

  classTotals(): Record<CostClass, ClassTotals> {
    const out = Object.fromEntries(COST_CLASSES.map((cls) => [cls, zeroClass()])) as Record<CostClass, ClassTotals>;
    for (const c of this.cores) {
      COST_CLASSES.forEach((cls, i) => {
        const t = out[cls];
        const s = c.byClass[i]!;
        t.executions += s.executions;
        t.events += s.events;
        t.cycles += s.cycles;
        t.energyPj += s.energyPj;
      });
    }
    return out;
  }

  rangeEvents(): RangeEvents {
    const out = zeroEvents();
    for (const c of this.cores) for (const k of Object.keys(out) as (keyof RangeEvents)[]) out[k] += c.events[k];
    return out;
  }
}

export interface EnergySummary {
  ticks: number;
  dynamicPj: number;
  staticPj: number;
  totalPj: number;
  perTickPj: number;
  byClassPj: Record<CostClass, number>;
}

export interface CycleSummary {
  ticks: number;
  /** cycles per core (busy cycles, waiting at barriers excluded), in core order */
  perCore: { core: number; cycles: number }[];
  /** the busiest core's cycles */
  maxCore: number;
  /** barrier-synchronised critical path, summed over ticks */
  critical: number;
  wallTimeS: number;
}

export function energySummary(c: ChipCounters): EnergySummary {
  const dynamicPj = c.dynamicEnergyPj();
  const staticPj = c.staticEnergyPj();
  const totals = c.classTotals();
  const byClassPj = Object.fromEntries(COST_CLASSES.map((cls) => [cls, totals[cls].energyPj])) as Record<CostClass, number>;
  return { ticks: c.ticks, dynamicPj, staticPj, totalPj: dynamicPj + staticPj, perTickPj: c.ticks ? (dynamicPj + staticPj) / c.ticks : 0, byClassPj };
}

export function cycleSummary(c: ChipCounters): CycleSummary {
  const perCore = c.cores.map((k) => ({ core: k.core, cycles: k.cycles }));
  return { ticks: c.ticks, perCore, maxCore: Math.max(0, ...perCore.map((k) => k.cycles)), critical: c.criticalCycles, wallTimeS: c.wallTimeS };
}

/** Everything as one flat snake_case record (the Backend's counters()). */
export function flatCounters(c: ChipCounters): Record<string, number> {
  const e = energySummary(c);
  const cy = cycleSummary(c);
  const r = c.rangeEvents();
  const out: Record<string, number> = {
    ticks: c.ticks,
    instructions: c.cores.reduce((s, k) => s + k.instructions, 0),
    cycles_max_core: cy.maxCore,
    cycles_critical: cy.critical,
    wall_time_s: cy.wallTimeS,
    energy_pj: e.totalPj,
    energy_dynamic_pj: e.dynamicPj,
    energy_static_pj: e.staticPj,
    saturation_state: r.stateSaturations,
    saturation_weight: r.weightSaturations,
    clip_adc: r.adcClips,
    clip_dac: r.dacClips,
    stochastic_draws: r.stochasticDraws,
  };
  const totals = c.classTotals();
  for (const cls of COST_CLASSES) {
    const t = totals[cls];
    if (t.executions === 0) continue;
    out[`${cls}_executions`] = t.executions;
    out[`${cls}_events`] = t.events;
    out[`${cls}_cycles`] = t.cycles;
    out[`${cls}_energy_pj`] = t.energyPj;
  }
  return out;
}

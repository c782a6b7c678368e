// Task accuracy where the stimulus has labels (inputs from a labelled dataset such as MNIST): per
// presented sample, the argmax of the output voltages, averaged over the second half of the
// presentation (after the network has settled onto the sample), against the sample's label.
// Counted per phase, because in a nudged phase the output is pulled towards the target and the
// figure measures the nudging, not the network.
import type { NetworkIR } from '../../compiler/network/index.js';
import type { StimulusDriver } from './drive.js';

export interface PhaseAccuracy {
  phase: string;
  nudged: boolean;
  samples: number;
  /** per level: fraction of samples whose output argmax is the label */
  accuracy: Record<string, number>;
}

export type AccuracyReport = { available: true; population: string; phases: PhaseAccuracy[] } | { available: false; reason: string };

export class AccuracyTracker {
  private readonly sums: Map<string, Float64Array>;
  private readonly ticksPerSample: number;
  private readonly perPhase = new Map<number, { samples: number; correct: Map<string, number> }>();

  constructor(
    private readonly net: NetworkIR,
    private readonly driver: StimulusDriver,
    readonly population: string,
    levels: string[],
  ) {
    const size = net.populations.find((p) => p.name === population)!.size;
    this.sums = new Map(levels.map((l) => [l, new Float64Array(size)]));
    this.ticksPerSample = Math.max(1, Math.round(net.stimulus.presentation / net.dynamics.dt));
  }

  /** after tick k: the output voltages of every level (same keys as the constructor's levels) */
  add(k: number, outputs: Map<string, Float64Array>): void {
    const within = k % this.ticksPerSample;
    if (within >= this.ticksPerSample / 2) {
      for (const [level, sum] of this.sums) {
        const u = outputs.get(level)!;
        for (let i = 0; i < sum.length; i++) sum[i]! += u[i]!;
      }
    }
    if (within !== this.ticksPerSample - 1) return;
    const label = this.driver.label(k);
    const phase = this.driver.phase(k);
    const entry = this.perPhase.get(phase) ?? { samples: 0, correct: new Map<string, number>() };
    this.perPhase.set(phase, entry);
    entry.samples++;
    for (const [level, sum] of this.sums) {
      let best = 0;
      for (let i = 1; i < sum.length; i++) if (sum[i]! > sum[best]!) best = i;
      if (best === label) entry.correct.set(level, (entry.correct.get(level) ?? 0) + 1);
      sum.fill(0);
    }
  }

  result(): AccuracyReport {
    if (!this.perPhase.size) return { available: false, reason: `the run ends before the first sample's presentation (${this.ticksPerSample} ticks) is over` };
    return {
      available: true,
      population: this.population,
      phases: [...this.perPhase].map(([p, e]) => ({
        phase: this.net.phases[p]!.name,
        nudged: this.net.phases[p]!.nudge.length > 0,
        samples: e.samples,
        accuracy: Object.fromEntries([...this.sums.keys()].map((l) => [l, (e.correct.get(l) ?? 0) / e.samples])),
      })),
    };
  }
}

/** the output population accuracy is measured on, or why there is none */
export function accuracyTarget(net: NetworkIR, driver: StimulusDriver): { population: string } | { reason: string } {
  if (!driver.hasLabels) return { reason: 'the stimulus has no labels (no input comes from a labelled dataset such as mnist)' };
  const out = net.populations.find((p) => p.kind === 'output' && p.size >= 2);
  if (!out) return { reason: 'no output population with two or more neurons to take an argmax over' };
  return { population: out.name };
}

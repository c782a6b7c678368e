// The runs behind docs/results.md: one row per `nla train` run, in the order they are run and
// shown. `nla results` trains each (resuming finished or interrupted runs from their checkpoints)
// and writes the page from their summaries. A new result is one more row.
import type { TrainSettings } from '../train/experiments.js';

export interface PlannedRun {
  /** folder name under --dir, and the row's key */
  id: string;
  /** what the row shows, for the page */
  what: string;
  experiment: string;
  backend: 'ideal' | 'chip';
  /** hw-spec preset of the chip backend */
  hw?: string;
  /** --relaxation of a pattern run on the chip */
  relaxation?: number;
  /** settings that differ from the experiment's defaults */
  settings: Partial<TrainSettings>;
  /** test every this many training samples as well (0: after each epoch only) */
  evalEvery?: number;
}

const ms = (v: number): number => v / 1000;

/** spec section 8 at full size: the figures of docs/results.md (hours on 2 cores, see the page) */
export const FULL_PLAN: PlannedRun[] = [
  { id: 'mnist-100ms', what: 'NLA, 100 ms per digit', experiment: 'mnist', backend: 'ideal', settings: { epochs: 3 } },
  { id: 'mnist-backprop', what: 'backprop baseline (same net, init, data, order)', experiment: 'mnist-backprop', backend: 'ideal', settings: { epochs: 3 } },
  { id: 'mnist-no-lookahead-100ms', what: 'ablation without lookahead, 100 ms', experiment: 'mnist-no-lookahead', backend: 'ideal', settings: { epochs: 1 } },
  { id: 'mnist-5ms', what: 'NLA, 5 ms per digit (paper eta)', experiment: 'mnist', backend: 'ideal', settings: { epochs: 1, presentation: ms(5) } },
  { id: 'mnist-no-lookahead-5ms', what: 'ablation without lookahead, 5 ms (paper eta)', experiment: 'mnist-no-lookahead', backend: 'ideal', settings: { epochs: 1, presentation: ms(5) } },
  { id: 'mnist-microcircuit', what: 'microcircuit 784-300(+40)-10, 100 ms', experiment: 'mnist-microcircuit', backend: 'ideal', settings: { epochs: 3 }, evalEvery: 4000 },
  { id: 'pattern', what: 'recurrent pattern completion, 96 neurons', experiment: 'pattern', backend: 'ideal', settings: { epochs: 6 } },
  { id: 'mnist-lowpass', what: 'NLA, 100 ms, digit through the tau_in low-pass (the chip runs\' input)', experiment: 'mnist', backend: 'ideal', settings: { epochs: 1, input: 'lowpass' } },
  { id: 'chip-high-precision', what: 'on-chip plasticity, high-precision preset', experiment: 'mnist', backend: 'chip', hw: 'high-precision', settings: { epochs: 1, input: 'lowpass' } },
  { id: 'chip-default', what: 'on-chip plasticity, default preset', experiment: 'mnist', backend: 'chip', hw: 'default', settings: { epochs: 1, input: 'lowpass' } },
  { id: 'chip-bss2-like', what: 'on-chip plasticity, BrainScaleS-2-like preset', experiment: 'mnist', backend: 'chip', hw: 'bss2-like', settings: { epochs: 1, input: 'lowpass' } },
  { id: 'chip-microcircuit-high-precision', what: 'microcircuit with on-chip plasticity, high-precision preset', experiment: 'mnist-microcircuit', backend: 'chip', hw: 'high-precision', settings: { epochs: 1, input: 'lowpass' } },
  { id: 'chip-microcircuit-default', what: 'microcircuit with on-chip plasticity, default preset', experiment: 'mnist-microcircuit', backend: 'chip', hw: 'default', settings: { epochs: 1, input: 'lowpass' } },
  { id: 'chip-pattern-high-precision', what: 'pattern completion with on-chip plasticity, high-precision preset', experiment: 'pattern', backend: 'chip', hw: 'high-precision', relaxation: 1, settings: { epochs: 6 } },
  { id: 'chip-pattern-default', what: 'pattern completion with on-chip plasticity, default preset', experiment: 'pattern', backend: 'chip', hw: 'default', settings: { epochs: 6 } },
  { id: 'chip-pattern-bss2-like', what: 'pattern completion with on-chip plasticity, BrainScaleS-2-like preset', experiment: 'pattern', backend: 'chip', hw: 'bss2-like', settings: { epochs: 6 } },
];

/**
 * The same rows shrunk to about a minute (small nets, a few hundred samples, eta raised so that
 * so few samples learn something, as the tests do): checks the command end to end, not the paper.
 */
export const QUICK_PLAN: PlannedRun[] = FULL_PLAN.map((r) => {
  if (r.experiment === 'pattern') return { ...r, settings: { train: 20, test: 5, epochs: 1, presentation: ms(50) } };
  const short = r.settings.presentation !== undefined && r.settings.presentation < ms(10);
  const small: Partial<TrainSettings> = { train: 300, test: 100, epochs: 1, hidden: 32, eta: short ? 40 : 4 };
  const evalEvery = 0;
  if (r.experiment === 'mnist-microcircuit') small.interneurons = 10;
  return { ...r, settings: { ...r.settings, ...small }, evalEvery };
});

export const PLANS = { full: FULL_PLAN, quick: QUICK_PLAN } as const;
export type PlanName = keyof typeof PLANS;

// What the report concludes from a lock-step run: lags between levels, the prospectivity check,
// and the error attribution over the non-idealities.
import type { NetworkIR } from '../../compiler/network/index.js';
import type { LockstepResult, ProbeSpec } from './lockstep.js';
import { probeKey } from './lockstep.js';
import { lagByCrossCorrelation, type PairStats } from './stats.js';

export interface Lag {
  /** ticks, positive when the compared level lags the reference; null when the reference is flat */
  ticks: number | null;
  /** the same in units of the population's tau */
  tau: number | null;
  /** the peak sat on the edge of the search window (+-2 tau, at most the run) */
  at_bound: boolean;
  /** which signal is constant over the run when there is no lag */
  flat: 'reference' | 'compared' | null;
}

/** lag of level `cmp` behind level `ref` on one probe, searched within +-2 tau of the population */
export function lagOf(run: LockstepResult, ref: string, cmp: string, probe: ProbeSpec, tau: number, dt: number, every: number): Lag {
  const a = run.series.get(ref)!.get(probeKey(probe))!;
  const b = run.series.get(cmp)!.get(probeKey(probe))!;
  const r = lagByCrossCorrelation(a, b, (2 * tau) / (every * dt));
  if ('flat' in r) return { ticks: null, tau: null, at_bound: false, flat: r.flat };
  const ticks = r.lag * every;
  return { ticks, tau: (ticks * dt) / tau, at_bound: r.atBound, flat: null };
}

/** layer depth of each population of a feedforward net along forward projections (inputs 0); null when recurrent */
export function depths(net: NetworkIR): Map<string, number> | null {
  if (!net.feedforward) return null;
  const depth = new Map<string, number>(net.populations.filter((p) => p.kind === 'input').map((p) => [p.name, 0]));
  const forward = net.projections.filter((p) => p.role === 'forward' && p.from !== p.to);
  for (let changed = true; changed; ) {
    changed = false;
    for (const pr of forward) {
      const d = depth.get(pr.from);
      if (d !== undefined && (depth.get(pr.to) ?? -1) < d + 1) {
        depth.set(pr.to, d + 1);
        changed = true;
      }
    }
  }
  return depth;
}

export interface ProspectivityLayer {
  population: string;
  depth: number | null;
  chip: Lag;
  /** the ideal model in the scheme the chip runs */
  ideal_chip_scheme: Lag;
  /** the ideal model without lookahead: what the lag is when nothing cancels the delays */
  no_lookahead: Lag;
}

export interface Prospectivity {
  layers: ProspectivityLayer[];
  /** chip lag per layer at the deepest layer, in tau (null when not measurable) */
  chip_lag_per_layer_tau: number | null;
  /** the ablation's lag at the first layer, in tau: the lag of one layer when nothing cancels it (a deeper
   * layer's lags add up past the +-2 tau search window) */
  no_lookahead_first_layer_tau: number | null;
  verdict: string;
}

/** A layer "cancels" its delays when the chip's lag per layer is under a tenth of tau (no lookahead: about tau per layer). */
export const PROSPECTIVE_LAG_PER_LAYER = 0.1;

export function prospectivity(layers: ProspectivityLayer[]): Prospectivity {
  const deepest = [...layers].filter((l) => l.depth !== null).sort((a, b) => b.depth! - a.depth!)[0] ?? layers[layers.length - 1];
  const perLayer = (lag: Lag | undefined, d: number | null | undefined) => (lag?.tau != null ? lag.tau / Math.max(1, d ?? 1) : null);
  const chip = perLayer(deepest?.chip, deepest?.depth);
  const first = layers.find((l) => l.depth === 1) ?? layers[0];
  const ablation = first && !first.no_lookahead.at_bound ? first.no_lookahead.tau : null;
  const where = deepest?.depth != null ? `per layer at ${deepest.population} (depth ${deepest.depth})` : `at ${deepest?.population} (a recurrent net has no layers: the population's lag)`;
  let verdict: string;
  if (deepest?.chip.flat === 'compared') verdict = `no: the chip's ${deepest.population}.u does not move at all in this run (constant), while the ideal one does`;
  else if (chip === null) verdict = 'not measurable: the reference signal does not move in this run';
  else if (deepest!.chip.at_bound) verdict = `not measurable: the chip's best alignment lies at the edge of the search window (${deepest!.chip.ticks?.toFixed(0)} ticks); the chip does not follow the ideal signal`;
  else if (Math.abs(chip) < PROSPECTIVE_LAG_PER_LAYER)
    verdict = `yes: the chip lags the ideal explicit model by ${chip.toPrecision(2)} tau ${where} (threshold ${PROSPECTIVE_LAG_PER_LAYER} tau${ablation !== null ? `; without lookahead the first layer lags ${ablation.toPrecision(2)} tau` : ''})`;
  else verdict = `no: the chip lags the ideal explicit model by ${chip.toPrecision(2)} tau ${where} (threshold ${PROSPECTIVE_LAG_PER_LAYER} tau)`;
  return { layers, chip_lag_per_layer_tau: chip, no_lookahead_first_layer_tau: ablation, verdict };
}

export type RowStatus = 'measured' | 'already off' | 'not applicable' | 'failed';

/** what a row needs measured: with it off (everything else as the spec has it), and alone */
export interface RowMeasurement {
  name: string;
  title: string;
  off: string;
  status: RowStatus;
  note: string | null;
  /** RMS of the output against the ideal explicit model with this non-ideality off */
  rms_off: number | null;
  /** RMS of the output with only this non-ideality on: the chip with every other row off against
   * the lowered f64 program (the algorithm row: lowered f64 against the ideal explicit model) */
  rms_alone: number | null;
}

export interface AttributionRow extends RowMeasurement {
  /** base RMS minus rms_off */
  reduction: number | null;
  reduction_over_range: number | null;
  /** reduction / sum of the reductions */
  share: number | null;
  /** (base^2 - off^2) / sum of the same: the share of the error variance, additive for independent errors */
  variance_share: number | null;
  /** rms_alone / sum of rms_alone */
  alone_share: number | null;
}

export interface Attribution {
  reference: string;
  outputs: string[];
  /** RMS of the chip's output against the ideal explicit model */
  base_rms: number;
  output_range: number;
  rows: AttributionRow[];
  sum_of_reductions: number;
  /** every hardware row off at once */
  all_hardware_off: { status: RowStatus; rms_off: number | null; note: string | null };
  shares_add_up: boolean;
  note: string;
}

/** RMS over several probes, each of `size` neurons over the same ticks */
export function pooledRms(stats: { s: PairStats; size: number }[]): number {
  const n = stats.reduce((a, x) => a + x.size, 0);
  return Math.sqrt(stats.reduce((a, x) => a + x.s.rms * x.s.rms * x.size, 0) / Math.max(1, n));
}

const shares = (xs: (number | null)[]): (number | null)[] => {
  const sum = xs.reduce<number>((a, x) => a + (x ?? 0), 0);
  return xs.map((x) => (x !== null && sum > 0 ? x / sum : null));
};

/**
 * Shares of the reductions. Rows measured or already off (reduction 0) take part; the algorithm
 * row's reduction is base - RMS(chip - lowered f64): what is left if the scheme were exact.
 */
export function attribute(rows: RowMeasurement[], base: number, range: number, allOff: Attribution['all_hardware_off'], outputs: string[]): Attribution {
  const counted = (r: RowMeasurement) => (r.status === 'measured' || r.status === 'already off') && r.rms_off !== null;
  const reductions = rows.map((r) => (counted(r) ? base - r.rms_off! : null));
  const variances = rows.map((r) => (counted(r) ? base * base - r.rms_off! * r.rms_off! : null));
  const [share, varShare, aloneShare] = [shares(reductions), shares(variances), shares(rows.map((r) => r.rms_alone))];
  const sum = reductions.reduce<number>((a, x) => a + (x ?? 0), 0);
  const full = rows.map((r, i) => ({
    ...r,
    reduction: reductions[i]!,
    reduction_over_range: reductions[i] !== null && range > 0 ? reductions[i]! / range : null,
    share: share[i]!,
    variance_share: varShare[i]!,
    alone_share: aloneShare[i]!,
  }));
  const negative = full.filter((r) => (r.reduction ?? 0) < 0).map((r) => r.name);
  const addUp = base > 0 && Math.abs(sum - base) <= 0.1 * base && negative.length === 0;
  const parts = [
    `Switched off one at a time, the rows lower the output's RMS error (${base.toPrecision(3)}) by ${sum.toPrecision(3)} in total (${base > 0 ? ((100 * sum) / base).toFixed(0) : '-'}% of it).`,
    addUp
      ? 'The reductions add up to the error within 10%: the effects are close to additive here.'
      : 'They do not add up to the error, so the shares are relative sizes, not a decomposition: effects interact (one non-ideality can mask the others), and errors of independent sources add in quadrature (one removed alone lowers the RMS by less than its own size; variance_share accounts for that). The alone columns measure each non-ideality on otherwise ideal hardware instead.',
  ];
  if (negative.length) parts.push(`Switching off ${negative.join(', ')} made the error larger: that effect partly cancelled another one.`);
  return { reference: 'ideal explicit', outputs, base_rms: base, output_range: range, rows: full, sum_of_reductions: sum, all_hardware_off: allOff, shares_add_up: addUp, note: parts.join(' ') };
}

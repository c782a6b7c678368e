// The sweep's results: the file finished rows are saved to as they arrive (resume), the Pareto
// front of error against energy, the --budget choice, and the tables (CSV, JSON).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../compiler/common/errors.js';
import { writeFileAtomic } from '../io.js';
import { AXES, type AxisValues } from './axes.js';
import type { SweepRow } from './measure.js';

export const RESULTS_FILE = 'results.json';

/** what the rows depend on besides their configuration: a row is reused only when all of it is equal */
export interface SweepIdentity {
  network: { file: string; sha256: string };
  hw_spec: { name: string; sha256: string };
  steps: number | null;
  duration_s: number | null;
  seed: number;
  calibration_ticks: number | null;
  backend: string;
}

interface ResultsFile {
  tool: 'nla sweep';
  identity: SweepIdentity;
  identity_sha256: string;
  rows: SweepRow[];
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** the finished rows of an earlier run into `dir`, by key; refuses the rows of another network, spec or run */
export function loadFinished(dir: string, identity: SweepIdentity): Map<string, SweepRow> {
  const path = join(dir, RESULTS_FILE);
  if (!existsSync(path)) return new Map();
  let file: ResultsFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
  } catch (e) {
    throw new UserError(`${path}: not a results file of nla sweep (${(e as Error).message}). Delete it, or use another --out`);
  }
  if (file.tool !== 'nla sweep' || !Array.isArray(file.rows)) throw new UserError(`${path}: not a results file of nla sweep. Delete it, or use another --out`);
  if (file.identity_sha256 !== sha256(JSON.stringify(identity))) {
    const was = file.identity ?? ({} as SweepIdentity);
    const changed = (Object.keys(identity) as (keyof SweepIdentity)[]).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(identity[k]));
    throw new UserError(
      `${path} holds rows of another sweep (changed: ${changed.map((k) => `${k} ${JSON.stringify(was[k])} -> ${JSON.stringify(identity[k])}`).join('; ') || 'unknown'}). Its rows do not apply: use another --out, or --restart to discard them`,
    );
  }
  return new Map(file.rows.map((r) => [r.key, r]));
}

/** every finished row so far, written atomically (an interrupted run keeps the file whole) */
export function saveFinished(dir: string, identity: SweepIdentity, rows: Iterable<SweepRow>): void {
  const file: ResultsFile = { tool: 'nla sweep', identity, identity_sha256: sha256(JSON.stringify(identity)), rows: [...rows] };
  writeFileAtomic(join(dir, RESULTS_FILE), JSON.stringify(file, null, 1) + '\n');
}

/**
 * Rows no other row beats on both energy per sample and RMS error (lower is better in both; a row
 * with equal energy and equal error does not beat another), in order of energy. Energy per sample
 * (one presentation, a fixed span of network time), not per tick: a dt axis changes the ticks a
 * sample takes.
 */
export function paretoFront(rows: SweepRow[]): SweepRow[] {
  const ok = rows.filter((r) => r.ok && r.rms !== null && r.energy_pj_per_sample !== null);
  const beats = (a: SweepRow, b: SweepRow) => a.energy_pj_per_sample! <= b.energy_pj_per_sample! && a.rms! <= b.rms! && (a.energy_pj_per_sample! < b.energy_pj_per_sample! || a.rms! < b.rms!);
  return ok.filter((r) => !ok.some((q) => beats(q, r))).sort((a, b) => a.energy_pj_per_sample! - b.energy_pj_per_sample! || a.rms! - b.rms!);
}

export interface Budget {
  metric: 'rms' | 'rms_over_range' | 'max_error';
  limit: number;
}

const BUDGET_METRICS: Record<string, Budget['metric']> = { rms: 'rms', rms_over_range: 'rms_over_range', max: 'max_error' };

/** --budget rms=0.01 (also rms_over_range=, max=) */
export function parseBudget(text: string): Budget {
  const m = /^([a-z_]+)=(.+)$/.exec(text.trim());
  const metric = m ? BUDGET_METRICS[m[1]!] : undefined;
  const limit = m ? Number(m[2]) : NaN;
  if (!metric || !Number.isFinite(limit) || limit < 0) throw new UserError(`--budget '${text}': write metric=limit with metric ${Object.keys(BUDGET_METRICS).join(', ')} and a limit >= 0, e.g. --budget rms=0.01`);
  return { metric, limit };
}

/** the row of lowest energy per sample within the budget (ties: lower error), or null */
export function withinBudget(rows: SweepRow[], budget: Budget): SweepRow | null {
  const fits = rows.filter((r) => r.ok && r[budget.metric] !== null && r[budget.metric]! <= budget.limit && r.energy_pj_per_sample !== null);
  fits.sort((a, b) => a.energy_pj_per_sample! - b.energy_pj_per_sample! || a[budget.metric]! - b[budget.metric]!);
  return fits[0] ?? null;
}

export const MEASURES = ['ok', 'reason', 'steps', 'rms', 'rms_over_range', 'max_error', 'energy_pj_per_tick', 'energy_pj_per_sample', 'wall_s_per_tick', 'cores', 'seconds'] as const;

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** one line per row: the axes (dt in seconds), the measures, and whether the row is on the Pareto front */
export function tableCsv(axes: AxisValues[], rows: SweepRow[], front: Set<string>): string {
  const names = axes.map((a) => a.axis.name);
  const head = [...names.map((n) => (AXES.find((a) => a.name === n)!.spec ? n : `${n}_s`)), ...MEASURES, 'pareto'];
  const lines = rows.map((r) => [...names.map((n) => r.config[n]), ...MEASURES.map((m) => r[m]), front.has(r.key)].map(csvCell).join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

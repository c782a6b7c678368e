// docs/results.md from the summaries of the planned runs: one table of every run (test metric
// after each epoch, energy and chip time per sample on the chip, speed, wall time), then the
// issue's comparisons computed from those numbers, each with its verdict. Pure: the caller reads
// the summaries and writes the file.
import type { TrainSummary } from '../train/driver.js';
import type { CurvePoint } from '../train/plot.js';
import type { PlannedRun } from './plan.js';

export interface RunResult {
  run: PlannedRun;
  /** null: not run (see reason) */
  summary: TrainSummary | null;
  reason: string | null;
  /** where the summary came from: the run's folder (default) or the copy kept beside the page */
  source?: 'run' | 'kept';
}

export interface PageContext {
  plan: string;
  command: string;
  machine: string;
  date: string;
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '' : `${(100 * v).toFixed(2)} %`);
const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : v.toFixed(digits));

function metricText(s: TrainSummary, v: number | null | undefined): string {
  return s.metric === 'accuracy' ? pct(v) : num(v);
}

/** the test after each epoch: per epoch (by samples seen) its last point, so tests within an epoch are left out */
export function perEpoch(s: TrainSummary): CurvePoint[] {
  const last = new Map<number, CurvePoint>();
  for (const p of s.curve) if (p.seen > 0) last.set(Math.ceil(p.seen / s.config.train), p);
  return [...last.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
}

function settingsText(s: TrainSummary): string {
  const c = s.config;
  const parts = [`${c.train}/${c.test}`, `${Math.round(c.presentation * 1e4) / 10} ms`, `dt ${Math.round(c.dt * 1e6) / 1e3} ms`, `eta ${c.eta}`];
  if (s.experiment.startsWith('mnist')) parts.push(`hidden ${c.hidden}`, `input ${c.input}`);
  if (c.interneurons) parts.push(`${c.interneurons} interneurons`);
  if (c.relaxation !== null && c.relaxation !== undefined) parts.push(`relaxation ${c.relaxation}`);
  return parts.join(', ');
}

function chipFigures(s: TrainSummary): { train: string; test: string } {
  const p = [...s.curve].reverse().find((q) => q.chip && q.chip.train_energy_uj_per_sample !== null) ?? [...s.curve].reverse().find((q) => q.chip);
  if (!p?.chip) return { train: '', test: '' };
  const c = p.chip;
  return {
    train: `${num(c.train_energy_uj_per_sample, 1)} uJ, ${num(c.train_chip_time_ms_per_sample, 2)} ms`,
    test: `${num(c.test_energy_uj_per_sample, 1)} uJ, ${num(c.test_chip_time_ms_per_sample, 2)} ms`,
  };
}

function runRow(r: RunResult): string {
  const { run, summary: s } = r;
  const where = run.backend === 'chip' ? `chip, ${run.hw}` : 'ideal';
  if (!s) return `| \`${run.id}\` | ${run.what} | ${where} | not run: ${r.reason ?? 'no summary'} | | | | | |`;
  const epochs = perEpoch(s)
    .map((p) => metricText(s, p.test_metric) + (p.alignment_angle_deg !== undefined ? ` (${num(p.alignment_angle_deg, 1)}°)` : ''))
    .join(' / ');
  const state = s.finished ? '' : ` (unfinished: ${s.samples_seen} samples)`;
  const chip = chipFigures(s);
  const speed = `${num(s.speed.train_samples_per_s, 1)} / ${num(s.speed.eval_samples_per_s, 1)}`;
  const wall = `${((s.wall_s.train + s.wall_s.eval) / 60).toFixed(1)} min`;
  return `| \`${run.id}\` | ${run.what} | ${where} | ${settingsText(s)} | ${epochs}${state} | ${chip.train} | ${chip.test} | ${speed} | ${wall} |`;
}

interface Check {
  claim: string;
  /** null: the runs it needs are missing; 'reported': a figure to report, no threshold */
  verdict: boolean | null | 'reported';
  figures: string;
  /** with verdict null: the runs whose summaries it needs */
  needs?: string[];
}

function finalOf(results: RunResult[], id: string): number | null {
  const s = results.find((r) => r.run.id === id)?.summary;
  return s?.final?.test_metric ?? null;
}

/** the issue's acceptance comparisons, computed from the runs that exist */
export function checks(results: RunResult[]): Check[] {
  const f = (id: string) => finalOf(results, id);
  const out: Check[] = [];
  const add = (claim: string, ids: string[], test: (v: number[]) => boolean | 'reported', figures: (v: number[]) => string) => {
    const v = ids.map(f);
    const needs = ids.filter((_, i) => v[i] === null);
    if (needs.length) out.push({ claim, verdict: null, figures: `needs ${needs.map((x) => `\`${x}\``).join(', ')}`, needs });
    else out.push({ claim, verdict: test(v as number[]), figures: figures(v as number[]) });
  };
  add('NLA at 100 ms within 1.5 points of the backprop baseline', ['mnist-100ms', 'mnist-backprop'], ([a, b]) => b! - a! <= 0.015, ([a, b]) => `${pct(a)} vs ${pct(b)} (${((b! - a!) * 100).toFixed(2)} points)`);
  add('NLA at 5 ms learns (well above 10 % chance)', ['mnist-5ms'], ([a]) => a! >= 0.5, ([a]) => pct(a));
  add('the ablation without lookahead does not learn at 5 ms', ['mnist-no-lookahead-5ms'], ([a]) => a! < 0.2, ([a]) => pct(a));
  add('microcircuit at least 90 %', ['mnist-microcircuit'], ([a]) => a! >= 0.9, ([a]) => pct(a));
  const mc = results.find((r) => r.run.id === 'mnist-microcircuit')?.summary;
  const angles = (mc?.curve ?? []).map((p) => p.alignment_angle_deg).filter((a): a is number => a !== undefined);
  if (angles.length >= 2) out.push({ claim: 'the alignment angle falls during training', verdict: angles[angles.length - 1]! < angles[0]!, figures: `${num(angles[0], 1)}° -> ${num(angles[angles.length - 1], 1)}°` });
  else out.push({ claim: 'the alignment angle falls during training', verdict: null, figures: 'needs `mnist-microcircuit`', needs: ['mnist-microcircuit'] });
  add('pattern completion: free neurons correlate at least 0.8 with held-out truth', ['pattern'], ([a]) => a! >= 0.8, ([a]) => num(a));
  add('on-chip training on high-precision within 1 point of the ideal model (same input)', ['chip-high-precision', 'mnist-lowpass'], ([c, i]) => i! - c! <= 0.01, ([c, i]) => `${pct(c)} vs ${pct(i)} (${((i! - c!) * 100).toFixed(2)} points)`);
  for (const hw of ['default', 'bss2-like']) add(`drop on ${hw} (reported)`, [`chip-${hw}`, 'mnist-lowpass'], () => 'reported', ([c, i]) => `${pct(c)} vs ${pct(i)} ideal: ${((i! - c!) * 100).toFixed(2)} points`);
  // the chip's microcircuit runs one epoch with the low-pass input: against the ideal run's first epoch
  const mcEpoch1 = mc?.curve.find((p) => p.seen === mc.config.train)?.test_metric ?? null;
  for (const hw of ['high-precision', 'default']) {
    const chip = results.find((r) => r.run.id === `chip-microcircuit-${hw}`)?.summary;
    const claim = `microcircuit on the chip, ${hw}, one epoch (reported)`;
    if (!chip?.final || mcEpoch1 === null) {
      const needs = [...(chip?.final ? [] : [`chip-microcircuit-${hw}`]), ...(mcEpoch1 === null ? ['mnist-microcircuit'] : [])];
      out.push({ claim, verdict: null, figures: `needs ${needs.map((x) => `\`${x}\``).join(', ')}`, needs });
    }
    else {
      const angle = chip.final.alignment_angle_deg;
      out.push({ claim, verdict: 'reported', figures: `${pct(chip.final.test_metric)}${angle !== undefined ? ` (${num(angle, 1)}°)` : ''} vs ${pct(mcEpoch1)} ideal after its first epoch (input instant)` });
    }
  }
  for (const hw of ['high-precision', 'default', 'bss2-like'])
    add(`pattern completion on the chip, ${hw} (reported)`, [`chip-pattern-${hw}`, 'pattern'], () => 'reported', ([c, i]) => `${num(c)} vs ${num(i)} ideal`);
  return out;
}

function verdictText(c: Check, thresholds: boolean, rowsWithoutSummary: Set<string>): string {
  if (c.verdict === null) return c.needs?.length && c.needs.every((id) => rowsWithoutSummary.has(id)) ? 'not judged: the summary behind the carried-over row is gone' : 'not run';
  if (c.verdict === 'reported') return 'reported';
  if (!thresholds) return '(quick plan)';
  return c.verdict ? 'yes' : '**no**';
}

/** the first cell of a markdown table row, without its backticks */
function firstCell(line: string): string | null {
  const m = /^\| (.+?) \|/.exec(line);
  return m ? m[1]!.replace(/^`(.*)`$/, '$1') : null;
}

/**
 * What an earlier version of the page knew: its run rows that had figures (by run id) and its
 * judged comparisons (by claim). A run whose summary is gone (its folder deleted, the page older
 * than the kept summaries) keeps its row rather than turning into "not run".
 */
export function previousFigures(page: string): { rows: Map<string, string>; checks: Map<string, string> } {
  const rows = new Map<string, string>();
  const checks = new Map<string, string>();
  let section = '';
  for (const line of page.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    const key = line.startsWith('| ') ? firstCell(line) : null;
    if (key === null || line.startsWith('|---')) continue;
    if (section === 'Runs' && line.startsWith('| `') && !line.includes('| not run: ')) rows.set(key, line);
    if (section === 'Comparisons' && !/\| (not run|not judged[^|]*) \|$/.test(line) && key !== 'claim') checks.set(key, line);
  }
  return { rows, checks };
}

export function resultsPage(results: RunResult[], ctx: PageContext, previousPage?: string): string {
  // the paper's thresholds mean something at the full sizes only
  const thresholds = ctx.plan === 'full';
  const previous = previousFigures(previousPage ?? '');
  const carriedRows: string[] = [];
  const rows = results.map((r) => {
    const old = r.summary ? undefined : previous.rows.get(r.run.id);
    if (old === undefined) return runRow(r);
    carriedRows.push(r.run.id);
    return old;
  });
  const carried = new Set(carriedRows);
  let carriedChecks = 0;
  const comparisons = checks(results).map((c) => {
    const old = c.verdict === null && c.needs?.every((id) => carried.has(id)) ? previous.checks.get(c.claim) : undefined;
    if (old === undefined) return `| ${c.claim} | ${c.figures} | ${verdictText(c, thresholds, carried)} |`;
    carriedChecks++;
    return old;
  });
  const kept = results.filter((r) => r.source === 'kept').map((r) => `\`${r.run.id}\``);
  const lines: string[] = [
    '# Results',
    '',
    `Written by \`${ctx.command}\` (${ctx.plan} plan, \`tools/results/plan.ts\`) on ${ctx.date}, on ${ctx.machine}.`,
    'Every figure comes from the `summary.json` of a `nla train` run that this command made or resumed;',
    'rerun it to reproduce them (finished runs are read back, interrupted ones resume from their checkpoints).',
    'A copy of each summary is kept beside this page (in the folder of the same name), so the page can be',
    'written again, or a row added, without the run folders.',
    ...(kept.length ? [`From those copies (no run folder): ${kept.join(', ')}.`] : []),
    ...(carriedRows.length
      ? [
          `Carried over unchanged from the previous version of this page (no summary for them in their run folder or among the copies): ` +
            `${carriedRows.map((id) => `\`${id}\``).join(', ')}` +
            (carriedChecks ? `, and the ${carriedChecks} comparisons made from them.` : '.') +
            ' Rerun those rows to bring them up to date.',
        ]
      : []),
    'Settings and the meaning of every column: docs/train.md.',
    '',
    '## Runs',
    '',
    '| run | what | model | train/test, presentation, dt, eta, ... | test metric after each epoch | training sample on the chip: energy, chip time | test sample on the chip | samples/s train / test | wall time |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Accuracy is the test accuracy on the fixed MNIST test split (pattern: the mean correlation of the 14 free',
    'neurons with their held-out truth); the microcircuit row shows the alignment angle in parentheses.',
    '',
    '## Comparisons',
    '',
    ...(thresholds ? [] : ['The quick plan\'s nets and slices are far too small for the paper\'s thresholds: its figures are shown, not judged.', '']),
    '| claim | figures | holds |',
    '|---|---|---|',
    ...comparisons,
    '',
  ];
  return lines.join('\n');
}

// `nla results`: the page from the runs' summaries (the comparisons judged from their numbers), a
// run of the quick plan restricted to two rows, the others shown as not run, and bad flags.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { TrainSummary } from '../../tools/train/driver.js';
import { checks, previousFigures, resultsPage, type RunResult } from '../../tools/results/page.js';
import { FULL_PLAN, QUICK_PLAN } from '../../tools/results/plan.js';
import { useCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nla-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { nla } = useCli('results-cli');

/** a summary with a final test metric (and optionally angles), enough for the page */
function summary(metric: number, angles?: number[]): TrainSummary {
  const curve = (angles ?? [0, 0]).map((a, i) => ({ seen: i * 100, epoch: i, test_metric: i ? metric : 0.1, test_loss: 0.5, train_loss: null, train_metric: null, wall_s: i, ...(angles ? { alignment_angle_deg: a } : {}) }));
  return {
    experiment: 'mnist',
    description: '',
    metric: 'accuracy',
    config: { experiment: 'mnist', backend: 'ideal', hw: null, train: 100, test: 50, epochs: 1, presentation: 0.1, dt: 1e-3, seed: 1, hidden: 20, interneurons: 0, eta: 1, input: 'instant' },
    epochs_done: 1,
    samples_seen: 100,
    finished: true,
    stopped: null,
    resumed: false,
    final: curve[curve.length - 1]!,
    best_test_metric: metric,
    curve,
    speed: { train_samples_per_s: 10, eval_samples_per_s: 20, steps_per_sample: 100, train_steps_per_s: 1000, this_call: { train_samples: 100, train_samples_per_s: 10 } },
    wall_s: { train: 10, eval: 5, this_call: 15 },
    files: { checkpoint: '', summary: '', curve: '' },
  } as TrainSummary;
}

describe('the results page', () => {
  const results = (finals: Record<string, number>, angles?: number[]): RunResult[] =>
    FULL_PLAN.map((run) => ({ run, summary: run.id in finals ? summary(finals[run.id]!, run.id === 'mnist-microcircuit' ? angles : undefined) : null, reason: run.id in finals ? null : 'no summary' }));

  test('comparisons follow the numbers: within 1.5 points holds, 2 points does not; missing runs say so', () => {
    const close = checks(results({ 'mnist-100ms': 0.93, 'mnist-backprop': 0.94 }));
    expect(close[0]).toMatchObject({ verdict: true, figures: expect.stringContaining('1.00 points') });
    const far = checks(results({ 'mnist-100ms': 0.92, 'mnist-backprop': 0.94 }));
    expect(far[0]!.verdict).toBe(false);
    expect(far.find((c) => c.claim.startsWith('microcircuit'))).toMatchObject({ verdict: null, figures: 'needs `mnist-microcircuit`' });
  });

  test('the angle must fall; chip drops are reported; the page lists every planned run', () => {
    const r = results({ 'mnist-microcircuit': 0.91, 'chip-default': 0.5, 'mnist-lowpass': 0.9, 'chip-pattern-default': 0.6, pattern: 0.86, 'chip-microcircuit-high-precision': 0.7 }, [80, 60, 40]);
    const c = checks(r);
    expect(c.find((x) => x.claim.includes('angle'))).toMatchObject({ verdict: true, figures: '80.0° -> 40.0°' });
    expect(c.find((x) => x.claim.includes('drop on default'))).toMatchObject({ verdict: 'reported', figures: expect.stringContaining('40.00 points') });
    expect(c.find((x) => x.claim.includes('pattern completion on the chip, default'))).toMatchObject({ verdict: 'reported', figures: expect.stringMatching(/^0\.60+ vs 0\.860+ ideal$/) });
    expect(c.find((x) => x.claim.includes('pattern completion on the chip, high-precision'))).toMatchObject({ verdict: null });
    expect(c.find((x) => x.claim.includes('microcircuit on the chip, high-precision'))).toMatchObject({ verdict: 'reported', figures: '70.00 % vs 91.00 % ideal after its first epoch (input instant)' });
    expect(c.find((x) => x.claim.includes('microcircuit on the chip, default'))).toMatchObject({ verdict: null });
    const rising = checks(results({ 'mnist-microcircuit': 0.91 }, [40, 60]));
    expect(rising.find((x) => x.claim.includes('angle'))!.verdict).toBe(false);
    const page = resultsPage(r, { plan: 'full', command: 'nla results', machine: 'test machine', date: '2026-01-01' });
    for (const run of FULL_PLAN) expect(page).toContain(`| \`${run.id}\` |`);
    expect(page).toContain('91.00 % (40.0°)');
    expect(page).toMatch(/\| `chip-bss2-like` \|.*not run: no summary/);
  });

  test('a run whose summary is gone keeps the row of the previous page, and the comparisons made from it', () => {
    const ctx = { plan: 'full', command: 'nla results', machine: 'test machine', date: '2026-01-01' };
    const before = resultsPage(results({ 'mnist-100ms': 0.93, 'mnist-backprop': 0.94, 'mnist-microcircuit': 0.91 }, [80, 40]), ctx);
    expect(previousFigures(before).rows.has('mnist-100ms')).toBe(true);
    expect(previousFigures(before).rows.has('chip-default')).toBe(false); // a "not run" row is not a figure
    // the microcircuit's summary is lost; a chip microcircuit run is new
    const after = resultsPage(results({ 'mnist-100ms': 0.95, 'mnist-backprop': 0.94, 'chip-microcircuit-high-precision': 0.8 }), ctx, before);
    const rowOf = (page: string, id: string) => page.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
    expect(rowOf(after, 'mnist-microcircuit')).toBe(rowOf(before, 'mnist-microcircuit'));
    expect(rowOf(after, 'mnist-100ms')).toContain('95.00 %'); // a summary wins over the old row
    expect(after).toContain('Carried over unchanged from the previous version of this page (no summary for them in their run folder or among the copies): `mnist-microcircuit`, and the 2 comparisons made from them.');
    expect(after).toMatch(/\| microcircuit at least 90 % \| 91\.00 % \| yes \|/);
    expect(after).toMatch(/\| the alignment angle falls during training \| 80\.0° -> 40\.0° \| yes \|/);
    // a new comparison that needs the lost summary cannot be made: it says why
    expect(after).toMatch(/\| microcircuit on the chip, high-precision, one epoch \(reported\) \| needs `mnist-microcircuit` \| not judged: the summary behind the carried-over row is gone \|/);
    // without a previous page nothing is carried
    expect(resultsPage(results({}), ctx)).not.toContain('Carried over');
  });
});

describe('nla results', () => {
  test('the quick plan restricted to two runs trains them and writes the page; --no-train reads them back', async () => {
    const out = join(dir, 'results.md');
    const runs = join(dir, 'runs');
    const r = await nla('results', '--plan', 'quick', '--dir', runs, '--out', out, '--only', 'mnist-backprop,chip-high-precision');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/mnist-backprop: done, test accuracy \d+\.\d\d %/);
    const page = readFileSync(out, 'utf8');
    // the backprop baseline learns far above chance even on this slice; the chip row has its energy
    const acc = Number(/\| `mnist-backprop` \|[^\n]*\| (\d+\.\d\d) % \|/.exec(page)![1]);
    expect(acc).toBeGreaterThan(30);
    expect(page).toMatch(/\| `chip-high-precision` \|[^\n]*\| \d+\.\d uJ, \d+\.\d\d ms \|/);
    expect(page).toMatch(/\| `mnist-100ms` \|.*not run: no summary in/);
    expect(page).toContain("too small for the paper's thresholds");
    const again = await nla('results', '--plan', 'quick', '--dir', runs, '--out', out, '--no-train', '--quiet');
    expect(again.code).toBe(0);
    expect(readFileSync(out, 'utf8').replace(/on \d{4}-\d\d-\d\d/, '')).toBe(page.replace(/on \d{4}-\d\d-\d\d/, '').replace(`--only mnist-backprop,chip-high-precision`, '--no-train'));
    expect(QUICK_PLAN.map((q) => q.id)).toEqual(FULL_PLAN.map((q) => q.id));
    // the copies beside the page stand in for deleted run folders
    expect(existsSync(join(dir, 'results', 'mnist-backprop.json'))).toBe(true);
    rmSync(runs, { recursive: true, force: true });
    const kept = await nla('results', '--plan', 'quick', '--dir', runs, '--out', out, '--no-train', '--quiet');
    expect(kept.code, kept.err).toBe(0);
    const fromCopies = readFileSync(out, 'utf8');
    expect(fromCopies).toContain('From those copies (no run folder): `mnist-backprop`, `chip-high-precision`.');
    expect(fromCopies.split('\n').find((l) => l.startsWith('| `mnist-backprop` |'))).toBe(page.split('\n').find((l) => l.startsWith('| `mnist-backprop` |')));
  }, 120_000);

  test('bad flags name the problem', async () => {
    const bad = await nla('results', '--plan', 'huge', '--out', join(dir, 'x.md'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--plan: use full or quick, not 'huge'/);
    const only = await nla('results', '--plan', 'quick', '--only', 'mnist-1ms', '--dir', join(dir, 'y'), '--out', join(dir, 'y.md'));
    expect(only.code).toBe(1);
    expect(only.err).toMatch(/--only: no run 'mnist-1ms' in the quick plan. Runs: mnist-100ms, /);
  });
});

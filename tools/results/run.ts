// `nla results`: trains every run of a plan in turn (each an ordinary `nla train` run in
// <dir>/<id>, so finished runs are read back and interrupted ones resume from their checkpoint),
// then writes the results page from their summaries. A run that cannot run (an experiment the
// build lacks, a preset that cannot hold the net) becomes a "not run" row with its reason.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError, UserError } from '../../compiler/common/errors.js';
import { writeFileAtomic } from '../io.js';
import { machineDescription } from '../machine.js';
import { runTraining, type TrainSummary } from '../train/driver.js';
import { resultsPage, type RunResult } from './page.js';
import { PLANS, type PlanName, type PlannedRun } from './plan.js';

export interface ResultsOptions {
  plan: PlanName;
  /** folder of the runs (one sub-folder per run id) */
  dir: string;
  /** the page (markdown) */
  out: string;
  /** where copies of the runs' summaries are kept (default: beside the page, the folder of its name) */
  kept?: string;
  /** run ids to train (default: all); the page still shows every run that has a summary */
  only?: string[];
  /** write the page from the summaries in dir without training */
  noTrain?: boolean;
  /** the command line, for the page */
  command: string;
  shouldStop?: () => boolean;
  /** one line per run as it starts and ends */
  onLine?: (line: string) => void;
  /** the running training's progress (nla train's) */
  onProgress?: (p: { done: number; total: number; status: string }) => void;
}

export interface ResultsOutcome {
  results: RunResult[];
  page: string;
  stopped: boolean;
}

/** the folder of the kept summaries of page `out`: docs/results.md keeps them in docs/results/ */
export function keptFolder(out: string): string {
  return out.endsWith('.md') ? out.slice(0, -3) : `${out}.runs`;
}

/** a summary.json of an earlier run, if there is one */
function readSummary(dir: string, name = 'summary.json'): TrainSummary | null {
  const file = join(dir, name);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TrainSummary;
  } catch (e) {
    throw new UserError(`${file}: not a readable summary (${(e as Error).message}). Delete the folder ${dir} to train that run again`);
  }
}

export async function runResults(opts: ResultsOptions): Promise<ResultsOutcome> {
  const plan: PlannedRun[] = PLANS[opts.plan];
  for (const id of opts.only ?? [])
    if (!plan.some((r) => r.id === id)) throw new UserError(`--only: no run '${id}' in the ${opts.plan} plan. Runs: ${plan.map((r) => r.id).join(', ')}`);
  const kept = opts.kept ?? keptFolder(opts.out);
  // a copy of every summary beside the page: the page can be written again without the run folders
  const keep = (id: string, summary: TrainSummary | null) => {
    if (summary) writeFileAtomic(join(kept, `${id}.json`), JSON.stringify(summary, null, 1) + '\n');
  };
  const results: RunResult[] = [];
  let stopped = false;
  for (const run of plan) {
    const dir = join(opts.dir, run.id);
    const wanted = !opts.noTrain && !stopped && (!opts.only || opts.only.includes(run.id));
    if (!wanted) {
      const summary = readSummary(dir);
      keep(run.id, summary);
      const copy = summary ? null : readSummary(kept, `${run.id}.json`);
      if (copy) results.push({ run, summary: copy, reason: null, source: 'kept' });
      else results.push({ run, summary, reason: summary ? null : stopped ? 'stopped (Ctrl-C)' : `no summary in ${dir} or ${kept}` });
      continue;
    }
    opts.onLine?.(`${run.id}: nla train ${run.experiment} --backend ${run.backend}${run.hw ? ` --hw ${run.hw}` : ''}${run.relaxation !== undefined ? ` --relaxation ${run.relaxation}` : ''} --out ${dir}`);
    try {
      const summary = await runTraining({
        experiment: run.experiment,
        settings: run.settings,
        backend: run.backend,
        hw: run.hw,
        relaxation: run.relaxation,
        out: dir,
        evalEvery: run.evalEvery ?? 0,
        checkpointEvery: 1000,
        shouldStop: opts.shouldStop,
        onProgress: opts.onProgress ? (p) => opts.onProgress!({ ...p, status: `${run.id}: ${p.status}` }) : undefined,
      });
      results.push({ run, summary, reason: null });
      keep(run.id, summary);
      if (summary.stopped === 'interrupted') stopped = true;
      const f = summary.final?.test_metric;
      opts.onLine?.(`${run.id}: ${summary.finished ? 'done' : 'stopped'}, test ${summary.metric} ${f === undefined ? '-' : summary.metric === 'accuracy' ? `${(100 * f).toFixed(2)} %` : f.toFixed(3)}`);
    } catch (e) {
      if (!isUserError(e)) throw e;
      const reason = (e as Error).message.replace(/\s*\n\s*/g, '; ');
      const summary = readSummary(dir);
      keep(run.id, summary);
      results.push({ run, summary, reason });
      opts.onLine?.(`${run.id}: not run: ${reason}`);
    }
  }
  const previous = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : undefined;
  const page = resultsPage(results, { plan: opts.plan, command: opts.command, machine: machineDescription(), date: new Date().toISOString().slice(0, 10) }, previous);
  writeFileAtomic(opts.out, page);
  return { results, page, stopped };
}

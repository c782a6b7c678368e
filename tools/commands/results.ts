// `nla results`: the paper's experiments (tools/results/plan.ts) trained in turn and docs/results.md
// written from their summaries (docs/train.md, "Results page").
import type { Command } from 'commander';
import { UserError } from '../../compiler/common/errors.js';
import { runResults } from '../results/run.js';
import { checks } from '../results/page.js';
import { PLANS, type PlanName } from '../results/plan.js';
import { trainBar } from './train.js';

interface ResultsFlags {
  plan: string;
  dir?: string;
  out: string;
  only?: string;
  train: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function registerResults(program: Command): void {
  program
    .command('results')
    .description('Train every run of the results plan (ideal and on-chip MNIST, microcircuit, pattern; resuming finished or interrupted runs) and write the results page from their summaries.')
    .option('--plan <name>', `full (the paper's sizes: hours on 2 cores) or quick (the same rows shrunk to about a minute)`, 'full')
    .option('--dir <dir>', 'folder of the runs, one sub-folder per run (default out/results-<plan>)')
    .option('--out <file>', 'the page to write', 'docs/results.md')
    .option('--only <ids>', 'train only these runs (comma-separated ids); the page shows every run that has a summary')
    .option('--no-train', 'write the page from the summaries in --dir without training')
    .option('--json', 'print the runs (id, final test metric, finished) and the comparisons as JSON on stdout')
    .option('--quiet', 'no progress bar and no per-run lines')
    .action(async (flags: ResultsFlags) => {
      if (!(flags.plan in PLANS)) throw new UserError(`--plan: use ${Object.keys(PLANS).join(' or ')}, not '${flags.plan}'`);
      const plan = flags.plan as PlanName;
      let interrupted = false;
      const onSigint = () => {
        if (interrupted) process.exit(130);
        interrupted = true;
      };
      process.on('SIGINT', onSigint);
      const talk = !flags.quiet && !flags.json;
      const bar = trainBar(talk);
      try {
        const args = ['nla results', `--plan ${plan}`, flags.dir ? `--dir ${flags.dir}` : '', flags.out !== 'docs/results.md' ? `--out ${flags.out}` : '', flags.only ? `--only ${flags.only}` : '', flags.train ? '' : '--no-train'];
        const outcome = await runResults({
          plan,
          dir: flags.dir ?? `out/results-${plan}`,
          out: flags.out,
          only: flags.only?.split(',').map((s) => s.trim()).filter(Boolean),
          noTrain: !flags.train,
          command: args.filter(Boolean).join(' '),
          shouldStop: () => interrupted,
          onProgress: bar.update,
          onLine: talk
            ? (line) => {
                bar.stop();
                process.stdout.write(line + '\n');
              }
            : undefined,
        });
        bar.stop();
        if (flags.json) {
          const runs = outcome.results.map((r) => ({ id: r.run.id, experiment: r.run.experiment, backend: r.run.backend, hw: r.run.hw ?? null, final_test_metric: r.summary?.final?.test_metric ?? null, finished: r.summary?.finished ?? false, reason: r.reason }));
          process.stdout.write(JSON.stringify({ page: flags.out, runs, comparisons: checks(outcome.results) }) + '\n');
        } else if (talk) process.stdout.write(`wrote ${flags.out}\n`);
        if (outcome.stopped) throw new UserError(`interrupted; the runs so far are in their folders and ${flags.out} shows them. Run the same command again to resume`);
      } finally {
        bar.stop();
        process.off('SIGINT', onSigint);
      }
    });
}

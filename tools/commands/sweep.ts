// `nla sweep <net> --hw <spec> --vary name=values ... --out <dir>`: the grid of hw-spec and dt
// variations on worker threads; resumes an interrupted run; writes table.csv, table.json and a
// self-contained index.html (docs/sweep.md).
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../compiler/common/errors.js';
import { loadNetwork } from '../../compiler/network/load.js';
import { progressBar } from '../progress.js';
import { grid, parseAxes } from '../sweep/axes.js';
import { parseBudget, RESULTS_FILE } from '../sweep/results.js';
import { runSweep, tableJson, type SweepResult } from '../sweep/sweep.js';
import { parseCount } from './flags.js';
import { chipBackend } from './run.js';
import { parseDurationFlag } from './simulate.js';

interface SweepFlags {
  hw: string;
  out: string;
  vary: string[];
  budget?: string;
  workers?: string;
  duration?: string;
  steps?: string;
  seed?: string;
  calibrate?: string;
  backend?: string;
  restart?: boolean;
  json?: boolean;
  quiet?: boolean;
}

const g = (x: number | null) => (x === null ? '-' : x.toPrecision(3));

function text(r: SweepResult, out: string): string {
  const t = r.table;
  const failed = t.rows.filter((x) => !x.ok);
  const lines = [`${t.rows.length} configurations: ${r.computed} computed, ${r.reused} from an earlier run, ${failed.length} not run; ${r.seconds.toFixed(1)} s`];
  for (const x of failed) lines.push(`  not run: ${x.key}: ${x.reason}`);
  lines.push('Pareto front (energy per sample, RMS error):');
  for (const key of t.pareto) {
    const x = t.rows.find((y) => y.key === key)!;
    lines.push(`  ${key.padEnd(40)} ${g(x.energy_pj_per_sample)} pJ  RMS ${g(x.rms)}`);
  }
  if (t.budget)
    lines.push(t.chosen ? `lowest energy with ${t.budget.metric} <= ${t.budget.limit}: ${t.chosen.key} (${g(t.chosen.energy_pj_per_sample)} pJ per sample, RMS ${g(t.chosen.rms)})` : `no configuration has ${t.budget.metric} <= ${t.budget.limit}`);
  lines.push(`written to ${out}/table.csv, table.json and index.html`);
  return lines.join('\n') + '\n';
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('Compile and run a network over a grid of hw-spec and dt variations on worker threads: error against the ideal model, energy and time per configuration, the Pareto front; resumes an interrupted run.')
    .argument('<network>', 'network file (.yaml, .yml or .json)')
    .requiredOption('--hw <spec>', 'base hw-spec: a preset name (default, bss2-like, high-precision) or a file')
    .requiredOption('--out <dir>', 'folder for results.json (rows as they finish), table.csv, table.json and index.html')
    .option('--vary <axis=values>', 'an axis and its values: weight_bits=4..12, adc_bits=6,8,10, dt=0.025ms,0.05ms (repeat for more axes; the grid is their product)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--budget <metric=limit>', 'print the lowest-energy configuration with rms (or rms_over_range, max) at most limit, e.g. rms=0.01')
    .option('--workers <n>', 'worker threads (default: the number of cores)')
    .option('--duration <time>', 'network time per configuration, e.g. 20ms (default: the sum of the phases)')
    .option('--steps <n>', 'ticks per configuration, whatever its dt (overrides --duration)')
    .option('--seed <n>', 'run seed of the chips: read noise and stochastic rounding', '0')
    .option('--calibrate <ticks>', 'ticks of the compiler calibration run (default as nla compile)')
    .option('--backend <name>', 'chip emulator: wasm (default) or reference (same bits, slower)', 'wasm')
    .option('--restart', 'discard the rows of an earlier run into --out instead of resuming')
    .option('--json', 'print table.json on stdout')
    .option('--quiet', 'no progress bar and no text')
    .action(async (file: string, flags: SweepFlags) => {
      const axes = parseAxes(flags.vary);
      const budget = flags.budget !== undefined ? parseBudget(flags.budget) : undefined;
      const workers = flags.workers !== undefined ? parseCount(flags.workers, '--workers') : availableParallelism();
      if (workers < 1) throw new UserError('--workers: at least 1');
      chipBackend(flags.backend); // checks the name; the workers make the chips
      const net = loadNetwork(file);
      // Ctrl-C: stop the workers; the finished rows are in results.json already
      let interrupted = false;
      let stop: (() => Promise<void>) | undefined;
      const onSigint = () => {
        interrupted = true;
        void stop?.();
      };
      process.once('SIGINT', onSigint);
      let result: SweepResult;
      try {
        result = await runSweep({
          network: { file, text: readFileSync(file, 'utf8'), ir: net },
          hw: flags.hw,
          axes,
          out: flags.out,
          steps: flags.steps !== undefined ? parseCount(flags.steps, '--steps') : undefined,
          duration: flags.duration !== undefined ? parseDurationFlag(flags.duration) : undefined,
          seed: parseCount(flags.seed ?? '0', '--seed'),
          calibrationTicks: flags.calibrate !== undefined ? parseCount(flags.calibrate, '--calibrate') : undefined,
          backend: flags.backend as 'wasm' | 'reference',
          workers,
          budget,
          restart: flags.restart,
          progress: progressBar(!flags.quiet && !flags.json, 'sweep'),
          onStart: (s) => {
            stop = s;
            if (interrupted) void s();
          },
        });
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      if (result.stopped || interrupted)
        throw new UserError(`sweep interrupted: ${result.table.rows.length} of ${grid(axes).length} configurations are done and kept in ${join(flags.out, RESULTS_FILE)}. Run the same command again to resume`);
      process.stdout.write(flags.json ? JSON.stringify({ ...JSON.parse(tableJson(result.table)), computed: result.computed, reused: result.reused }) + '\n' : flags.quiet ? '' : text(result, flags.out));
    });
}

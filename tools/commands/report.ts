// `nla report <net> --hw <spec> --out <dir>`: the network on the ideal model, as the lowered f64
// program and on the emulated chip with the same stimulus; errors level against level, lags, the
// prospectivity check, error attribution over the non-idealities, range use, accuracy, time and
// energy. Writes <dir>/summary.json and a self-contained <dir>/index.html (docs/report.md).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../compiler/common/errors.js';
import { loadNetwork } from '../../compiler/network/load.js';
import { buildReport, writeReport, type ReportSummary } from '../report/index.js';
import { progressBar } from '../progress.js';
import { replicasArgs } from '../compile/compile.js';
import { MAX_REPLICAS_HELP, parseCount, REPLICATE_HELP, replicasFlag } from './flags.js';
import { chipBackend } from './run.js';
import { parseDurationFlag } from './simulate.js';

interface ReportFlags {
  hw: string;
  out: string;
  duration?: string;
  steps?: string;
  seed?: string;
  samples?: string;
  calibrate?: string;
  kernels?: string;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
  replicate?: boolean;
  maxReplicas?: string;
}

function text(s: ReportSummary, dir: string): string {
  const out = `${s.attribution.outputs[0]}.u`;
  const c = s.comparisons.find((x) => x.key === 'chip_vs_ideal_explicit')!.probes[out]!;
  const lines = [
    `${s.network.name} on '${s.hw_spec.name}': ${s.steps} ticks (${(s.duration_s * 1e3).toPrecision(4)} ms), ${s.run_times.total_s.toFixed(1)} s`,
    `  chip vs ideal explicit on ${out}: RMS ${c.rms.toPrecision(3)} (${c.rmsOverRange?.toPrecision(3) ?? '-'} of the range), correlation ${c.correlation?.toPrecision(6) ?? '-'}`,
    `  prospective: ${s.prospectivity.verdict}`,
    '  error attribution (output RMS against the ideal explicit model):',
  ];
  for (const r of s.attribution.rows)
    lines.push(`    ${r.name.padEnd(10)} ${r.status.padEnd(15)} ${r.rms_off === null ? '' : `off ${r.rms_off.toPrecision(3)}  reduction ${r.reduction!.toPrecision(3)}  share ${r.share === null ? '-' : `${(100 * r.share).toFixed(1)}%`}`}`);
  lines.push(`  ${s.attribution.note}`);
  const a = s.accuracy;
  lines.push(a.available ? `  accuracy (${a.population}): ${a.phases.map((p) => `${p.phase} ${Object.entries(p.accuracy).map(([l, v]) => `${l} ${(100 * v).toFixed(1)}%`).join(', ')}`).join('; ')}` : `  accuracy: n/a (${a.reason})`);
  const m = s.time_energy.modes[0]!;
  lines.push(`  energy ${m.energy_pj_per_tick.total.toPrecision(4)} pJ/tick, ${m.energy_pj_per_sample.toPrecision(4)} pJ/sample; ${m.wall_s_per_tick.toPrecision(3)} s/tick wall`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  lines.push(`report written to ${dir}/index.html and ${dir}/summary.json`);
  return lines.join('\n') + '\n';
}

/** the command as given, flags in a fixed order (the summary records how it was made) */
function commandLine(file: string, flags: ReportFlags): string {
  const parts = ['nla report', file, '--hw', flags.hw, '--out', flags.out];
  for (const k of ['duration', 'steps', 'seed', 'samples', 'calibrate', 'kernels', 'backend'] as const) if (flags[k] !== undefined) parts.push(`--${k}`, flags[k]!);
  return parts.join(' ') + replicasArgs(replicasFlag(flags));
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Compare a network on the ideal model, as the lowered f64 program and on the emulated chip; attribute the error to the non-idealities; write summary.json and index.html.')
    .argument('<network>', 'network file (.yaml, .yml or .json)')
    .requiredOption('--hw <spec>', 'hw-spec: a preset name (default, bss2-like, high-precision) or a file')
    .requiredOption('--out <dir>', 'folder for summary.json, index.html, the image and the edited hw-specs')
    .option('--duration <time>', 'network time to run, e.g. 20ms (default: the sum of the phases)')
    .option('--steps <n>', 'number of ticks (overrides --duration)')
    .option('--seed <n>', 'run seed of the chips: read noise and stochastic rounding', '0')
    .option('--samples <n>', 'samples kept per signal for plots and lags (memory stays bounded)', '2000')
    .option('--calibrate <ticks>', 'ticks of the compiler calibration run (default as nla compile)')
    .option('--no-replicate', REPLICATE_HELP)
    .option('--max-replicas <k>', MAX_REPLICAS_HELP)
    .option('--kernels <backend>', 'ideal-model kernels: wasm or js (bit-identical)', 'wasm')
    .option('--backend <name>', 'chip emulator: wasm (the Wasm core) or reference (the TypeScript interpreter that defines the chip; same bits, much slower)', 'wasm')
    .option('--json', 'print summary.json on stdout')
    .option('--quiet', 'no progress bars')
    .action(async (file: string, flags: ReportFlags) => {
      if (flags.kernels !== 'wasm' && flags.kernels !== 'js') throw new UserError(`--kernels: use wasm or js, not '${flags.kernels}'`);
      const net = loadNetwork(file);
      const samples = parseCount(flags.samples ?? '2000', '--samples');
      if (samples < 16) throw new UserError(`--samples: keep at least 16 samples per signal, not ${samples}`);
      const show = !flags.quiet && !flags.json;
      const result = await buildReport(net, {
        hw: flags.hw,
        steps: flags.steps !== undefined ? parseCount(flags.steps, '--steps') : undefined,
        duration: flags.duration !== undefined ? parseDurationFlag(flags.duration) : undefined,
        seed: parseCount(flags.seed ?? '0', '--seed'),
        maxSamples: samples,
        calibrationTicks: flags.calibrate !== undefined ? parseCount(flags.calibrate, '--calibrate') : undefined,
        maxReplicas: replicasFlag(flags),
        kernels: flags.kernels,
        createChip: chipBackend(flags.backend),
        source: { file: basename(file), text: readFileSync(file, 'utf8') },
        progress: (label) => progressBar(show, label),
        command: commandLine(file, flags),
      });
      writeReport(flags.out, result);
      process.stdout.write(flags.json ? JSON.stringify(result.summary) + '\n' : flags.quiet ? '' : text(result.summary, flags.out));
    });
}

// `nla validate <file>`: check a network file (structure and meaning) and summarise it.
import type { Command } from 'commander';
import { FileProblemsError, UserError, isUserError, type Problem } from '../../compiler/common/errors.js';
import { formatDuration, loadNetwork, type NetworkIR } from '../../compiler/network/index.js';

/** A failure whose report is already on stdout (--json): the CLI exits with 1 and prints nothing more. */
export class ReportedFailure extends UserError {
  readonly reported = true;
}

export interface NetworkSummary {
  name: string;
  populations: { name: string; kind: string; size: number }[];
  neurons: number;
  projections: number;
  synapses: number;
  bias_synapses: number;
  scheme: string;
  solver: string;
  dt_s: number;
  feedforward: boolean;
  microcircuit: boolean;
  phases: { name: string; duration_s: number }[];
  probes: string[];
  source_sha256: string;
}

export function summarize(net: NetworkIR): NetworkSummary {
  const size = new Map(net.populations.map((p) => [p.name, p.size]));
  const synapses = net.projections.reduce((n, p) => n + size.get(p.from)! * size.get(p.to)! - (p.noSelf ? size.get(p.from)! : 0), 0);
  return {
    name: net.name,
    populations: net.populations.map((p) => ({ name: p.name, kind: p.kind, size: p.size })),
    neurons: net.populations.reduce((n, p) => n + p.size, 0),
    projections: net.projections.length,
    synapses,
    bias_synapses: net.populations.reduce((n, p) => n + (p.neuron.bias && p.kind !== 'input' ? p.size : 0), 0), // inputs have no bias
    scheme: net.dynamics.scheme,
    solver: net.dynamics.solver,
    dt_s: net.dynamics.dt,
    feedforward: net.feedforward,
    microcircuit: net.microcircuit,
    phases: net.phases.map((p) => ({ name: p.name, duration_s: p.duration })),
    probes: net.probes.map((p) => `${p.population}.${p.signal}`),
    source_sha256: net.sourceHash,
  };
}

export function summaryLine(file: string, s: NetworkSummary): string {
  const pops = s.populations.map((p) => `${p.name} ${p.kind} ${p.size}`).join(', ');
  const bias = s.bias_synapses ? ` + ${s.bias_synapses} bias` : '';
  const shape = `${s.feedforward ? 'feedforward' : 'recurrent'}${s.microcircuit ? ' microcircuit' : ''}`;
  return `${file}: ok, network '${s.name}': ${pops}; ${s.projections} projections, ${s.synapses} synapses${bias}; scheme ${s.scheme}, dt ${formatDuration(s.dt_s)}; ${shape}`;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a network file (YAML or JSON) against the network format and report every problem with its path and a fix.')
    .argument('<file>', 'network file (.yaml, .yml or .json)')
    .option('--json', 'print {"ok": true, "file", "summary"} or {"ok": false, "file", "problems"} on stdout')
    .action((file: string, flags: { json?: boolean }) => {
      let net: NetworkIR;
      try {
        net = loadNetwork(file);
      } catch (e) {
        if (!flags.json || !isUserError(e)) throw e;
        const problems: Problem[] = e instanceof FileProblemsError ? e.problems : [{ path: '', message: (e as Error).message, fix: '' }];
        process.stdout.write(JSON.stringify({ ok: false, file, problems }) + '\n');
        throw new ReportedFailure(`${file}: ${problems.length} problem(s)`);
      }
      const summary = summarize(net);
      process.stdout.write(flags.json ? JSON.stringify({ ok: true, file, summary }) + '\n' : summaryLine(file, summary) + '\n');
    });
}

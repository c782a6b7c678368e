// `nla simulate <net>`: run the ideal float model on the network's stimulus and protocol.
import type { Command } from 'commander';
import { SCHEMES, SIGNALS, type NetworkIR, type Probe, type Scheme, type Signal } from '../../compiler/network/index.js';
import { loadNetwork, parseDuration } from '../../compiler/network/load.js';
import { UserError } from '../../compiler/common/errors.js';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { runBackend } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { traceToCsv, traceToJson, type Trace } from '../../emulator/trace.js';
import { writeFileAtomic } from '../io.js';
import { progressBar } from '../progress.js';
import { parseCount } from './flags.js';

interface SimulateFlags {
  duration?: string;
  steps?: string;
  scheme?: string;
  solver?: string;
  record?: string;
  every?: string;
  out?: string;
  seed?: string;
  kernels?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Run the ideal float (f64) NLA model of a network file and record probes.')
    .argument('<network>', 'network file (.yaml, .yml or .json)')
    .option('--duration <time>', 'simulated time, e.g. 200ms (default: the sum of the phases)')
    .option('--steps <n>', 'number of steps of dt (overrides --duration)')
    .option('--scheme <scheme>', `integration scheme: ${SCHEMES.join(', ')}`)
    .option('--solver <solver>', 'explicit solve: auto, dense or layered')
    .option('--record <list>', `signals to record: names (${SIGNALS.join(',')}) for every population, "pop.signal", or "W" / "proj.W" for weights`)
    .option('--every <n>', 'record every n-th step', '1')
    .option('--out <file>', 'write the trace to run.json or run.csv')
    .option('--seed <n>', 'override the network seed (weights and seeded signals)')
    .option('--kernels <backend>', 'linear-algebra kernels: wasm or js (bit-identical)', 'wasm')
    .option('--json', 'machine-readable output on stdout')
    .option('--quiet', 'no progress bar')
    .action(async (file: string, flags: SimulateFlags) => {
      const net = loadNetwork(file, flags.seed !== undefined ? { seed: parseCount(flags.seed, '--seed') } : {});
      const scheme = flags.scheme as Scheme | undefined;
      if (scheme && !SCHEMES.includes(scheme)) throw new UserError(`--scheme: unknown scheme '${scheme}'. Use one of ${SCHEMES.join(', ')}`);
      const solver = flags.solver as 'auto' | 'dense' | 'layered' | undefined;
      if (solver && !['auto', 'dense', 'layered'].includes(solver)) throw new UserError(`--solver: unknown solver '${solver}'. Use auto, dense or layered`);
      if (flags.kernels !== 'wasm' && flags.kernels !== 'js') throw new UserError(`--kernels: use wasm or js, not '${flags.kernels}'`);
      const model = await createIdealModel(net, { scheme, solver, kernels: flags.kernels });
      const { probes, weights } = parseRecord(net, flags.record);
      const duration = flags.duration !== undefined ? parseDurationFlag(flags.duration) : undefined;
      const steps = flags.steps !== undefined ? parseCount(flags.steps, '--steps') : undefined;
      const bar = progressBar(!flags.quiet && !flags.json, 'simulate');
      const t0 = performance.now();
      let trace: Trace;
      try {
        trace = runBackend(model, net, { presentation: net.stimulus.presentation, dataset: mnistSplit, where: file }, {
          duration,
          steps,
          record: probes,
          recordWeights: weights,
          every: parseCount(flags.every ?? '1', '--every'),
          onProgress: bar.update,
          meta: {
            network: net.name,
            file,
            sourceHash: net.sourceHash,
            backend: 'ideal',
            scheme: model.scheme,
            solver: model.solver.kind,
            seed: net.seed,
          },
        });
      } finally {
        bar.stop();
      }
      const seconds = (performance.now() - t0) / 1000;
      const summary = {
        network: net.name,
        scheme: model.scheme,
        solver: model.solver.kind,
        steps: trace.meta.steps as number,
        simulated_s: (trace.meta.steps as number) * net.dynamics.dt,
        wall_s: seconds,
        steps_per_s: (trace.meta.steps as number) / seconds,
        out: flags.out ?? null,
        counters: model.counters(),
        final: Object.fromEntries(Object.entries(trace.probes).filter(([k]) => !k.endsWith('.W')).map(([k, v]) => [k, v[v.length - 1]])),
      };
      if (flags.out) {
        writeFileAtomic(flags.out, flags.out.endsWith('.csv') ? traceToCsv(trace) : traceToJson(trace));
      }
      if (flags.json) {
        process.stdout.write(flags.out ? JSON.stringify(summary) + '\n' : traceToJson(trace));
        return;
      }
      const fmt = (v: number[]) => v.slice(0, 8).map((x) => x.toPrecision(4)).join(' ') + (v.length > 8 ? ` ... (${v.length})` : '');
      process.stdout.write(
        `${net.name}: ${summary.steps} steps of ${net.dynamics.dt * 1e3} ms (${(summary.simulated_s * 1e3).toFixed(1)} ms simulated), ` +
          `scheme ${model.scheme}, solver ${model.solver.kind}, ${seconds.toFixed(2)} s wall, ${summary.steps_per_s.toFixed(0)} steps/s\n`,
      );
      for (const [k, v] of Object.entries(summary.final)) process.stdout.write(`  ${k} at t=${(summary.simulated_s * 1e3).toFixed(1)} ms: ${fmt(v)}\n`);
      if (flags.out) process.stdout.write(`trace written to ${flags.out}\n`);
    });
}


export function parseDurationFlag(s: string): number {
  try {
    return parseDuration(s);
  } catch {
    throw new UserError(`--duration: cannot read '${s}' as a duration. Write e.g. 200ms, 0.5s or 50us`);
  }
}

/** --record: "u,ebar" (every population where the signal exists), "out.u", "W" or "W1.W" */
export function parseRecord(net: NetworkIR, spec: string | undefined): { probes: Probe[]; weights: string[] } {
  if (!spec) return { probes: net.probes, weights: [] };
  const probes: Probe[] = [];
  const weights: string[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (item === 'W') {
      weights.push(...net.projections.map((p) => p.name));
      continue;
    }
    const dot = item.lastIndexOf('.');
    if (dot > 0) {
      const [pop, sig] = [item.slice(0, dot), item.slice(dot + 1)];
      if (sig === 'W') {
        if (!net.projections.some((p) => p.name === pop)) throw new UserError(`--record: no projection named '${pop}'. Projections: ${net.projections.map((p) => p.name).join(', ')}`);
        weights.push(pop);
        continue;
      }
      if (!net.populations.some((p) => p.name === pop)) throw new UserError(`--record: no population named '${pop}'. Populations: ${net.populations.map((p) => p.name).join(', ')}`);
      if (!SIGNALS.includes(sig as Signal)) throw new UserError(`--record: unknown signal '${sig}'. Signals: ${SIGNALS.join(', ')}`);
      probes.push({ population: pop, signal: sig as Signal });
      continue;
    }
    if (!SIGNALS.includes(item as Signal)) throw new UserError(`--record: unknown signal '${item}'. Signals: ${SIGNALS.join(', ')}, or W`);
    for (const p of net.populations) {
      if (signalValid(p.kind, item as Signal)) probes.push({ population: p.name, signal: item as Signal });
    }
  }
  return { probes, weights };
}

function signalValid(kind: string, s: Signal): boolean {
  if (kind === 'input') return s === 'rbar' || s === 'r';
  if (kind === 'interneuron') return s === 'uI';
  if (s === 'uI') return false;
  if (s === 'target') return kind === 'output';
  return true;
}

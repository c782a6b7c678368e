// `nla run <image>`: run a hardware image on the emulated chip with the stimulus and protocol of
// its network (embedded by `nla compile`, or --net), and write the same trace format as
// `nla simulate`, probe values in real units through the image's scales.
import type { Command } from 'commander';
import { UserError } from '../../compiler/common/errors.js';
import { loadImageWithBytes, imageHash, type Image } from '../../compiler/image/index.js';
import { loadNetwork, parseNetwork } from '../../compiler/network/load.js';
import type { NetworkIR, Probe, Signal } from '../../compiler/network/index.js';
import { createChip } from '../../emulator/chip/host.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';
import { runBackend } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { traceToCsv, traceToJson, type Trace } from '../../emulator/trace.js';
import { writeFileAtomic } from '../io.js';
import { progressBar } from '../progress.js';
import { parseCount } from './flags.js';
import { parseDurationFlag } from './simulate.js';

interface RunFlags {
  net?: string;
  duration?: string;
  steps?: string;
  record?: string;
  every?: string;
  out?: string;
  seed?: string;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
}

/** The network whose stimulus drives the image: --net, else the source embedded by compile. */
export function networkOf(image: Image, file: string, netFile?: string): NetworkIR {
  if (netFile) return loadNetwork(netFile);
  const text = image.metadata.networkSource;
  if (typeof text !== 'string')
    throw new UserError(`${file}: the image carries no network source (it was not made by nla compile, or by an older one). Give the network file with --net <file>`);
  const seed = image.metadata.networkSeed;
  return parseNetwork(text, `${file}#${String(image.metadata.networkFile ?? 'network.yaml')}`, typeof seed === 'number' ? { seed } : {});
}

/** The chip emulators `--backend` chooses from: the Wasm core (fast) and the TypeScript reference (the definition; bit-identical, slow). */
export const CHIP_BACKENDS = { wasm: createNodeWasmChip, reference: createChip } as const;

export function chipBackend(name = 'wasm'): (typeof CHIP_BACKENDS)[keyof typeof CHIP_BACKENDS] {
  if (name !== 'wasm' && name !== 'reference') throw new UserError(`--backend: expected ${Object.keys(CHIP_BACKENDS).join(' or ')}, got '${name}'`);
  return CHIP_BACKENDS[name];
}

/** --record for an image: "u" (every population the image probes), "pop.signal"; default: all probes */
export function imageProbes(image: Image, spec: string | undefined, file: string): Probe[] {
  const all = image.probes.map((p) => ({ population: p.population, signal: p.signal as Signal }));
  if (!spec) return all;
  const out: Probe[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const hits = all.filter((p) => `${p.population}.${p.signal}` === item || p.signal === item);
    if (!hits.length) throw new UserError(`--record: '${item}' is not probed in ${file}. Probes: ${all.map((p) => `${p.population}.${p.signal}`).join(', ')}`);
    out.push(...hits.filter((h) => !out.includes(h)));
  }
  return out;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run a hardware image on the emulated chip and record its probes (same trace format as simulate).')
    .argument('<image>', 'image file (.nlaimg)')
    .option('--net <file>', 'network file whose stimulus and protocol drive the run (default: the one compiled into the image)')
    .option('--duration <time>', 'network time to run, e.g. 200ms (default: the sum of the phases)')
    .option('--steps <n>', 'number of ticks (overrides --duration)')
    .option('--record <list>', 'probes to record: signals (u) or pop.signal; default every probe of the image')
    .option('--every <n>', 'record every n-th tick', '1')
    .option('--out <file>', 'write the trace to run.json or run.csv')
    .option('--seed <n>', 'run seed: read noise and stochastic rounding (mismatch comes from the hw-spec seed)', '0')
    .option('--backend <name>', 'chip emulator: wasm (the Wasm core) or reference (the TypeScript interpreter that defines the chip; same bits, much slower)', 'wasm')
    .option('--json', 'machine-readable output on stdout')
    .option('--quiet', 'no progress bar')
    .action((file: string, flags: RunFlags) => {
      const { image, bytes } = loadImageWithBytes(file);
      const net = networkOf(image, file, flags.net);
      if (Math.abs(net.dynamics.dt - image.header.dt) > 1e-15 * image.header.dt)
        throw new UserError(`${file}: the image ticks with dt = ${image.header.dt} s, the network file with ${net.dynamics.dt} s. Recompile the image from this network file`);
      const seed = parseCount(flags.seed ?? '0', '--seed');
      const create = chipBackend(flags.backend);
      const chip = create(image, { seed });
      const record = imageProbes(image, flags.record, file);
      const bar = progressBar(!flags.quiet && !flags.json, 'run');
      const t0 = performance.now();
      let trace: Trace;
      try {
        trace = runBackend(chip, net, { presentation: net.stimulus.presentation, dataset: mnistSplit, where: file }, {
          duration: flags.duration !== undefined ? parseDurationFlag(flags.duration) : undefined,
          steps: flags.steps !== undefined ? parseCount(flags.steps, '--steps') : undefined,
          record,
          every: parseCount(flags.every ?? '1', '--every'),
          onProgress: bar.update,
          meta: { network: net.name, image: file, imageSha256: imageHash(bytes), backend: 'chip', emulator: chip.name, hwSpec: image.header.hwSpecName, seed },
        });
      } finally {
        bar.stop();
      }
      const seconds = (performance.now() - t0) / 1000;
      const ticks = trace.meta.steps as number;
      const summary = { image: file, network: net.name, hw: image.header.hwSpecName, emulator: chip.name, ticks, simulated_s: ticks * net.dynamics.dt, wall_s: seconds, ticks_per_s: ticks / seconds, out: flags.out ?? null, counters: chip.counters() };
      if (flags.out) writeFileAtomic(flags.out, flags.out.endsWith('.csv') ? traceToCsv(trace) : traceToJson(trace));
      if (flags.json) {
        process.stdout.write(flags.out ? JSON.stringify(summary) + '\n' : traceToJson(trace));
        return;
      }
      process.stdout.write(`${net.name} on '${summary.hw}' (${chip.name}): ${ticks} ticks of ${net.dynamics.dt * 1e3} ms, ${seconds.toFixed(2)} s wall, ${summary.ticks_per_s.toFixed(0)} ticks/s\n`);
      if (flags.out) process.stdout.write(`trace written to ${flags.out}\n`);
    });
}

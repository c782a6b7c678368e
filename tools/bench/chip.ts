// Chip emulator figures: ticks per second of the Wasm core and of the TypeScript reference on the
// three examples compiled for the default preset, driven by their own stimulus and protocol
// (MNIST: the training phase, plasticity on), with the crossbar MACs and weight updates per second
// and how emulated time compares with network (biological) time. The target for the Wasm core is
// 8000 ticks/s on MNIST 784-500-10 with plasticity.
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork, type NetworkIR } from '../../compiler/network/index.js';
import type { Image } from '../../compiler/image/types.js';
import { createChip } from '../../emulator/chip/host.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';
import type { Backend } from '../../emulator/backend.js';
import { runBackend } from '../../emulator/simulate.js';
import { mnistSplit } from '../../emulator/stimulus/mnist.js';
import { compileNetwork } from '../compile/compile.js';
import { examplePath } from './paths.js';

const EXAMPLES = ['chain.yaml', 'recurrent.yaml', 'mnist.yaml'] as const;

interface Timing {
  ticks: number;
  seconds: number;
  counters: Record<string, number>;
  /** ticks/s of each chunk: on a shared VM the spread shows how much of a figure is the machine */
  rates: number[];
}

/**
 * Runs the first `chunk` ticks of the protocol (inside its first phase: MNIST's training) again
 * and again, the chip's state carrying over, until `minSeconds` have passed; a warm-up first.
 */
function time(make: () => Backend & { counters(): Record<string, number> }, net: NetworkIR, chunk: number, warmup: number, minSeconds: number): Timing {
  const ctx = { presentation: net.stimulus.presentation, dataset: mnistSplit, where: net.file };
  const chip = make();
  // V8 compiles Wasm in its baseline tier first and optimises hot functions later
  for (let done = 0; done < warmup; done += chunk) runBackend(chip, net, ctx, { steps: chunk, record: [] });
  const counters: Record<string, number> = {};
  let ticks = 0;
  let seconds = 0;
  const rates: number[] = [];
  while (seconds < minSeconds) {
    const t0 = performance.now();
    runBackend(chip, net, ctx, { steps: chunk, record: [] });
    const s = (performance.now() - t0) / 1000;
    seconds += s;
    ticks += chunk;
    rates.push(chunk / s);
    // runBackend starts the counters afresh
    for (const [k, v] of Object.entries(chip.counters())) counters[k] = (counters[k] ?? 0) + v;
  }
  return { ticks, seconds, counters, rates };
}

function describe(name: string, net: NetworkIR, t: Timing): string {
  const perS = t.ticks / t.seconds;
  const macs = (t.counters.mvm_events ?? 0) / t.seconds;
  const updates = (t.counters.outer_update_events ?? 0) / t.seconds;
  // emulated seconds per second of network time
  const ratio = t.seconds / (t.ticks * net.dynamics.dt);
  const speed = ratio < 1 ? `${(1 / ratio).toFixed(1)} x faster than` : `${ratio.toFixed(1)} x slower than`;
  return (
    `    ${name.padEnd(9)} ${perS.toFixed(perS < 100 ? 1 : 0).padStart(7)} ticks/s  ${(macs / 1e9).toFixed(3)} GMAC/s (crossbar reads)  ` +
    `${(updates / 1e9).toFixed(3)} G weight updates/s  ${speed} network time  (${t.ticks} ticks in ${t.seconds.toFixed(2)} s)` +
    spread(t.rates)
  );
}

/** the chunks' slowest, median and fastest rate, when there are enough chunks to say */
function spread(rates: number[]): string {
  if (rates.length < 5) return '';
  const r = [...rates].sort((a, b) => a - b);
  return `\n${' '.repeat(14)}chunks of the run: slowest ${r[0]!.toFixed(0)}, median ${r[r.length >> 1]!.toFixed(0)}, fastest ${r[r.length - 1]!.toFixed(0)} ticks/s`;
}

export async function benchChip(): Promise<string[]> {
  const spec = loadHwSpec('default');
  mnistSplit('train'); // load the digits before timing
  const lines: string[] = [`chip emulator, default preset, each example's own stimulus and protocol, first phase (MNIST: training, plasticity on); target: 8000 ticks/s on MNIST with plasticity`];
  for (const example of EXAMPLES) {
    const net = loadNetwork(examplePath(example));
    const image: Image = compileNetwork(net, spec).image;
    const wasm = createNodeWasmChip(image);
    const perTick = (c: Record<string, number>) => `${((c.mvm_events ?? 0) / c.ticks).toFixed(0)} MACs and ${((c.outer_update_events ?? 0) / c.ticks).toFixed(0)} weight updates per tick`;
    const phase = Math.round(net.phases[0]!.duration / net.dynamics.dt);
    const w = time(() => createNodeWasmChip(image), net, Math.min(phase, 200), 400, 2);
    const r = time(() => createChip(image), net, Math.min(phase, example === 'mnist.yaml' ? 10 : 100), 0, 1);
    lines.push(`  ${example.replace('.yaml', '')}: ${image.cores.length} core(s), dt ${net.dynamics.dt * 1e3} ms, ${perTick(w.counters)}; Wasm datapath: ${wasm.datapath.cells} cells, ${wasm.datapath.sums} line sums`);
    lines.push(describe('wasm', net, w));
    lines.push(describe('reference', net, r));
    lines.push(`    wasm / reference: ${(w.ticks / w.seconds / (r.ticks / r.seconds)).toFixed(0)} x`);
  }
  return lines;
}

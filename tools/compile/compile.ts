// Network file + hw-spec -> image: the whole pipeline with the calibration run quantize needs.
// Shared by `nla compile`, `nla report` and the tests.
import type { HwSpec } from '../../compiler/hwspec/index.js';
import type { NetworkIR } from '../../compiler/network/index.js';
import type { Image } from '../../compiler/image/types.js';
import type { Machine } from '../../compiler/ir/machine.js';
import type { Program } from '../../compiler/ir/program.js';
import { compileMachine } from '../../compiler/passes/pipeline.js';
import { quantize, type QuantizeOptions } from '../../compiler/passes/quantize.js';
import { encode } from '../../compiler/passes/encode.js';
import { createHash } from 'node:crypto';
import { calibrate } from '../../emulator/calibrate.js';

export interface CompileOptions {
  /** ticks of the calibration run (range analysis) */
  calibrationTicks?: number;
  /** most copies of a crossbar block (pass replicate; 1: off; default DEFAULT_MAX_REPLICAS) */
  maxReplicas?: number;
  probes?: string[];
  /** range choices of pass quantize for plastic networks (signal and weight growth) */
  quantize?: QuantizeOptions;
  /** the network file's text, embedded in the image so that `nla run` can replay its stimulus */
  source?: { file: string; text: string };
  onPass?: (name: string, ir: Program | Machine | Image) => void;
  /**
   * Calibration runs already made, by a digest of what they depend on (the network, the lowered
   * program, the ticks): a sweep's configurations that lower to the same program (those that vary
   * only the hw-spec's number formats, noise, mismatch or costs) share one run.
   */
  calibrations?: Map<string, ReturnType<typeof calibrate>>;
}

/** calibrate(), or the run of `cache` made for the same network, program and length */
function calibrateOnce(net: NetworkIR, program: Program, ticks: number, cache?: Map<string, ReturnType<typeof calibrate>>): ReturnType<typeof calibrate> {
  if (!cache) return calibrate(net, program, ticks);
  // typed arrays serialise as objects of their elements: every weight and initial value counts
  const key = createHash('sha256').update(JSON.stringify([net, program, ticks])).digest('hex');
  let ranges = cache.get(key);
  if (!ranges) cache.set(key, (ranges = calibrate(net, program, ticks)));
  return ranges;
}

/** the command-line flags that reproduce a replication setting ('' for the default) */
export function replicasArgs(maxReplicas: number | undefined): string {
  return maxReplicas === undefined ? '' : maxReplicas === 1 ? ' --no-replicate' : ` --max-replicas ${maxReplicas}`;
}

/**
 * Calibration length when none is given: two stimulus presentations (so inputs and their
 * low-pass filters reach their usual range), at least 200 and at most 20000 ticks (MNIST at
 * dt = 1 ms: 200; the chain at dt = tau/200: 200).
 */
export function defaultCalibrationTicks(net: NetworkIR): number {
  return Math.max(200, Math.min(20000, Math.round((2 * net.stimulus.presentation) / net.dynamics.dt)));
}

export function compileNetwork(net: NetworkIR, spec: HwSpec, opts: CompileOptions = {}): { image: Image; machine: Machine } {
  const ticks = opts.calibrationTicks ?? defaultCalibrationTicks(net);
  const machine = compileMachine(net, spec, {
    probes: opts.probes,
    maxReplicas: opts.maxReplicas,
    onPass: opts.onPass,
    annotate: (program) => quantize(program, spec, calibrateOnce(net, program, ticks, opts.calibrations), opts.quantize),
  });
  const image = encode(machine, spec, net);
  if (net.dynamics.scheme !== machine.program.scheme) {
    const note = `the network file names scheme '${net.dynamics.scheme}' (the ideal model's); the chip runs '${machine.program.scheme}'`;
    image.metadata = { ...image.metadata, warnings: [note, ...((image.metadata.warnings as string[]) ?? [])] };
  }
  if (opts.source) image.metadata = { ...image.metadata, networkFile: opts.source.file, networkSource: opts.source.text, networkSeed: net.seed };
  opts.onPass?.('encode', image);
  return { image, machine };
}

// Network file + hw-spec -> image: the whole pipeline with the calibration run quantize needs.
// Shared by `nla compile`, `nla report` and the tests.
import type { HwSpec } from '../../compiler/hwspec/index.js';
import type { NetworkIR } from '../../compiler/network/index.js';
import type { Image } from '../../compiler/image/types.js';
import type { Machine } from '../../compiler/ir/machine.js';
import type { Program } from '../../compiler/ir/program.js';
import { compileMachine } from '../../compiler/passes/pipeline.js';
import { quantize } from '../../compiler/passes/quantize.js';
import { encode } from '../../compiler/passes/encode.js';
import { calibrate } from '../../emulator/calibrate.js';

export interface CompileOptions {
  /** ticks of the calibration run (range analysis) */
  calibrationTicks?: number;
  probes?: string[];
  onPass?: (name: string, ir: Program | Machine | Image) => void;
}

export const DEFAULT_CALIBRATION_TICKS = 200;

export function compileNetwork(net: NetworkIR, spec: HwSpec, opts: CompileOptions = {}): { image: Image; machine: Machine } {
  const ticks = opts.calibrationTicks ?? DEFAULT_CALIBRATION_TICKS;
  const machine = compileMachine(net, spec, {
    probes: opts.probes,
    onPass: opts.onPass,
    annotate: (program) => quantize(program, spec, calibrate(net, program, ticks)),
  });
  const image = encode(machine, spec, net);
  opts.onPass?.('encode', image);
  return { image, machine };
}

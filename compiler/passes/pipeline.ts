// The compiler pipeline: named pure passes in one visible list, the Program IR validated after
// each. Later passes (quantize, map, place_route, schedule, encode) append here.
import type { NetworkIR } from '../network/ir.js';
import { validateProgram, type Program } from '../ir/program.js';
import { lower } from './lower.js';

export interface PipelineOptions {
  scheme?: string;
  /** called with each pass's name and output (for --dump-after) */
  onPass?: (name: string, program: Program) => void;
}

export interface Pass {
  name: string;
  run: (program: Program, net: NetworkIR) => Program;
}

/** Passes after `lower`, in order. */
export const PASSES: Pass[] = [];

export function compileProgram(net: NetworkIR, opts: PipelineOptions = {}): Program {
  let program = lower(net, { scheme: opts.scheme });
  validateProgram(program, 'lower');
  opts.onPass?.('lower', program);
  for (const pass of PASSES) {
    program = pass.run(program, net);
    validateProgram(program, pass.name);
    opts.onPass?.(pass.name, program);
  }
  return program;
}

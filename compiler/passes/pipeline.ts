// The compiler pipeline: named pure passes in one visible list, the IR validated after each.
//   lower       Network IR -> Program IR (one tick of the implicit scheme as vector ops)
//   quantize    Program -> Program + fixed-point formats and scales (range analysis)
//   map         Program -> Program + slices and crossbar blocks
//   place_route Program -> Machine (cores, routes with delays, per-core tasks)
//   replicate   Machine -> Machine (small-fan-in blocks written k times, their inputs tiled k times)
//   schedule    Machine -> Machine + task order, barriers, addresses
//   encode      Machine -> Image (instructions, weight codes, tables, maps)
import type { NetworkIR } from '../network/ir.js';
import type { HwSpec } from '../hwspec/index.js';
import { validateProgram, type Program } from '../ir/program.js';
import { validateMachine, type Machine } from '../ir/machine.js';
import { lower, type LowerOptions } from './lower.js';
import { UserError } from '../common/errors.js';
import { map } from './map.js';
import { placeRoute, type PlaceOptions } from './place-route.js';
import { replicate, type ReplicateOptions } from './replicate.js';
import { schedule } from './schedule.js';

export interface PipelineOptions {
  scheme?: string;
  std?: LowerOptions['std'];
  /** called with each pass's name and output (for --dump-after) */
  onPass?: (name: string, ir: Program | Machine) => void;
}

export const PASS_NAMES = ['lower', 'quantize', 'map', 'place_route', 'replicate', 'schedule', 'encode'] as const;
export type PassName = (typeof PASS_NAMES)[number];

/** lower only: the program the f64 interpreter checks against the ideal model */
export function compileProgram(net: NetworkIR, opts: PipelineOptions = {}): Program {
  const program = lower(net, { scheme: opts.scheme, std: opts.std });
  validateProgram(program, 'lower');
  opts.onPass?.('lower', program);
  return program;
}

export interface MachineOptions extends PipelineOptions, PlaceOptions, ReplicateOptions {
  /** applied between lower and map (quantize) */
  annotate?: (program: Program) => Program;
}

/** The scheme the chip runs for a network: Latent Equilibrium if the file asks for it, else the
 * implicit form (whatever scheme the file names for the ideal model). */
export function chipScheme(net: NetworkIR): 'implicit' | 'le' {
  return net.dynamics.scheme === 'le' ? 'le' : 'implicit';
}

/** Depressing synapses on the top-down rows when the chip has them and a microcircuit asks for
 * them (activation 'std'); their parameters must lie in the ranges the chip can set. */
export function stdRows(net: NetworkIR, spec: HwSpec): 'none' | 'pool' {
  const users = net.microcircuit ? net.populations.filter((p) => p.neuron.activation === 'std') : [];
  if (!users.length || !spec.std.enabled) return 'none';
  for (const p of users) {
    const { stdA: a, stdD: d } = p.neuron;
    if (a < spec.std.a.min || a > spec.std.a.max || d < spec.std.d.min || d > spec.std.d.max)
      throw new UserError(
        `population '${p.name}': STD parameters a = ${a}, d = ${d} are outside what the depressing synapses of hw-spec '${spec.name}' can be set to (a in [${spec.std.a.min}, ${spec.std.a.max}], d in [${spec.std.d.min}, ${spec.std.d.max}]). Change neuron.std_a / std_d or the spec's std ranges`,
      );
  }
  return 'pool';
}

/** lower, (quantize), map, place_route, replicate (needs quantize), schedule */
export function compileMachine(net: NetworkIR, spec: HwSpec, opts: MachineOptions = {}): Machine {
  let program = compileProgram(net, { ...opts, scheme: opts.scheme ?? chipScheme(net), std: opts.std ?? stdRows(net, spec) });
  if (opts.annotate) {
    program = opts.annotate(program);
    validateProgram(program, 'quantize');
    opts.onPass?.('quantize', program);
  }
  program = map(program, spec);
  validateProgram(program, 'map');
  opts.onPass?.('map', program);
  let machine = placeRoute(program, spec, opts);
  validateMachine(machine, 'place_route');
  opts.onPass?.('place_route', machine);
  machine = replicate(machine, spec, { maxReplicas: opts.maxReplicas });
  validateMachine(machine, 'replicate');
  opts.onPass?.('replicate', machine);
  machine = schedule(machine, spec);
  validateMachine(machine, 'schedule');
  opts.onPass?.('schedule', machine);
  return machine;
}

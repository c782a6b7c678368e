// Flag values shared by the commands.
import { UserError } from '../../compiler/common/errors.js';
import { checkMaxReplicas } from '../../compiler/passes/replicate.js';

/** --no-replicate / --max-replicas <k>: the most copies of a crossbar block (1: off); undefined: the default */
export function replicasFlag(flags: { replicate?: boolean; maxReplicas?: string }): number | undefined {
  if (flags.replicate === false) {
    if (flags.maxReplicas !== undefined && flags.maxReplicas !== '1') throw new UserError(`--no-replicate and --max-replicas ${flags.maxReplicas} contradict each other: give one`);
    return 1;
  }
  if (flags.maxReplicas === undefined) return undefined;
  return checkMaxReplicas(parseCount(flags.maxReplicas, '--max-replicas'), '--max-replicas');
}

export const REPLICATE_HELP = 'do not copy small-fan-in crossbar blocks into idle rows (pass replicate; docs/compiler.md)';
export const MAX_REPLICAS_HELP = 'most copies of a crossbar block the pass replicate may write, a power of two (default 32; 1 = --no-replicate)';

/** a non-negative integer flag value */
export function parseCount(s: string, flag: string): number {
  if (!/^\d+$/.test(s)) throw new UserError(`${flag}: expected a non-negative integer, got '${s}'`);
  return Number(s);
}

// Flag values shared by the commands.
import { UserError } from '../../compiler/common/errors.js';

/** a non-negative integer flag value */
export function parseCount(s: string, flag: string): number {
  if (!/^\d+$/.test(s)) throw new UserError(`${flag}: expected a non-negative integer, got '${s}'`);
  return Number(s);
}

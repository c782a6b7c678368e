import { UserError } from '../common/errors.js';

/** An instruction, instruction word or table entry that breaks the ISA (bad operand, unknown opcode, reserved bits). */
export class IsaError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'IsaError';
  }
}

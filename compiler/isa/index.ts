// Public API of compiler/isa: the instruction table (types, lookups, operand kinds, cost classes
// and the cost model), its self-check, the binary codec and the assembly text. The emulator's
// Wasm core gets the same table through the generated assembly/isa.generated.ts.
export * from './table.js';
export { IsaError } from './errors.js';
export { checkTable } from './check.js';
export {
  type Layout,
  layoutOf,
  fieldMask,
  wordsOf,
  wordOffsets,
  describeField,
  fieldValueProblem,
  instrProblems,
  checkInstr,
  encode,
  encodeWords,
  decode,
  encodeProgram,
  decodeProgram,
  wordsToBytes,
  bytesToWords,
} from './codec.js';
export {
  type AsmProblem,
  AsmError,
  type OperandToken,
  classifyOperand,
  operandText,
  syntaxOf,
  exampleOf,
  print,
  parse,
  type SourceLocation,
  MAX_CORE_INDEX,
  assemble,
  disassemble,
} from './asm.js';

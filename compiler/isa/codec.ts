// Binary encoding of instructions, derived from the table (no per-instruction code).
// An instruction of n words is the integer sum(word[k] << 64k); programs are word arrays,
// little-endian bytes in images.
import { closest } from '../common/messages.js';
import { IsaError } from './errors.js';
import {
  ENCODING,
  type FieldSpec,
  fieldRange,
  type Instr,
  instrWords,
  type InstrSpec,
  KIND_INFO,
  type LooseInstr,
  MNEMONICS,
  specByMnemonic,
  specByOpcode,
} from './table.js';

const WORD_BITS = BigInt(ENCODING.wordBits);
const WORD_MASK = (1n << WORD_BITS) - 1n;
const OPC_LSB = BigInt(ENCODING.opcode.lsb);
const OPC_MASK = (1n << BigInt(ENCODING.opcode.width)) - 1n;
const CONT_LSB = BigInt(ENCODING.continuation.lsb);
const CONT_MASK = (1n << BigInt(ENCODING.continuation.width)) - 1n;
const CONT_VALUE = BigInt(ENCODING.continuation.value);

// ---------------------------------------------------------------------------------------------
// Layouts (precomputed masks per instruction)
// ---------------------------------------------------------------------------------------------

/** Where an instruction's bits are. */
export interface Layout {
  spec: InstrSpec;
  words: number;
  /** every bit the instruction defines: opcode, fields, continuation markers */
  used: bigint;
  /** the bits that are the same in every encoding of the instruction: opcode and continuation markers */
  fixedMask: bigint;
  /** their values */
  fixed: bigint;
}

const layouts = new Map<InstrSpec, Layout>();

/** The bits of a field within the instruction integer. */
export function fieldMask(f: FieldSpec): bigint {
  return ((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb);
}

export function layoutOf(spec: InstrSpec): Layout {
  let l = layouts.get(spec);
  if (!l) {
    const words = instrWords(spec);
    let fixed = BigInt(spec.opcode) << OPC_LSB;
    let fixedMask = OPC_MASK << OPC_LSB;
    for (let w = 1; w < words; w++) {
      const at = CONT_LSB + BigInt(w - 1) * WORD_BITS;
      fixed |= CONT_VALUE << at;
      fixedMask |= CONT_MASK << at;
    }
    let used = fixedMask;
    for (const f of spec.fields) used |= fieldMask(f);
    l = { spec, words, used, fixedMask, fixed };
    layouts.set(spec, l);
  }
  return l;
}

/** Number of words of the instruction with this mnemonic. */
export function wordsOf(instr: Instr | LooseInstr): number {
  const spec = specByMnemonic(instr.op);
  if (!spec) throw unknownMnemonic(instr.op);
  return layoutOf(spec).words;
}

/** Word offset of every instruction, and the total length in words. */
export function wordOffsets(instrs: readonly (Instr | LooseInstr)[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let at = 0;
  for (const i of instrs) {
    offsets.push(at);
    const spec = specByMnemonic(i.op);
    at += spec ? layoutOf(spec).words : 1;
  }
  return { offsets, total: at };
}

// ---------------------------------------------------------------------------------------------
// Operand checks (shared with the assembler and the program checker)
// ---------------------------------------------------------------------------------------------

/** "Did you mean 'vadd'?" for a misspelt mnemonic, else the list of all of them. */
export function didYouMeanMnemonic(name: string): string {
  const near = closest(name, MNEMONICS);
  return near ? `Did you mean '${near}'?` : `Known instructions: ${MNEMONICS.join(', ')}.`;
}

export function unknownMnemonic(op: unknown): IsaError {
  const name = String(op);
  return new IsaError(`unknown instruction '${name}'. ${didYouMeanMnemonic(name)}`);
}

/** How a field is described in messages: `len` (12-bit unsigned, 0..4095). */
export function describeField(f: FieldSpec): string {
  const { min, max } = fieldRange(f);
  return `'${f.name}' (${KIND_INFO[f.kind].meaning}, ${f.width}-bit ${f.signed ? 'signed' : 'unsigned'}, ${min}..${max})`;
}

/** Why `value` cannot go into field `f`, or undefined if it can. */
export function fieldValueProblem(f: FieldSpec, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `must be an integer, got ${typeof value === 'number' ? value : JSON.stringify(value) ?? String(value)}`;
  const { min, max } = fieldRange(f);
  if (value < min || value > max) return `${value} does not fit: allowed ${min}..${max} (${f.width}-bit ${f.signed ? 'signed' : 'unsigned'})`;
  return undefined;
}

/** Every problem of an instruction object against the table (unknown op, missing, extra, out-of-range fields). */
export function instrProblems(instr: unknown): string[] {
  if (typeof instr !== 'object' || instr === null) return [`an instruction must be an object with 'op', got ${String(instr)}`];
  const o = instr as Record<string, unknown>;
  const spec = typeof o.op === 'string' ? specByMnemonic(o.op) : undefined;
  if (!spec) return [unknownMnemonic(o.op).message];
  const problems: string[] = [];
  for (const f of spec.fields) {
    if (!(f.name in o)) problems.push(`${spec.mnemonic}: missing field ${describeField(f)}`);
    else {
      const p = fieldValueProblem(f, o[f.name]);
      if (p) problems.push(`${spec.mnemonic}: field ${describeField(f)} ${p}`);
    }
  }
  const names = new Set(spec.fields.map((f) => f.name));
  for (const k of Object.keys(o)) {
    if (k !== 'op' && !names.has(k)) {
      const list = spec.fields.length ? spec.fields.map((f) => f.name).join(', ') : 'none';
      problems.push(`${spec.mnemonic}: has no field '${k}' (its fields: ${list})`);
    }
  }
  return problems;
}

/** The spec of a valid instruction; throws IsaError listing every problem otherwise. */
export function checkInstr(instr: Instr | LooseInstr): InstrSpec {
  const problems = instrProblems(instr);
  if (problems.length) throw new IsaError(problems.join('; '));
  return specByMnemonic(instr.op)!;
}

// ---------------------------------------------------------------------------------------------
// encode / decode
// ---------------------------------------------------------------------------------------------

/** The instruction as one integer: word k in bits [64k, 64k + 64). */
export function encode(instr: Instr | LooseInstr): bigint {
  const spec = checkInstr(instr);
  let v = layoutOf(spec).fixed;
  for (const f of spec.fields) {
    const x = BigInt((instr as LooseInstr)[f.name] as number);
    v |= (BigInt.asUintN(f.width, x)) << BigInt(f.lsb);
  }
  return v;
}

/** The instruction's words, first word first. */
export function encodeWords(instr: Instr | LooseInstr): bigint[] {
  const v = encode(instr);
  const n = wordsOf(instr);
  return Array.from({ length: n }, (_, k) => (v >> (BigInt(k) * WORD_BITS)) & WORD_MASK);
}

function hex(v: bigint | number, digits = 2): string {
  return `0x${v.toString(16).padStart(digits, '0')}`;
}

function bitList(mask: bigint): string {
  const bits: number[] = [];
  for (let i = 0; mask >> BigInt(i) !== 0n; i++) if ((mask >> BigInt(i)) & 1n) bits.push(i);
  const shown = bits.slice(0, 8).join(', ');
  return bits.length > 8 ? `${shown}, ... (${bits.length} bits)` : shown;
}

/**
 * Decode one instruction from its integer (word k in bits [64k, 64k + 64)). Throws IsaError for
 * an unknown opcode, a missing or wrong continuation word, or reserved bits that are set.
 */
export function decode(word: bigint): Instr {
  if (typeof word !== 'bigint') throw new IsaError(`decode expects a bigint, got ${typeof word}`);
  if (word < 0n) throw new IsaError(`instruction word ${word} is negative`);
  const op = Number((word >> OPC_LSB) & OPC_MASK);
  const spec = specByOpcode(op);
  if (!spec) {
    const why =
      op === 0
        ? ' (0x00 is reserved so that an all-zero word traps)'
        : op === ENCODING.continuation.value
          ? ' (0xff marks the second word of a two-word instruction: a jump or the decoder landed inside one)'
          : '';
    throw new IsaError(`unknown opcode ${hex(op)} in word ${hex(word & WORD_MASK, 16)}${why}`);
  }
  const l = layoutOf(spec);
  const top = BigInt(l.words) * WORD_BITS;
  if (word >> top !== 0n) {
    throw new IsaError(`${spec.mnemonic} is ${l.words} word${l.words > 1 ? 's' : ''} long, but bits at ${top} and above are set`);
  }
  for (let w = 1; w < l.words; w++) {
    const at = CONT_LSB + BigInt(w - 1) * WORD_BITS;
    const marker = (word >> at) & CONT_MASK;
    if (marker !== CONT_VALUE) {
      throw new IsaError(`word ${w + 1} of ${spec.mnemonic} must start with the continuation marker ${hex(CONT_VALUE)}, found ${hex(marker)} (truncated or misaligned program?)`);
    }
  }
  const reserved = word & ~l.used;
  if (reserved !== 0n) {
    const list = bitList(reserved);
    throw new IsaError(`${spec.mnemonic}: reserved bits must be 0, but ${list.includes(',') ? `bits ${list} are` : `bit ${list} is`} set (a newer encoding, or a corrupted program?)`);
  }
  const out: Record<string, string | number> = { op: spec.mnemonic };
  for (const f of spec.fields) {
    const raw = (word >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n);
    out[f.name] = Number(f.signed ? BigInt.asIntN(f.width, raw) : raw);
  }
  return out as unknown as Instr;
}

// ---------------------------------------------------------------------------------------------
// Programs
// ---------------------------------------------------------------------------------------------

/** The words of a program (each instruction's words in order). */
export function encodeProgram(instrs: readonly (Instr | LooseInstr)[]): bigint[] {
  const words: bigint[] = [];
  instrs.forEach((ins, k) => {
    try {
      words.push(...encodeWords(ins));
    } catch (e) {
      if (e instanceof IsaError) throw new IsaError(`instruction ${k}: ${e.message}`);
      throw e;
    }
  });
  return words;
}

/** Decode a whole program; errors name the word index. */
export function decodeProgram(words: readonly bigint[] | BigUint64Array): Instr[] {
  const wordAt = (k: number): bigint => {
    const w: unknown = words[k];
    if (typeof w !== 'bigint' || w < 0n || w > WORD_MASK) {
      throw new IsaError(`word ${k}: a program word is an unsigned 64-bit bigint, got ${typeof w === 'bigint' ? w : typeof w}`);
    }
    return w;
  };
  const out: Instr[] = [];
  let k = 0;
  while (k < words.length) {
    const spec = specByOpcode(Number((wordAt(k) >> OPC_LSB) & OPC_MASK));
    // an unknown opcode is decoded as one word so that decode() reports it
    const n = spec ? layoutOf(spec).words : 1;
    if (k + n > words.length) {
      throw new IsaError(`word ${k}: ${spec!.mnemonic} needs ${n} words but the program ends after ${words.length - k} (truncated program?)`);
    }
    let v = 0n;
    for (let j = 0; j < n; j++) v |= wordAt(k + j) << (BigInt(j) * WORD_BITS);
    try {
      out.push(decode(v));
    } catch (e) {
      if (e instanceof IsaError) throw new IsaError(`word ${k}: ${e.message}`);
      throw e;
    }
    k += n;
  }
  return out;
}

/** Words as little-endian bytes (the image format). */
export function wordsToBytes(words: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 8);
  const view = new DataView(bytes.buffer);
  words.forEach((w, k) => view.setBigUint64(k * 8, BigInt.asUintN(64, w), true));
  return bytes;
}

/** Little-endian bytes to words; the length must be a multiple of 8. */
export function bytesToWords(bytes: Uint8Array): bigint[] {
  if (bytes.length % 8 !== 0) throw new IsaError(`a program is a whole number of 8-byte words, got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 8 }, (_, k) => view.getBigUint64(k * 8, true));
}


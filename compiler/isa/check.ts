// The table's self-check: everything derived from the table (codec, assembler, the Wasm core's
// field extractors, the cost model) relies on these properties, so they are checked on the
// table itself rather than discovered as a wrong decode. tests/isa/table.test.ts runs it on the
// real table and on broken copies; tools/gen-isa.ts refuses to generate from a broken table.
import { fieldMask, layoutOf } from './codec.js';
import {
  COST_CLASSES,
  type CostClass,
  ENCODING,
  type FieldSpec,
  formulaNames,
  instrWords,
  type InstrSpec,
  KIND_INFO,
  parseFormula,
  SPECS,
} from './table.js';

const WORD = ENCODING.wordBits;

function bitsMask(lsb: number, width: number): bigint {
  return ((1n << BigInt(width)) - 1n) << BigInt(lsb);
}

/** The opcode and the continuation markers of an instruction of `words` words, by name. */
function fixedParts(words: number): { name: string; mask: bigint }[] {
  const parts = [{ name: 'the opcode', mask: bitsMask(ENCODING.opcode.lsb, ENCODING.opcode.width) }];
  for (let w = 1; w < words; w++) {
    parts.push({ name: `the continuation marker of word ${w + 1}`, mask: bitsMask(ENCODING.continuation.lsb + (w - 1) * WORD, ENCODING.continuation.width) });
  }
  return parts;
}

function checkEncodingConstants(): string[] {
  const problems: string[] = [];
  const { opcode, continuation, reservedOpcodes } = ENCODING;
  // a continuation word must read as a reserved opcode, so that a decoder that lands inside a
  // two-word instruction traps instead of decoding a different instruction
  if (continuation.lsb % WORD !== opcode.lsb || continuation.width !== opcode.width) {
    problems.push('the continuation marker must sit where the opcode sits, one word later, with the same width');
  }
  if (!(reservedOpcodes as readonly number[]).includes(continuation.value)) problems.push(`the continuation marker 0x${continuation.value.toString(16)} must be a reserved opcode`);
  return problems;
}

function checkFields(spec: InstrSpec): string[] {
  const problems: string[] = [];
  const at = (f: FieldSpec) => `${spec.mnemonic}.${f.name}`;
  const seen = new Set<string>();
  const words = instrWords(spec);
  const taken = fixedParts(words);
  for (const f of spec.fields) {
    if (f.name === 'op' || seen.has(f.name)) problems.push(`${at(f)}: field names must be unique and not 'op'`);
    seen.add(f.name);
    if (!Number.isInteger(f.width) || f.width < 1 || f.width > ENCODING.maxFieldWidth) problems.push(`${at(f)}: width ${f.width} is not 1..${ENCODING.maxFieldWidth}`);
    if (!Number.isInteger(f.lsb) || f.lsb < 0 || f.lsb + f.width > ENCODING.maxWords * WORD) problems.push(`${at(f)}: bits [${f.lsb}, ${f.lsb + f.width}) do not fit in ${ENCODING.maxWords} words`);
    if (Math.floor(f.lsb / WORD) !== Math.floor((f.lsb + f.width - 1) / WORD)) problems.push(`${at(f)}: bits [${f.lsb}, ${f.lsb + f.width}) cross a word boundary`);
    if (f.signed !== KIND_INFO[f.kind].signed) problems.push(`${at(f)}: signedness differs from its kind '${f.kind}'`);
    const mask = fieldMask(f);
    for (const t of taken) if (mask & t.mask) problems.push(`${at(f)}: overlaps ${t.name}`);
    taken.push({ name: `field '${f.name}'`, mask });
  }
  return problems;
}

function checkFormulas(spec: InstrSpec): string[] {
  const problems: string[] = [];
  const fields = new Map(spec.fields.map((f) => [f.name, f]));
  const names = (where: string, text: string): void => {
    try {
      for (const n of formulaNames(parseFormula(text))) if (!fields.has(n)) problems.push(`${spec.mnemonic}: ${where} '${text}' names '${n}', which is not one of its fields`);
    } catch (e) {
      problems.push(`${spec.mnemonic}: ${where}: ${(e as Error).message}`);
    }
  };
  const fieldOfKind = (where: string, name: string, kinds: readonly string[]): void => {
    const f = fields.get(name);
    if (!f || !kinds.includes(f.kind)) problems.push(`${spec.mnemonic}: ${where} '${name}' must be a field of kind ${kinds.join(' or ')}`);
  };
  for (const [cls, text] of Object.entries(spec.charges)) {
    if (!COST_CLASSES.includes(cls as CostClass)) problems.push(`${spec.mnemonic}: charges unknown cost class '${cls}'`);
    names(`charge of ${cls}`, text);
  }
  if (Object.keys(spec.charges).length === 0) problems.push(`${spec.mnemonic}: charges no cost class (every instruction costs at least its issue)`);
  for (const v of spec.vectors) {
    fieldOfKind('vector address', v.addr, ['vaddr']);
    if (typeof v.len === 'string') names('vector length', v.len);
  }
  if (spec.crossbar) {
    const { row, col, rows, cols } = spec.crossbar;
    fieldOfKind('crossbar row', row, ['xrow']);
    fieldOfKind('crossbar column', col, ['xcol']);
    for (const n of [rows, cols]) fieldOfKind('crossbar extent', n, ['len']);
  }
  const flow = spec.flow;
  if (flow?.kind === 'jump' || flow?.kind === 'branch') fieldOfKind('jump target', flow.target, ['target']);
  if (flow?.kind === 'loop') {
    fieldOfKind('loop count', flow.count, ['count']);
    fieldOfKind('loop end', flow.end, ['target']);
  }
  return problems;
}

/** Two instructions whose fixed bits agree wherever both are fixed could decode the same word. */
function checkNoOverlappingEncodings(specs: readonly InstrSpec[]): string[] {
  const problems: string[] = [];
  const layouts = specs.map(layoutOf);
  for (let i = 0; i < layouts.length; i++) {
    for (let j = i + 1; j < layouts.length; j++) {
      const [p, q] = [layouts[i]!, layouts[j]!];
      const both = p.fixedMask & q.fixedMask;
      if (((p.fixed ^ q.fixed) & both) === 0n) problems.push(`${p.spec.mnemonic} and ${q.spec.mnemonic}: some words decode as both`);
    }
  }
  return problems;
}

/** Every way `specs` breaks the rules the derived code relies on; [] for a sound table. */
export function checkTable(specs: readonly InstrSpec[] = SPECS): string[] {
  const problems = checkEncodingConstants();
  const mnemonics = new Set<string>();
  const opcodes = new Map<number, string>();
  const opcodeLimit = 2 ** ENCODING.opcode.width;
  for (const spec of specs) {
    // the assembler reads mnemonics case-insensitively and prints them in lower case
    if (!/^[a-z][a-z0-9]*(\.[a-z0-9]+)*$/.test(spec.mnemonic)) problems.push(`'${spec.mnemonic}': a mnemonic is lower-case letters and digits, dot-separated`);
    if (mnemonics.has(spec.mnemonic)) problems.push(`${spec.mnemonic}: defined twice`);
    mnemonics.add(spec.mnemonic);
    const other = opcodes.get(spec.opcode);
    if (other !== undefined) problems.push(`${spec.mnemonic}: opcode 0x${spec.opcode.toString(16)} is also ${other}'s`);
    opcodes.set(spec.opcode, spec.mnemonic);
    if (!Number.isInteger(spec.opcode) || spec.opcode < 0 || spec.opcode >= opcodeLimit) problems.push(`${spec.mnemonic}: opcode ${spec.opcode} is not 0..${opcodeLimit - 1}`);
    if ((ENCODING.reservedOpcodes as readonly number[]).includes(spec.opcode)) problems.push(`${spec.mnemonic}: opcode 0x${spec.opcode.toString(16)} is reserved`);
    problems.push(...checkFields(spec), ...checkFormulas(spec));
  }
  return [...problems, ...checkNoOverlappingEncodings(specs)];
}

// fast-check generators of valid instructions and programs, straight from the table: a new
// instruction is covered by every property test without touching the tests.
import fc from 'fast-check';
import { fieldRange, type FieldSpec, type Instr, type InstrSpec, SPECS, wordOffsets } from '../../compiler/isa/index.js';

/** Any value of the field, with its extremes (and 0, -1, 1) drawn often. */
export function fieldValue(f: FieldSpec): fc.Arbitrary<number> {
  const { min, max } = fieldRange(f);
  const edges = [min, max, 0, 1, -1].filter((v) => v >= min && v <= max);
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...edges) }, { weight: 3, arbitrary: fc.integer({ min, max }) });
}

export function instrOf(spec: InstrSpec): fc.Arbitrary<Instr> {
  const fields: Record<string, fc.Arbitrary<number>> = {};
  for (const f of spec.fields) fields[f.name] = fieldValue(f);
  return fc.record(fields).map((values) => ({ op: spec.mnemonic, ...values }) as unknown as Instr);
}

export const anyInstr: fc.Arbitrary<Instr> = fc.oneof(...SPECS.map(instrOf));

/**
 * A program whose jump, branch and loop targets mostly land on instruction boundaries (so the
 * disassembler writes labels), sometimes anywhere (written as `$address`).
 */
export const program: fc.Arbitrary<Instr[]> = fc
  .tuple(fc.array(anyInstr, { maxLength: 12 }), fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }))
  .map(([instrs, picks, onBoundary]) => {
    const { offsets, total } = wordOffsets(instrs);
    const boundaries = [...offsets, total];
    return instrs.map((ins, k) => {
      const spec = SPECS.find((s) => s.mnemonic === ins.op)!;
      const out: Record<string, string | number> = { ...ins };
      for (const f of spec.fields) if (f.kind === 'target' && onBoundary[k]) out[f.name] = boundaries[picks[k]! % boundaries.length]!;
      return out as unknown as Instr;
    });
  });

/** One program per core, cores 0 .. n-1. */
export const programs: fc.Arbitrary<Instr[][]> = fc.array(program, { maxLength: 4 });

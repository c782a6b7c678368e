// The ISA table checks itself (compiler/isa/check.ts), on the real table and on broken copies
// that show each rule is enforced; the cost classes are the hw-spec's cost keys; costOf prices
// instructions with a hw-spec.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { packageRoot } from '../../compiler/common/package-root.js';
import { loadHwSpec, presetNames } from '../../compiler/hwspec/index.js';
import {
  chargeCounts,
  checkTable,
  COST_CLASSES,
  costOf,
  type FieldSpec,
  type Instr,
  type InstrSpec,
  IsaError,
  OPCODES,
  parseFormula,
  SPECS,
  specByMnemonic,
} from '../../compiler/isa/index.js';

const spec = (m: string): InstrSpec => specByMnemonic(m)!;
/** A copy of the table with one instruction replaced. */
const withChanged = (m: string, change: Partial<InstrSpec>): InstrSpec[] => SPECS.map((s) => (s.mnemonic === m ? { ...s, ...change } : s));
const withField = (m: string, name: string, change: Partial<FieldSpec>): InstrSpec[] =>
  withChanged(m, { fields: spec(m).fields.map((f) => (f.name === name ? { ...f, ...change } : f)) });

describe('the table checks itself', () => {
  test('the real table is sound', () => {
    expect(checkTable()).toEqual([]);
  });

  test.each([
    ['two instructions share an opcode', withChanged('vsub', { opcode: 0x13 }), /opcode 0x13 is also vadd's/],
    ['a reserved opcode is used', withChanged('nop', { opcode: 0x00 }), /nop: opcode 0x0 is reserved/],
    ['the continuation marker is used as an opcode', withChanged('nop', { opcode: 0xff }), /nop: opcode 0xff is reserved/],
    ['an opcode does not fit its field', withChanged('nop', { opcode: 0x100 }), /nop: opcode 256 is not 0..255/],
    ['a mnemonic is defined twice', withChanged('vsub', { mnemonic: 'vadd' }), /vadd: defined twice/],
    ['two fields overlap', withField('vadd', 'a', { lsb: 30 }), /vadd.len: overlaps field 'a'/],
    ['a field overlaps the opcode', withField('vadd', 'dst', { lsb: 4 }), /vadd.dst: overlaps the opcode/],
    ['a field overlaps the continuation marker', withField('vadd', 'b', { lsb: 66 }), /vadd.b: overlaps the continuation marker of word 2/],
    ['a field lies beyond the last word', withField('vadd', 'b', { lsb: 120 }), /vadd.b: bits \[120, 136\) do not fit in 2 words/],
    ['a field crosses a word boundary', withField('vset', 'imm', { lsb: 40 }), /vset.imm: bits \[40, 68\) cross a word boundary/],
    ['a field is wider than 32 bits', withField('seti', 'imm', { width: 33 }), /seti.imm: width 33 is not 1..32/],
    ['a field disagrees with its kind on sign', withField('vadd', 'len', { signed: true }), /vadd.len: signedness differs/],
    ['a charge names a field the instruction lacks', withChanged('vadd', { charges: { vector_op: 'rows' } }), /vadd: charge of vector_op 'rows' names 'rows'/],
    ['a charge does not parse', withChanged('vadd', { charges: { vector_op: 'len-1' } }), /vadd: charge of vector_op: formula 'len-1' is not a sum of products/],
    ['an unknown cost class is charged', withChanged('vadd', { charges: { adder: 'len' } as InstrSpec['charges'] }), /vadd: charges unknown cost class 'adder'/],
    ['nothing is charged', withChanged('nop', { charges: {} }), /nop: charges no cost class/],
    ['a vector length names no field', withChanged('vadd', { vectors: [{ addr: 'dst', len: 'n', access: 'w' }] }), /vadd: vector length 'n' names 'n'/],
    ['a vector address is not a vaddr field', withChanged('vadd', { vectors: [{ addr: 'len', len: 1, access: 'r' }] }), /vadd: vector address 'len' must be a field of kind vaddr/],
    ['a jump target is not a target field', withChanged('jmp', { flow: { kind: 'jump', target: 'to' } }), /jmp: jump target 'to' must be a field of kind target/],
    ['a crossbar extent names no field', withChanged('mvm', { crossbar: { row: 'row', col: 'col', rows: 'n', cols: 'cols', access: 'r' } }), /mvm: crossbar extent 'n'/],
    ['a mnemonic the assembler cannot read', withChanged('nop', { mnemonic: 'No-Op' }), /'No-Op': a mnemonic is lower-case/],
  ])('it finds: %s', (_what, table, problem) => {
    const problems = checkTable(table);
    expect(problems.some((p) => problem.test(p)), problems.join('\n')).toBe(true);
  });

  test('it finds two encodings that overlap (a word that decodes as both)', () => {
    expect(checkTable(withChanged('vsub', { opcode: 0x13 }))).toContain('vadd and vsub: some words decode as both');
  });

  test('formulas: sums of products of names and integers', () => {
    expect(parseFormula('rows*cols')).toEqual([['rows', 'cols']]);
    expect(parseFormula(' len + 2*rows ')).toEqual([['len'], [2, 'rows']]);
    for (const bad of ['', 'len-1', 'len**2', '(len)', 'len+']) expect(() => parseFormula(bad)).toThrow(IsaError);
  });

  // DESIGN.md section 3: a test fails if an opcode has no handler in the emulator; that test is
  // tests/chip/control.test.ts ('every opcode of the ISA table has exactly one handler').

  test('OPCODES lists every instruction once, for the emulator dispatch test', () => {
    expect(OPCODES).toEqual(SPECS.map((s) => s.opcode));
    expect(new Set(OPCODES).size).toBe(SPECS.length);
  });
});

describe('cost classes are the hw-spec cost keys', () => {
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'hw-specs/hw-spec.schema.json'), 'utf8')) as {
    properties: { costs: { required: string[]; properties: Record<string, unknown> } };
  };

  test('the schema requires exactly COST_CLASSES, in order', () => {
    expect(Object.keys(schema.properties.costs.properties)).toEqual([...COST_CLASSES]);
    expect(schema.properties.costs.required).toEqual([...COST_CLASSES]);
  });

  test.each(presetNames())('preset %s prices every class', (name) => {
    expect(Object.keys(loadHwSpec(name).costs)).toEqual([...COST_CLASSES]);
  });

  test('every instruction charges only known classes (checked by checkTable) and every class is charged by some instruction', () => {
    const charged = new Set(SPECS.flatMap((s) => Object.keys(s.charges)));
    expect([...COST_CLASSES].filter((c) => !charged.has(c))).toEqual([]);
  });
});

describe('costOf', () => {
  const hw = loadHwSpec('default');
  const c = hw.costs;
  const mvm = { op: 'mvm', dst: 0, src: 256, row: 0, col: 0, rows: 256, cols: 128, shi: 0, sho: -2 } as Instr;

  test('counts need no hw-spec: an mvm charges MACs, row DACs and column ADCs; its transpose swaps the converters', () => {
    expect(chargeCounts(mvm)).toEqual({ mvm: 256 * 128, mvm_dac: 256, mvm_adc: 128 });
    expect(chargeCounts({ ...mvm, op: 'mvmt' } as Instr)).toEqual({ mvm: 256 * 128, mvm_dac: 128, mvm_adc: 256 });
    expect(chargeCounts({ op: 'std', v: 0, rbar: 8, len: 5, lut: 1, k: 3, sh: 4 })).toEqual({ std_update: 5, lut: 5 });
  });

  test('an mvm costs the sum over its classes', () => {
    const cost = costOf(mvm, hw);
    const cycles = c.mvm.fixed_cycles + c.mvm_dac.fixed_cycles + c.mvm_adc.fixed_cycles + Math.ceil(c.mvm.cycles_per_element * 256 * 128);
    expect(cost.cycles).toBe(cycles);
    expect(cost.energyPj).toBeCloseTo(256 * 128 * c.mvm.energy_pj_per_event + 256 * c.mvm_dac.energy_pj_per_event + 128 * c.mvm_adc.energy_pj_per_event, 9);
    expect(cost.byClass.mvm_adc).toEqual({ count: 128, cycles: c.mvm_adc.fixed_cycles, energyPj: 128 * c.mvm_adc.energy_pj_per_event });
    expect(cost.byClass.vector_op).toEqual({ count: 0, cycles: 0, energyPj: 0 });
    expect(Object.keys(cost.byClass)).toEqual([...COST_CLASSES]);
  });

  test('a vector op: fixed cycles plus its lanes, energy per element', () => {
    const cost = costOf({ op: 'vadd', dst: 0, a: 16, b: 32, len: 17 }, hw);
    expect(cost.cycles).toBe(c.vector_op.fixed_cycles + Math.ceil(c.vector_op.cycles_per_element * 17));
    expect(cost.energyPj).toBeCloseTo(17 * c.vector_op.energy_pj_per_event, 12);
  });

  test('hops multiply the words and energy of a send, not its cycles', () => {
    const send = { op: 'send', route: 1, src: 0, len: 10 } as Instr;
    const near = costOf(send, hw);
    const far = costOf(send, hw, 3);
    expect(far.byClass.send.count).toBe(30);
    expect(far.energyPj).toBeCloseTo(3 * near.energyPj, 12);
    expect(far.cycles).toBe(near.cycles);
    expect(near.cycles).toBe(c.send.fixed_cycles + Math.ceil(c.send.cycles_per_element * 10));
  });

  test('control instructions charge the control class; halt and barrier their own', () => {
    for (const op of ['nop', 'jmp', 'jz', 'loop']) expect(Object.keys(spec(op).charges)).toEqual(['control']);
    expect(costOf({ op: 'jmp', target: 4 }, hw)).toMatchObject({ cycles: c.control.fixed_cycles, energyPj: c.control.energy_pj_per_event });
    expect(costOf({ op: 'halt' }, hw).byClass.halt.count).toBe(1);
  });

  test('bad input is an IsaError', () => {
    expect(() => costOf({ op: 'vaddd', dst: 0 }, hw)).toThrow(IsaError);
    expect(() => costOf({ op: 'vadd', dst: 0, a: 0, b: 0 }, hw)).toThrow(/field 'len' is not a number/);
    expect(() => costOf({ op: 'send', route: 1, src: 0, len: 1 }, hw, -1)).toThrow(/hops must be a whole number/);
  });
});

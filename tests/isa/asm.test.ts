// Assembly text: print/parse and disassemble/assemble are inverse on every valid instruction and
// program, and every mistake in a source file is reported with its line, column and a fix.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AsmError, type AsmProblem, assemble, classifyOperand, disassemble, type Instr, operandText, parse, print, SPECS } from '../../compiler/isa/index.js';
import { instrOf, programs } from './arbitraries.js';

const HERE = { file: 'x.nla', line: 1 };

describe('round trip', () => {
  test.each(SPECS.map((s) => [s.mnemonic, s] as const))('%s: parse(print(i)) equals i', (_m, spec) => {
    fc.assert(
      fc.property(instrOf(spec), (i) => {
        expect(parse(print(i), HERE)).toEqual(i);
      }),
      { numRuns: 200 },
    );
  });

  test('assemble(disassemble(programs)) equals programs, with labels for jumps and loops', () => {
    fc.assert(
      fc.property(programs, (p) => {
        expect(assemble(disassemble(p), 'x.nla')).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  test('disassembly names jump targets by label and sections by core', () => {
    const p: Instr[][] = [
      [{ op: 'loop', count: 3, end: 3 }, { op: 'vadd', dst: 0, a: 16, b: 32, len: 8 }, { op: 'halt' }],
      [{ op: 'jz', flag: 5, target: 2 }, { op: 'nop' }, { op: 'halt' }],
    ];
    expect(disassemble(p)).toBe(
      ['.core 0', '    loop x3, L3', '    vadd @0, @16, @32, 8', 'L3:', '    halt', '', '.core 1', '    jz @5, L2', '    nop', 'L2:', '    halt', ''].join('\n'),
    );
  });

  test('sshift operands carry their sign and never read as a shift', () => {
    expect(operandText('sshift', 2)).toBe('sh+2');
    expect(operandText('sshift', 0)).toBe('sh+0');
    expect(operandText('sshift', -3)).toBe('sh-3');
    expect(classifyOperand('sh-3')).toEqual({ kind: 'sshift', value: -3 });
    expect(classifyOperand('sh+0x1f')).toEqual({ kind: 'sshift', value: 31 });
    expect(classifyOperand('sh3')).toEqual({ kind: 'shift', value: 3 });
  });

  test('source text may use any case, hex numbers, comments, labels on their own line', () => {
    const text = ['; a comment', 'top:', '  VADD @0x10, @0, @0, 0x4 ; add', '  Jmp top', '  .core 1', 'halt'].join('\n');
    expect(assemble(text, 'x.nla')).toEqual([
      [{ op: 'vadd', dst: 16, a: 0, b: 0, len: 4 }, { op: 'jmp', target: 0 }],
      [{ op: 'halt' }],
    ]);
  });
});

/** The AsmError an assembly text raises; fails if it assembles. */
function asmErrorOf(text: string, file = 'bad.nla'): AsmError {
  try {
    assemble(text, file);
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error('expected an AsmError');
}

describe('the assembler reports line, column and a fix', () => {
  test.each<[string, string, Partial<AsmProblem>]>([
    ['unknown mnemonic, with did-you-mean', 'halt\n  vadx @0, @1, @2, 3', { line: 2, column: 3, message: "unknown instruction 'vadx'", fix: "Did you mean 'vadd'?" }],
    ['missing operands', 'vadd @0, @1, @2', { line: 1, column: 16, message: 'missing operands: vadd takes 4 operands, got 3 operands', fix: 'Write `vadd @<dst>, @<a>, @<b>, <len>`, e.g. `vadd @128, @144, @160, 16`' }],
    ['too many operands', 'halt 3', { line: 1, column: 6, message: 'too many operands: halt takes 0 operands, got 1 operand' }],
    ['an out-of-range value', 'vadd @0, @1, @2, 5000', { line: 1, column: 18, message: "operand 4 of vadd ('len'): 5000 does not fit: allowed 0..4095 (12-bit unsigned)" }],
    ['an out-of-range sshift', 'mvm @0, @0, r0, c0, 1, 1, sh+32, sh+0', { line: 1, column: 27, message: "operand 7 of mvm ('shi'): 32 does not fit: allowed -32..31 (6-bit signed)" }],
    ['an undefined label, with did-you-mean', 'loop: nop\n jmp lop', { line: 2, column: 6, message: "undefined label 'lop'", fix: "Did you mean 'loop'?" }],
    ['a bad operand kind', 'vadd @0, #1, @2, 3', { line: 1, column: 10, message: "operand 2 of vadd ('a') must be a vector memory address (word offset) like `@128`, but `#1` is a signed immediate (raw fixed-point word)" }],
    ['a shift where an sshift is needed', 'mvm @0, @0, r0, c0, 1, 1, sh3, sh+0', { line: 1, column: 27, fix: 'Write `sh+3`' }],
    ['a label where a number is needed', 'vadd @0, @1, @2, n', { line: 1, column: 18, message: "operand 4 of vadd ('len') must be a number of elements like `16`, got `n`" }],
    ['not an operand at all', 'vadd @0, @1, @@2, 3', { line: 1, column: 14, message: "operand 3 of vadd ('b') must be a vector memory address (word offset) like `@128`, but `@@2` is not an operand" }],
    ['an empty operand', 'vadd @0, , @2, 3', { line: 1, column: 9, message: "operand 2 of vadd ('a') is empty" }],
    ['a label defined twice', 'a1:\nhalt\na1: halt', { line: 3, column: 1, message: "label 'a1' is already defined on line 1" }],
    ['a label that reads like an operand', 'r1: halt', { line: 1, column: 1, message: "label 'r1' reads like an operand (crossbar row offset)" }],
    ['a label before a directive', 'top: .core 0', { line: 1, column: 6, message: 'a label cannot stand before a directive' }],
    ['an unknown directive', '.cores 1', { line: 1, column: 1, message: "unknown directive '.cores'" }],
    ['a bad core number', '.core -1', { line: 1, column: 1, message: ".core needs a core number 0..65535, got '-1'" }],
    ['a core section twice', '.core 0\nhalt\n.core 0', { line: 3, column: 1, message: 'core 0 already has a section (line 1)', fix: 'Merge the two sections' }],
    ['a gap in the core numbers', '.core 1\nhalt', { line: 1, column: 1, message: 'there is no section for core 0, but there is one for core 1' }],
    ['a far core number: one problem, not one per gap', '.core 0\nhalt\n.core 65535', { line: 3, column: 1, message: 'there is no section for core 1 nor for some other cores, but there is one for core 65535' }],
  ])('%s', (_what, text, expected) => {
    const problems = asmErrorOf(text).located;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject(expected);
  });

  test('every problem of a file is reported, in file order, with file:line:column in the message', () => {
    const error = asmErrorOf('vadx @0\njmp nowhere\nhalt\nvadd @0, @1, @2, 99999', 'prog.nla');
    expect(error.located.map((p) => [p.line, p.column])).toEqual([
      [1, 1],
      [2, 5],
      [4, 18],
    ]);
    expect(error.message.split('\n')[0]).toBe('prog.nla: 3 problems');
    expect(error.message).toContain("prog.nla:1:1: unknown instruction 'vadx'. Did you mean 'vadd'?");
    expect(error.problems[1]).toMatchObject({ path: 'line 2, column 5', message: "undefined label 'nowhere'" });
  });

  test('parse() of one line resolves no labels, and says so', () => {
    expect(() => parse('jmp start', HERE)).toThrow(/label 'start' cannot be resolved here/);
    expect(parse('jmp start', { ...HERE, labels: new Map([['start', 7]]) })).toEqual({ op: 'jmp', target: 7 });
  });

  test('print rejects an invalid instruction', () => {
    expect(() => print({ op: 'vadd', dst: 0, a: 0, b: 0, len: -1 })).toThrow(/does not fit/);
  });
});

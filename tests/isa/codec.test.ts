// Binary codec: every valid instruction survives encode -> decode, and every malformed word or
// program is an IsaError with a message that says what is wrong, never another exception.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  bytesToWords,
  decode,
  decodeProgram,
  encode,
  encodeProgram,
  encodeWords,
  ENCODING,
  type Instr,
  IsaError,
  layoutOf,
  SPECS,
  specByMnemonic,
  wordsToBytes,
} from '../../compiler/isa/index.js';
import { anyInstr, instrOf, program } from './arbitraries.js';

const RUNS = { numRuns: 300 };
const twoWord = SPECS.filter((s) => layoutOf(s).words === 2);

/** The error `f` throws; fails the test if it throws nothing or something other than an IsaError. */
function isaError(f: () => unknown): IsaError {
  try {
    f();
  } catch (e) {
    if (e instanceof IsaError) return e;
    throw new Error(`expected an IsaError, got ${String(e)}`);
  }
  throw new Error('expected an IsaError, nothing was thrown');
}

describe('round trip', () => {
  test.each(SPECS.map((s) => [s.mnemonic, s] as const))('%s: decode(encode(i)) equals i', (_m, spec) => {
    fc.assert(
      fc.property(instrOf(spec), (i) => {
        expect(decode(encode(i))).toEqual(i);
      }),
      RUNS,
    );
  });

  test('programs: decodeProgram(encodeProgram(p)) equals p, also through image bytes', () => {
    fc.assert(
      fc.property(program, (p) => {
        const words = encodeProgram(p);
        expect(decodeProgram(words)).toEqual(p);
        expect(decodeProgram(bytesToWords(wordsToBytes(words)))).toEqual(p);
        expect(decodeProgram(BigUint64Array.from(words))).toEqual(p);
      }),
      RUNS,
    );
  });

  test('an instruction takes the words its layout says, each a 64-bit word', () => {
    fc.assert(
      fc.property(anyInstr, (i) => {
        const words = encodeWords(i);
        expect(words.length).toBe(layoutOf(specByMnemonic(i.op)!).words);
        for (const w of words) expect(w >= 0n && w < 1n << 64n).toBe(true);
      }),
    );
  });
});

describe('encode rejects invalid instructions', () => {
  test.each([
    [{ op: 'vaddd', dst: 0 }, "unknown instruction 'vaddd'. Did you mean 'vadd'?"],
    [{ op: 'vadd', dst: 0, a: 0, b: 0 }, "vadd: missing field 'len'"],
    [{ op: 'vadd', dst: 0, a: 0, b: 0, len: 4096 }, "'len' (number of elements, 12-bit unsigned, 0..4095) 4096 does not fit: allowed 0..4095"],
    [{ op: 'vadd', dst: -1, a: 0, b: 0, len: 1 }, '-1 does not fit'],
    [{ op: 'vadd', dst: 0.5, a: 0, b: 0, len: 1 }, 'must be an integer, got 0.5'],
    [{ op: 'halt', len: 3 }, "halt: has no field 'len' (its fields: none)"],
    [{ op: 'mvm', dst: 0, src: 0, row: 0, col: 0, rows: 1, cols: 1, shi: 32, sho: 0 }, "'shi' (signed scale exponent"],
  ])('%j', (instr, message) => {
    expect(isaError(() => encode(instr as unknown as Instr)).message).toContain(message);
  });
});

describe('decode rejects malformed words with an IsaError', () => {
  test.each([
    ['an undefined opcode', 0x07n, 'unknown opcode 0x07'],
    ['opcode 0x00', 0n, 'unknown opcode 0x00 in word 0x0000000000000000 (0x00 is reserved so that an all-zero word traps)'],
    ['the continuation marker as an opcode', 0xffn, 'unknown opcode 0xff in word 0x00000000000000ff (0xff marks the second word of a two-word instruction'],
    ['a reserved bit', 0x01n | (1n << 63n), 'halt: reserved bits must be 0, but bit 63 is set'],
    ['a second word after a one-word instruction', 0x01n | (1n << 64n), 'halt is 1 word long, but bits at 64 and above are set'],
    ['a missing continuation word', 0x13n, 'word 2 of vadd must start with the continuation marker 0xff, found 0x00 (truncated or misaligned program?)'],
  ])('%s', (_what, word, message) => {
    expect(isaError(() => decode(word)).message).toContain(message);
  });

  test('a set reserved bit of any instruction', () => {
    const withReserved = fc
      .tuple(anyInstr, fc.nat())
      .map(([i, pick]) => {
        const l = layoutOf(specByMnemonic(i.op)!);
        const free = Array.from({ length: l.words * ENCODING.wordBits }, (_, b) => BigInt(b)).filter((b) => !((l.used >> b) & 1n));
        return free.length ? encode(i) | (1n << free[pick % free.length]!) : undefined;
      })
      .filter((w): w is bigint => w !== undefined);
    fc.assert(
      fc.property(withReserved, (w) => {
        expect(isaError(() => decode(w)).message).toMatch(/reserved bits must be 0/);
      }),
      RUNS,
    );
  });

  test('a missing continuation word', () => {
    fc.assert(
      fc.property(fc.oneof(...twoWord.map(instrOf)), fc.integer({ min: 0, max: 0xfe }), (i, marker) => {
        const at = BigInt(ENCODING.continuation.lsb);
        const broken = (encode(i) & ~(0xffn << at)) | (BigInt(marker) << at);
        expect(isaError(() => decode(broken)).message).toMatch(/must start with the continuation marker 0xff/);
      }),
    );
  });

  test('a truncated program names the word and what is missing', () => {
    const words = encodeProgram([{ op: 'nop' }, { op: 'vadd', dst: 0, a: 1, b: 2, len: 3 }]);
    expect(isaError(() => decodeProgram(words.slice(0, 2))).message).toBe('word 1: vadd needs 2 words but the program ends after 1 (truncated program?)');
    expect(isaError(() => bytesToWords(wordsToBytes(words).slice(0, 20))).message).toMatch(/whole number of 8-byte words, got 20 bytes/);
  });

  test('program words that are not unsigned 64-bit bigints', () => {
    expect(isaError(() => decodeProgram([1n, -1n])).message).toMatch(/^word 1: a program word is an unsigned 64-bit bigint, got -1/);
    expect(isaError(() => decodeProgram([1n << 64n])).message).toMatch(/^word 0:/);
    expect(isaError(() => decodeProgram([1 as unknown as bigint])).message).toMatch(/got number/);
    expect(isaError(() => decode(5 as unknown as bigint)).message).toMatch(/expects a bigint/);
  });

  test('random words never crash the decoder: an instruction that re-encodes to the same bits, or an IsaError', () => {
    const word = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    const opcodeHeavy = fc.tuple(fc.constantFrom(...SPECS.map((s) => s.opcode), 0, 0xff, 0x07), word, word).map(([op, lo, hi]) => ((lo >> 8n) << 8n) | BigInt(op) | (hi << 64n));
    fc.assert(
      fc.property(fc.oneof(opcodeHeavy, fc.bigInt({ min: 0n, max: (1n << 130n) - 1n })), (v) => {
        let decoded: Instr;
        try {
          decoded = decode(v);
        } catch (e) {
          expect(e).toBeInstanceOf(IsaError);
          return;
        }
        expect(encode(decoded)).toBe(v);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        try {
          expect(encodeProgram(decodeProgram(words))).toEqual(words);
        } catch (e) {
          expect(e).toBeInstanceOf(IsaError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

// The files generated from the ISA table are up to date, and the generated AssemblyScript
// (compiled here with asc, from what the table generates now) extracts every field exactly as
// the TypeScript decoder does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileString } from 'assemblyscript/asc';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { packageRoot } from '../../compiler/common/package-root.js';
import { encodeWords, instrWords, SPECS, specByOpcode } from '../../compiler/isa/index.js';
import { asName, GENERATED_FILES, generateAssemblyScript, generateIsaDoc } from '../../tools/gen-isa.js';
import { anyInstr } from './arbitraries.js';

describe('generated files', () => {
  test.each(GENERATED_FILES.map((f) => [f.path, f] as const))('%s is what the table generates now', (path, f) => {
    const onDisk = readFileSync(join(packageRoot(), path), 'utf8');
    expect(onDisk === f.generate(), `${path} is stale: it differs from what compiler/isa/table.ts generates now (the table or tools/gen-isa.ts changed). Run \`npm run build:ts && npm run gen:isa\` and commit the result`).toBe(true);
  });

  test('the docs have a section per instruction and the Wasm core an opcode constant per instruction', () => {
    const doc = generateIsaDoc();
    const as = generateAssemblyScript();
    for (const s of SPECS) {
      expect(doc).toContain(`### \`${s.mnemonic}\``);
      expect(as).toContain(`export const OP_${asName(s).toUpperCase()}: u8 = 0x${s.opcode.toString(16).padStart(2, '0')};`);
    }
  });
});

describe('the generated AssemblyScript, compiled', () => {
  type Extractor = (w0: bigint, w1: bigint) => number;
  let exports: WebAssembly.Exports;

  beforeAll(async () => {
    const { binary, stderr, error } = await compileString(generateAssemblyScript(), { runtime: 'stub' });
    if (!binary) throw new Error(`asc could not compile the generated file: ${String(error)}\n${stderr.toString()}`);
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>), {});
    exports = instance.exports;
  }, 120_000);

  test('opcode constants and instruction lengths match the table for all 256 opcodes', () => {
    for (const s of SPECS) expect((exports[`OP_${asName(s).toUpperCase()}`] as WebAssembly.Global).value).toBe(s.opcode);
    const wordsOf = exports['wordsOf'] as (op: number) => number;
    for (let op = 0; op < 256; op++) {
      const spec = specByOpcode(op);
      expect(wordsOf(op), `opcode ${op}`).toBe(spec ? instrWords(spec) : 0);
    }
  });

  test('every field extractor agrees with the decoder, sign extension included', () => {
    fc.assert(
      fc.property(anyInstr, (i) => {
        const [w0, w1 = 0n] = encodeWords(i);
        const spec = SPECS.find((s) => s.mnemonic === i.op)!;
        expect((exports['opcodeOf'] as (w: bigint) => number)(w0!)).toBe(spec.opcode);
        for (const f of spec.fields) {
          const raw = (exports[`${asName(spec)}_${f.name}`] as Extractor)(w0!, w1);
          // a Wasm i32 result arrives signed in JS: read unsigned fields back as unsigned
          expect(f.signed ? raw : raw >>> 0, `${i.op}.${f.name}`).toBe((i as unknown as Record<string, number>)[f.name]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

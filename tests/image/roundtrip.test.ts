// writeImage -> readImage gives back the same Image, for hand-built and random valid images on
// every preset; the bytes are deterministic; imageHash; files are written atomically.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { isUserError } from '../../compiler/common/errors.js';
import { imageHash, loadImage, readImage, saveImage, writeImage, type Image } from '../../compiler/image/index.js';
import { arbImage, comparable, emptyImage, handImage, preset, section, sha256, tinySpec } from './helpers.js';

const specs = { tiny: tinySpec(), default: preset('default'), 'bss2-like': preset('bss2-like'), 'high-precision': preset('high-precision') };

describe('round trip', () => {
  for (const [name, spec] of Object.entries(specs)) {
    test(`hand-built image on ${name}`, () => {
      const image = handImage(spec);
      expect(comparable(readImage(writeImage(image), 'hand.nlaimg'))).toEqual(comparable(image));
    });

    test(`random valid images on ${name}`, () => {
      fc.assert(
        fc.property(arbImage(spec), (image) => {
          const bytes = writeImage(image);
          expect(comparable(readImage(bytes, 'random.nlaimg'))).toEqual(comparable(image));
        }),
        { numRuns: name === 'tiny' ? 200 : 20, seed: 42 },
      );
    }, 30_000);
  }

  test('an image with no cores', () => {
    const image = emptyImage(specs.default);
    expect(readImage(writeImage(image), 'empty.nlaimg')).toEqual(image);
  });

  test('bytes that are a view into a larger buffer (as Buffers from the file system often are)', () => {
    const image = handImage(specs.tiny);
    const bytes = writeImage(image);
    const big = new Uint8Array(bytes.length + 11);
    big.set(bytes, 3);
    expect(comparable(readImage(big.subarray(3, 3 + bytes.length), 'view.nlaimg'))).toEqual(comparable(image));
  });

  test('program words keep all 64 bits and crossbar codes keep their sign', () => {
    const image = handImage(specs.default);
    const back = readImage(writeImage(image), 'x.nlaimg');
    expect(back.cores[0]!.program).toEqual([0n, 1n, 0xffff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0x0123_4567_89ab_cdefn]);
    expect(back.cores[0]!.crossbar[0]).toBe(-128);
    expect(back.cores[0]!.crossbar).toBeInstanceOf(Int32Array);
  });
});

describe('stored widths follow the formats', () => {
  // 8-bit weights take one byte per cell, 16-bit two: the WGHT section is about cores x cells x width
  test.each([
    ['default', 1],
    ['bss2-like', 1],
    ['high-precision', 2],
  ] as const)('%s: %i byte(s) per weight', (name, width) => {
    const spec = specs[name];
    const bytes = writeImage(handImage(spec));
    const cells = spec.core.crossbar.rows * spec.core.crossbar.cols;
    expect(section(bytes, 'WGHT').length).toBe(8 + 3 * (8 + cells * width));
    expect(bytes[section(bytes, 'WGHT').offset]).toBe(width);
  });
});

describe('determinism', () => {
  test('the same image gives the same bytes, and so does its read-back copy', () => {
    fc.assert(
      fc.property(arbImage(specs.tiny), (image) => {
        // compared as hashes: toEqual walks byte arrays element by element, slowly
        const a = sha256(writeImage(image));
        expect(sha256(writeImage(image))).toBe(a);
        expect(sha256(writeImage(readImage(writeImage(image), 'x.nlaimg')))).toBe(a);
      }),
      { numRuns: 100, seed: 7 },
    );
  }, 30_000);

  test('metadata key order does not change the bytes', () => {
    const a = handImage(specs.tiny);
    const b: Image = { ...a, metadata: Object.fromEntries(Object.entries(a.metadata).reverse()) };
    expect(sha256(writeImage(b))).toBe(sha256(writeImage(a)));
  });

  test('sections are 8-byte aligned, in the fixed order, and the layout starts with the magic', () => {
    const bytes = writeImage(handImage(specs.tiny));
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x4e, 0x4c, 0x41, 0x49, 0x4d, 0x47, 0, 0]);
    const table = ['SPEC', 'CORE', 'WGHT', 'MEMI', 'LUTS', 'ROUT', 'PORT', 'PROB', 'MATX', 'META'].map((t) => section(bytes, t));
    for (const s of table) expect(s.offset % 8).toBe(0);
    for (let k = 1; k < table.length; k++) expect(table[k]!.offset).toBeGreaterThanOrEqual(table[k - 1]!.offset + table[k - 1]!.length);
  });
});

describe('imageHash', () => {
  test('is the sha-256 of the bytes and tells images apart', () => {
    const a = writeImage(handImage(specs.tiny));
    const b = writeImage({ ...handImage(specs.tiny), header: { ...handImage(specs.tiny).header, dt: 1e-3 } });
    expect(imageHash(a)).toBe(sha256(a));
    expect(imageHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(imageHash(b)).not.toBe(imageHash(a));
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nla-image-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('saveImage then loadImage round-trips and leaves no temp file', () => {
    const image = handImage(specs.default);
    const path = join(dir, 'net.nlaimg');
    const bytes = saveImage(path, image);
    expect(sha256(readFileSync(path))).toBe(sha256(bytes));
    expect(comparable(loadImage(path))).toEqual(comparable(image));
    saveImage(path, emptyImage(specs.default)); // replaces the old file
    expect(loadImage(path)).toEqual(emptyImage(specs.default));
    expect(readdirSync(dir)).toEqual(['net.nlaimg']);
  });

  test('a missing file, a folder and a missing folder are user errors naming the path', () => {
    const missing = join(dir, 'nope.nlaimg');
    const errorOf = (f: () => unknown): Error => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    };
    const e1 = errorOf(() => loadImage(missing));
    expect(isUserError(e1)).toBe(true);
    expect(e1.message).toContain(`${missing}: file not found`);
    expect(errorOf(() => loadImage(dir)).message).toContain('is a directory');
    const e3 = errorOf(() => saveImage(join(dir, 'no', 'such', 'x.nlaimg'), emptyImage(specs.tiny)));
    expect(isUserError(e3)).toBe(true);
    expect(e3.message).toContain('folder does not exist');
  });
});

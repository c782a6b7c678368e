// Malformed images are rejected with a UserError naming the file, the part of the image and the
// problem: truncation, foreign files, versions, damaged bytes (checksums), and, behind valid
// checksums, absurd counts (rejected before anything is allocated) and broken cross-references.
import { describe, expect, test } from 'vitest';
import { canonicalJson, type HwSpec } from '../../compiler/hwspec/index.js';
import { isUserError } from '../../compiler/common/errors.js';
import { readImage, writeImage, type Image } from '../../compiler/image/index.js';
import { H, headerLength, tableOffset } from '../../compiler/image/layout.js';
import { fixCrcs, handImage, patchU32, preset, section, sectionsOf, sha256 } from './helpers.js';

const FILE = 'net.nlaimg';
const spec = preset('default');
const good = writeImage(handImage(spec));

/** The message of the UserError readImage throws (fails the test if it throws anything else or nothing). */
function problem(bytes: Uint8Array): string {
  try {
    readImage(bytes, FILE);
  } catch (e) {
    if (!isUserError(e)) throw e;
    expect(e.message.startsWith(`${FILE}: `)).toBe(true);
    return e.message;
  }
  throw new Error('readImage accepted a malformed image');
}

/** The message for an Image the writer encodes but the reader must reject. */
const problemOf = (image: Image): string => problem(writeImage(image));
/** The hand-built image with `edit` applied to a deep copy. */
function edited(edit: (image: Image) => void, base: Image = handImage(spec)): Image {
  edit(base);
  return base;
}

describe('not an image, truncated, wrong version', () => {
  test('an empty file and a foreign file', () => {
    expect(problem(new Uint8Array(0))).toMatch(/only 0 bytes: too short to be an nla image/);
    expect(problem(new TextEncoder().encode('PK\u0003\u0004 this is a zip file, honest'))).toMatch(/not an nla image: it starts with bytes 50 4b 03 04/);
  });

  test('truncated at 50 cut points: every cut is reported as a truncation', () => {
    const tableAt = tableOffset(spec.name.length);
    const headerEnd = headerLength(spec.name.length, 10);
    const cuts = new Set([1, 7, 8, 9, 30, 63, 64, 65, tableAt, tableAt + 5, headerEnd - 8, headerEnd - 1, headerEnd, headerEnd + 3, good.length - 1, good.length - 4, good.length - 5]);
    for (const s of sectionsOf(good)) for (const d of [0, 1, s.length >> 1, s.length]) cuts.add(s.offset + d);
    for (let k = 1; cuts.size < 50; k++) cuts.add(Math.floor((good.length * k) / 11.3) % good.length);
    expect(cuts.size).toBeGreaterThanOrEqual(50);
    for (const cut of cuts) expect(problem(good.slice(0, cut)), `cut at ${cut}`).toMatch(/truncated|too short/);
  });

  test('extra bytes after the image', () => {
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    expect(problem(longer)).toMatch(/8 unexpected bytes after the end of the image/);
  });

  test('another format version is rejected before anything else is read', () => {
    for (const [v, fix] of [
      [2, /newer nla/],
      [0, /recompile the network with this nla/],
    ] as const) {
      const b = good.slice();
      new DataView(b.buffer).setUint16(H.version, v, true);
      const m = problem(b);
      expect(m).toMatch(new RegExp(`header: format version ${v}; this nla reads version 1 only`));
      expect(m).toMatch(fix);
    }
  });
});

describe('damaged bytes are caught by the checksums before any section is parsed', () => {
  test('a flipped byte in each section names that section', () => {
    for (const s of sectionsOf(good)) {
      for (const at of [s.offset, s.offset + (s.length >> 1), s.offset + s.length - 1]) {
        const b = good.slice();
        b[at]! ^= 0x10;
        expect(problem(b), `${s.tag} at ${at}`).toMatch(new RegExp(`section '${s.tag}': checksum mismatch`));
      }
    }
  });

  test('a flipped byte in the header, the padding or the file checksum', () => {
    for (const at of [H.flags, H.dt + 3, H.fileLength, H.specHash + 31, H.fixedSize + 2, tableOffset(spec.name.length) + 20]) {
      const b = good.slice();
      b[at]! ^= 0x01;
      expect(problem(b), `header byte ${at}`).toMatch(/header: checksum mismatch|truncated/);
    }
    // a padding byte: after a section whose length is not a multiple of 8
    const padded = sectionsOf(good).find((x) => (x.offset + x.length) % 8 !== 0)!;
    const spot = padded.offset + padded.length;
    const b = good.slice();
    b[spot]! ^= 0x80;
    expect(problem(b)).toMatch(/file checksum mismatch/);
    const c = good.slice();
    c[c.length - 1]! ^= 0x01;
    expect(problem(c)).toMatch(/file checksum mismatch/);
  });
});

describe('absurd counts behind valid checksums are rejected before allocation', () => {
  const at = (tag: string, d: number): number => section(good, tag).offset + d;
  const cases: [string, number, RegExp][] = [
    ['core count', at('CORE', 0), /section 'CORE': core count 4294967295 exceeds the spec's mesh \(cols\*rows\) 64/],
    ['core index', at('CORE', 8), /core index 4294967295 is outside the 8x8 mesh/],
    ['memoryWords', at('CORE', 12), /section 'CORE' core 5: memoryWords 4294967295 exceeds the spec's core.vector_memory_words 16384/],
    ['program length', at('CORE', 16), /section 'CORE' core 5: program length 4294967295 words exceeds the spec's core.program_words 4096/],
    ['WGHT core count', at('WGHT', 4), /section 'WGHT': 4294967295 core entries, but section 'CORE' has 3/],
    ['crossbar size', at('WGHT', 12), /section 'WGHT' core 5: crossbar of 4294967295 codes, but the spec's crossbar is 256x256/],
    ['memory init count', at('MEMI', 12), /section 'MEMI' core 5: 4294967295 memory inits need at least \d+ bytes/],
    ['memory init length', at('MEMI', 20), /section 'MEMI' core 5 memory init 0: 'h1.v\[0:3\]' covers words 0..4294967294, outside the core's 40 memoryWords/],
    ['memory init name length', at('MEMI', 24), /section 'MEMI' core 5 memory init 0: ends early: name needs 4294967295 bytes/],
    ['lut count', at('LUTS', 12), /section 'LUTS' core 5: lut count 4294967295 exceeds the spec's core.lut_slots 4/],
    ['lut entry count', at('LUTS', 32 + 4 + 4), /section 'LUTS' core 5 lut slot 0: 4294967295 entries, but the spec's core.lut_entries is 256/],
    ['route count', at('ROUT', 0), /section 'ROUT': 4294967295 routes need at least 103079215080 bytes/],
    ['port count', at('PORT', 0), /section 'PORT': 4294967295 ports need/],
    ['population length', at('PORT', 12), /section 'PORT' port 0: ends early: population needs 4294967295 bytes/],
    ['probe count', at('PROB', 0), /section 'PROB': 4294967295 probes need/],
    ['matrix count', at('MATX', 0), /section 'MATX': 4294967295 matrices need/],
    ['matrix name length', at('MATX', 4), /section 'MATX' matrix entry 0: ends early: name needs 4294967295 bytes/],
  ];
  test.each(cases)('%s = 0xFFFFFFFF', (_what, offset, message) => {
    const b = patchU32(good, offset, 0xffffffff);
    const t = performance.now();
    expect(problem(b)).toMatch(message);
    expect(performance.now() - t).toBeLessThan(1000); // nothing of that size was made (that would also fail the message match)
  });

  test('a segment count and a block count of 0xFFFFFFFF', () => {
    const one: Image = { ...handImage(spec), ports: [{ id: 0, kind: 'input', population: '', size: 1, segments: [] }], matrices: [{ name: '', rows: 1, cols: 1, scale: 1, plastic: false, noSelf: false, blocks: [] }] };
    const b = writeImage(one);
    expect(problem(patchU32(b, section(b, 'PORT').offset + 20, 0xffffffff))).toMatch(/section 'PORT' port 0: 4294967295 segments need at least 68719476720 bytes/);
    expect(problem(patchU32(b, section(b, 'MATX').offset + 28, 0xffffffff))).toMatch(/section 'MATX' matrix '': 4294967295 blocks need/);
  });

  test('a count one too small leaves bytes over; a reserved byte set; a table entry with an unknown tag', () => {
    expect(problem(patchU32(good, section(good, 'ROUT').offset, 1))).toMatch(/section 'ROUT': 24 bytes left over after the last entry/);
    expect(problem(patchU32(good, section(good, 'CORE').offset + 4, 1))).toMatch(/section 'CORE': reserved byte at section offset 4 is 1, not 0/);
    const meta = section(good, 'META');
    const b = good.slice();
    b.set(new TextEncoder().encode('XTRA'), meta.entry);
    expect(problem(fixCrcs(b))).toMatch(/section table entry 9 \('XTRA'\): unknown section 'XTRA'; format version 1 has exactly SPEC, CORE/);
    const c = good.slice();
    c.set(new TextEncoder().encode('CORE'), meta.entry);
    expect(problem(fixCrcs(c))).toMatch(/section 'CORE' appears twice/);
    expect(problem(patchU32(good, meta.entry + 4, meta.offset + 8))).toMatch(/section table entry 9 \('META'\): starts at byte \d+, not at \d+ \(right after the section before it, 8-byte aligned\)/);
    expect(problem(patchU32(good, meta.entry + 8, meta.length + 64))).toMatch(/run past the last section byte/);
    expect(problem(patchU32(good, meta.entry + 8, meta.length - 8))).toMatch(/section table: the sections end at byte \d+, but the file checksum is at/);
    // two entries swapped: each still names its own bytes, but the order is pinned
    const d = good.slice();
    const [a, b2] = [section(good, 'ROUT').entry, section(good, 'PORT').entry];
    d.set(good.subarray(b2, b2 + 16), a);
    d.set(good.subarray(a, a + 16), b2);
    expect(problem(fixCrcs(d))).toMatch(/section table entry 5 \('PORT'\): section 'PORT' where format version 1 has 'ROUT'/);
  });

  test('only the writer\'s form is accepted: non-zero padding, metadata not in canonical JSON', () => {
    const padded = sectionsOf(good).find((x) => (x.offset + x.length) % 8 !== 0)!;
    const b = good.slice();
    b[padded.offset + padded.length] = 1;
    expect(problem(fixCrcs(b))).toMatch(new RegExp(`padding byte ${padded.offset + padded.length} is 1, not 0`));
    // {"a":1,...} -> {"a" :1...} would change the length; swap two keys' order instead: same bytes count
    const image = { ...handImage(spec), metadata: { a: 1, b: 2 } };
    const c = writeImage(image);
    const m = section(c, 'META');
    expect(new TextDecoder().decode(c.subarray(m.offset, m.offset + m.length))).toBe('{"a":1,"b":2}');
    c.set(new TextEncoder().encode('{"b":2,"a":1}'), m.offset);
    expect(problem(fixCrcs(c))).toMatch(/section 'META': metadata is not in canonical JSON form/);
  });
});

describe('the spec and the header', () => {
  test('the hw-spec hash in the header differs from the sha-256 of SPEC', () => {
    expect(problem(patchU32(good, H.specHash, 0x12345678))).toMatch(/section 'SPEC': its sha-256 [0-9a-f]{64} is not the hw-spec hash in the header, 78563412/);
  });

  const withSpecText = (text: string, name = spec.name): Image => ({ ...handImage(spec), hwSpecJson: text, header: { ...handImage(spec).header, hwSpecHash: sha256(text), hwSpecName: name } });
  test('an embedded spec that is invalid, or not canonical, or has another name', () => {
    const broken = JSON.parse(canonicalJson(spec)) as HwSpec;
    (broken.mesh as { cols: number }).cols = 0;
    expect(problemOf(withSpecText(canonicalJson(broken)))).toMatch(/section 'SPEC': the embedded hw-spec is invalid: mesh.cols: /);
    expect(problemOf(withSpecText(JSON.stringify(spec, null, 2)))).toMatch(/section 'SPEC': the hw-spec is not in canonical form/);
    expect(problemOf(withSpecText(canonicalJson(spec), 'bss2-like'))).toMatch(/header: hw-spec name 'bss2-like' differs from the name 'default' in section 'SPEC'/);
  });

  test('unknown flags, a dt that is not positive, metadata that is not an object', () => {
    expect(problemOf(edited((i) => (i.header.flags = 0x104)))).toMatch(/header: unknown flag bits 0x00000104/);
    expect(problemOf(edited((i) => (i.header.dt = 0)))).toMatch(/header: dt 0 is not a positive number of seconds/);
    expect(problemOf(edited((i) => (i.metadata = [1] as unknown as Record<string, unknown>)))).toMatch(/section 'META': metadata is not a JSON object/);
    // a nesting too deep for a recursive walk, but not for JSON.parse: a UserError, not a stack overflow
    const deep = writeImage(edited((i) => (i.metadata = { a: 1 })));
    const m = section(deep, 'META');
    const text = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const grown = new Uint8Array(Math.ceil((m.offset + text.length) / 8) * 8 + 4);
    grown.set(deep.subarray(0, m.offset));
    grown.set(new TextEncoder().encode(text), m.offset);
    const view = new DataView(grown.buffer);
    view.setUint32(m.entry + 8, text.length, true);
    view.setUint32(H.fileLength, grown.length, true);
    expect(problem(fixCrcs(grown))).toMatch(/section 'META': metadata is nested too deeply to be read/);
  });
});

describe('geometry and cross-references', () => {
  const cases: [string, (i: Image) => void, RegExp][] = [
    ['duplicate core', (i) => (i.cores[2]!.index = 5), /section 'CORE' core entry 2: core 5 appears twice/],
    ['core outside the mesh', (i) => (i.cores[0]!.index = 64), /section 'CORE' core entry 0: core index 64 is outside the 8x8 mesh \(0..63\)/],
    ['program too long', (i) => (i.cores[0]!.program = new Array(4097).fill(0n)), /section 'CORE' core 5: program length 4097 words exceeds the spec's core.program_words 4096/],
    ['memory init outside memoryWords', (i) => (i.cores[0]!.memoryWords = 9), /section 'MEMI' core 5 memory init 1: 'h1.bias\[0:2\] — ünïcødé' covers words 8..9, outside the core's 9 memoryWords/],
    ['overlapping memory inits', (i) => (i.cores[0]!.memory[1]!.addr = 2), /section 'MEMI' core 5: memory inits 'h1.v\[0:3\]' \(words 0..2\) and 'h1.bias\[0:2\] — ünïcødé' \(from word 2\) overlap/],
    ['lut slot beyond lut_slots', (i) => (i.cores[1]!.luts[0]!.slot = 4), /section 'LUTS' core 0 lut 0: slot 4 is outside the spec's core.lut_slots \(0..3\)/],
    ['lut slot twice', (i) => i.cores[1]!.luts.push({ ...i.cores[1]!.luts[0]! }), /section 'LUTS' core 0 lut 1: slot 0 is used twice on this core/],
    ['lut of the wrong size', (i) => (i.cores[1]!.luts[0]!.entries = new Int32Array(16)), /section 'LUTS' core 0 lut slot 0: 16 entries, but the spec's core.lut_entries is 256/],
    ['lut shift', (i) => (i.cores[1]!.luts[0]!.shift = 40), /section 'LUTS' core 0 lut slot 0: shift 40 is outside 0..31/],
    ['route to a core not in the image', (i) => (i.routes[0]!.dstCore = 63), /section 'ROUT' route 0: destination core 63 is not in the image \(section 'CORE' has cores 5, 0, 1\)/],
    ['route to itself', (i) => Object.assign(i.routes[0]!, { dstCore: 0, hops: 0 }), /section 'ROUT' route 0: goes from core 0 to itself/],
    ['route hops', (i) => (i.routes[1]!.hops = 1), /section 'ROUT' route 7: 1 hops, but cores 5 and 0 are 5 apart in the 8x8 mesh/],
    ['route delay', (i) => (i.routes[1]!.delay = 17), /section 'ROUT' route 7: delay 17 exceeds the spec's core.delay_line_depth 16/],
    ['route longer than memory', (i) => (i.routes[0]!.length = 17), /section 'ROUT' route 0: sends 17 words, more than the 16 memoryWords of core 1/],
    ['route id twice', (i) => (i.routes[1]!.id = 0), /section 'ROUT' route entry 1: route id 0 appears twice/],
    ['segment on a missing core', (i) => (i.ports[0]!.segments[1]!.core = 2), /section 'PORT' port 0 segment 1: its core 2 is not in the image/],
    ['segment beyond the population', (i) => (i.ports[0]!.segments[1]!.offset = 7), /section 'PORT' port 0 segment 1: elements 7..10 lie beyond the population size 10/],
    ['segment longer than memory', (i) => Object.assign(i.probes[0]!, { size: 100, segments: [{ core: 1, offset: 0, length: 17, fracBits: 0 }] }), /section 'PROB' probe 3 segment 0: 17 elements do not fit the 16 memoryWords of core 1/],
    ['port id twice', (i) => (i.ports[2]!.id = 1), /section 'PORT' port entry 2: port id 1 appears twice/],
    ['block outside the crossbar', (i) => (i.matrices[1]!.blocks[1]!.xcol = 255), /section 'MATX' matrix 'h->out' block 1: crossbar rows 0..2 x cols 255..256 lie outside the spec's 256x256 crossbar/],
    ['block beyond the matrix', (i) => (i.matrices[0]!.blocks[0]!.pre0 = 1), /section 'MATX' matrix 'in->h' block 0: presynaptic 1..4 lie beyond the matrix's 4 columns/],
    ['blocks of two matrices overlap', (i) => (i.matrices[1]!.blocks[0]!.xrow = 3), /section 'MATX' matrix 'h->out' block 0: overlaps block 0 of matrix 'in->h' on core 0 at crossbar row 3, col 0/],
    ['blocks of one matrix overlap', (i) => Object.assign(i.matrices[1]!.blocks[1]!, { core: 0, xrow: 5, xcol: 1 }), /matrix 'h->out' block 1: overlaps block 0 of matrix 'h->out' on core 0 at crossbar row 5, col 1/],
    ['block on a missing core', (i) => (i.matrices[0]!.blocks[0]!.core = 9), /section 'MATX' matrix 'in->h' block 0: its core 9 is not in the image/],
    ['noSelf with a self-synapse', (i) => (i.cores[2]!.crossbar[(2 + 1) * 256 + 1 + 1] = 3), /section 'MATX' matrix 'h->h' block 0: noSelf, but the self-synapse W\[1\]\[1\] \(core 1, crossbar row 3, col 2\) holds code 3, not 0/],
    ['noSelf on a matrix that is not square', (i) => (i.matrices[2]!.cols = 6), /section 'MATX' matrix 'h->h': noSelf \(no synapse from a neuron to itself\) on a 5x6 matrix, which is not square/],
    ['matrix name twice', (i) => (i.matrices[1]!.name = 'in->h'), /section 'MATX' matrix entry 1: matrix 'in->h' appears twice/],
  ];
  test.each(cases)('%s', (_what, edit, message) => {
    expect(problemOf(edited(edit))).toMatch(message);
  });

  test('a crossbar code outside a 6-bit weight format (bss2-like), behind valid checksums', () => {
    const bss2 = preset('bss2-like');
    const b = writeImage(handImage(bss2));
    const c = b.slice();
    c[section(b, 'WGHT').offset + 16 + 3] = 0x7f;
    expect(problem(fixCrcs(c))).toMatch(/section 'WGHT' core 5: crossbar\[3\] = 127 is outside formats.weight \(-32..31\)/);
  });

  test('a matrix scale or flag the writer never makes, behind valid checksums', () => {
    const scaleAt = section(good, 'MATX').offset + 4 + 4 + 'in->h'.length + 8;
    for (const v of [-1, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
      const b = good.slice();
      new DataView(b.buffer).setFloat64(scaleAt, v, true);
      expect(problem(fixCrcs(b))).toMatch(new RegExp(`section 'MATX' matrix 'in->h': scale ${v} is not a positive number`));
    }
    const c = good.slice();
    c[scaleAt + 8] = 4;
    expect(problem(fixCrcs(c))).toMatch(/section 'MATX' matrix 'in->h': unknown flag bits 4/);
  });

  test('the full message: file, section, entry, problem and fix', () => {
    expect(problem(patchU32(good, section(good, 'CORE').offset + 16, 0xffffffff))).toBe(
      "net.nlaimg: section 'CORE' core 5: program length 4294967295 words exceeds the spec's core.program_words 4096. the image is corrupt or was made for another hw-spec: recompile it",
    );
  });
});

describe('the writer refuses what it cannot encode (a compiler bug, not a user error)', () => {
  const cases: [string, (i: Image) => void, RegExp][] = [
    ['crossbar of the wrong size', (i) => (i.cores[0]!.crossbar = new Int32Array(5)), /crossbar has 5 codes, not rows\*cols = 65536/],
    ['weight code outside the format', (i) => (i.cores[0]!.crossbar[9] = 128), /crossbar\[9\] = 128 is outside the 8-bit signed format/],
    ['negative program word', (i) => (i.cores[0]!.program[0] = -1n), /program\[0\] = -1 is not a bigint 0..2\^64-1/],
    ['another format version', (i) => (i.header.formatVersion = 2), /formatVersion 2 is not 1/],
    ['a hash that is not hex', (i) => (i.header.hwSpecHash = 'ABC'), /hwSpecHash 'ABC' is not 64 lower-case hex digits/],
    ['a lone surrogate in a name', (i) => (i.ports[0]!.population = 'x\uD800'), /lone UTF-16 surrogate/],
    ['a matrix scale that is not positive', (i) => (i.matrices[0]!.scale = 0), /matrices\[0\].scale = 0 is not a positive number/],
    ['a fractional route length', (i) => (i.routes[0]!.length = 1.5), /routes\[0\].length = 1.5 is not an integer/],
  ];
  test.each(cases)('%s', (_what, edit, message) => {
    let error: unknown;
    try {
      writeImage(edited(edit));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(isUserError(error)).toBe(false);
    expect((error as Error).message).toMatch(message);
  });
});

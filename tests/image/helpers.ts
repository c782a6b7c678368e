// Shared by the image tests: specs (the presets and a tiny one derived from default, so that
// images are small and byte mutations land in every section), a hand-built image, a generator of
// random valid images, and byte-level helpers that patch an image and make its checksums valid
// again (to reach the checks behind the CRCs).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, codeRange, hwSpecHash, parseHwSpec, type FixedFormat, type HwSpec } from '../../compiler/hwspec/index.js';
import { IMAGE_FORMAT_VERSION, type Image, type ImageCore, type MatrixMap, type PortKind, type Segment } from '../../compiler/image/index.js';
import { H, SECTION_TAGS, TABLE_ENTRY_SIZE, crc32, headerLength, tableOffset } from '../../compiler/image/layout.js';

export function preset(name: string): HwSpec {
  return parseHwSpec(readFileSync(`hw-specs/presets/${name}.json`, 'utf8'), `${name}.json`);
}

/** default, shrunk: 3x2 mesh, 8x12 crossbar (not square, to catch rows/cols mix-ups), 16-entry LUTs. */
export function tinySpec(): HwSpec {
  const d = JSON.parse(readFileSync('hw-specs/presets/default.json', 'utf8'));
  d.name = 'tiny';
  d.mesh.cols = 3;
  d.mesh.rows = 2;
  d.core = { crossbar: { rows: 8, cols: 12 }, neurons: 8, vector_memory_words: 64, lut_entries: 16, lut_slots: 3, delay_line_depth: 4, program_words: 32 };
  return parseHwSpec(JSON.stringify(d), 'tiny.json');
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An image with nothing in it but the header and the spec. */
export function emptyImage(spec: HwSpec): Image {
  return {
    header: { formatVersion: IMAGE_FORMAT_VERSION, hwSpecName: spec.name, hwSpecHash: hwSpecHash(spec), dt: 1e-4, flags: 0 },
    hwSpecJson: canonicalJson(spec),
    cores: [],
    routes: [],
    ports: [],
    probes: [],
    matrices: [],
    metadata: {},
  };
}

/** A hand-built image on `spec` (cores 0, 1 and 5 must exist in its mesh) using every section. */
export function handImage(spec: HwSpec): Image {
  const { rows, cols } = spec.core.crossbar;
  const w = codeRange(spec.formats.weight);
  const core = (index: number, memoryWords: number): ImageCore => ({
    index,
    program: [0n, 1n, 0xffff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0x0123_4567_89ab_cdefn],
    memoryWords,
    memory: [
      { addr: 0, values: new Int32Array([1, -1, 1000]), name: 'h1.v[0:3]' },
      { addr: 8, values: new Int32Array([-32768, 32767]), name: 'h1.bias[0:2] — ünïcødé' },
    ],
    crossbar: Int32Array.from({ length: rows * cols }, (_, i) => (i % 7 === 0 ? (i % 2 ? w.max : w.min) : (i % 5) - 2)),
    luts: [{ slot: 0, name: 'tanh', xMin: -1024, shift: 3, entries: Int32Array.from({ length: spec.core.lut_entries }, (_, i) => (i * 37) % 1000 - 500), outShift: -1 }],
  });
  const image: Image = {
    ...emptyImage(spec),
    header: { ...emptyImage(spec).header, flags: 3, dt: 5e-5 },
    cores: [core(5, 40), core(0, 64), core(1, 16)],
    routes: [
      { id: 0, srcCore: 0, dstCore: 1, length: 4, hops: 1, delay: 0 },
      { id: 7, srcCore: 5, dstCore: 0, length: 16, hops: routeHops(spec, 5, 0), delay: 2 },
    ],
    ports: [
      { id: 0, kind: 'input', population: 'in', size: 10, segments: [{ core: 0, offset: 0, length: 6, fracBits: 10 }, { core: 1, offset: 6, length: 4, fracBits: 10 }] },
      { id: 1, kind: 'target', population: 'out', size: 2, segments: [{ core: 5, offset: 0, length: 2, fracBits: -3 }] },
      { id: 2, kind: 'nudge', population: 'out', size: 2, segments: [] },
      { id: 4, kind: 'plastic', population: 'learning', size: 1, segments: [{ core: 1, offset: 0, length: 1, fracBits: 0 }] },
    ],
    probes: [{ id: 3, population: 'out', signal: 'rate', size: 2, segments: [{ core: 5, offset: 0, length: 2, fracBits: 10 }] }],
    matrices: [
      { name: 'in->h', rows: 3, cols: 4, scale: 64, plastic: true, noSelf: false, blocks: [{ core: 0, pre0: 0, post0: 0, m: 4, n: 3, xrow: 0, xcol: 0 }] },
      { name: 'h->out', rows: 2, cols: 3, scale: 64 * 1.5, plastic: false, noSelf: false, blocks: [{ core: 0, pre0: 0, post0: 0, m: 3, n: 2, xrow: 4, xcol: 0 }, { core: 5, pre0: 0, post0: 0, m: 3, n: 2, xrow: 0, xcol: 3 }] },
      // recurrent, split over two blocks; its diagonal cells are zeroed below
      { name: 'h->h', rows: 5, cols: 5, scale: 0.75, plastic: true, noSelf: true, blocks: [{ core: 1, pre0: 0, post0: 0, m: 5, n: 3, xrow: 2, xcol: 1 }, { core: 1, pre0: 0, post0: 3, m: 5, n: 2, xrow: 0, xcol: 6 }] },
    ],
    metadata: { network: 'chain', sha256: 'ab'.repeat(32), passes: ['lower', 'quantize'], warnings: [], nested: { n: 1.5, t: true, z: null } },
  };
  for (const m of image.matrices) if (m.noSelf) zeroDiagonal(image, m, spec);
  return image;
}

/** Sets the crossbar cells of the self-synapses W[i][i] of a matrix to 0 (what noSelf promises). */
export function zeroDiagonal(image: Image, m: MatrixMap, spec: HwSpec): void {
  for (const b of m.blocks) {
    const crossbar = image.cores.find((c) => c.index === b.core)!.crossbar;
    for (let i = Math.max(b.pre0, b.post0); i < Math.min(b.pre0 + b.m, b.post0 + b.n); i++) {
      crossbar[(b.xrow + i - b.pre0) * spec.core.crossbar.cols + b.xcol + i - b.post0] = 0;
    }
  }
}

export function routeHops(spec: HwSpec, a: number, b: number): number {
  const c = spec.mesh.cols;
  return Math.abs((a % c) - (b % c)) + Math.abs(Math.floor(a / c) - Math.floor(b / c));
}

// ---------------------------------------------------------------- random valid images

const clampTo = (v: number, lo: number, hi: number): number => lo + (((v - lo) % (hi - lo + 1)) + (hi - lo + 1)) % (hi - lo + 1);
const code = (f: FixedFormat, v: number): number => {
  const r = codeRange(f);
  return clampTo(v, r.min, r.max);
};

const name = fc.string({ unit: 'grapheme', maxLength: 12 });
const nat = fc.nat({ max: 1_000_000 });
const rawSegment = fc.record({ core: nat, offset: nat, length: nat, fracBits: fc.integer({ min: -64, max: 64 }) });
const rawMap = fc.record({ id: fc.nat({ max: 20 }), kind: fc.integer({ min: 0, max: 3 }), population: name, signal: name, size: fc.nat({ max: 300 }), segments: fc.array(rawSegment, { maxLength: 4 }) });
const rawCore = fc.record({
  index: nat,
  memoryWords: nat,
  program: fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 40 }),
  weights: fc.array(fc.tuple(nat, fc.integer()), { maxLength: 30 }),
  memory: fc.array(fc.record({ gap: fc.nat({ max: 5 }), name, values: fc.array(fc.integer(), { maxLength: 12 }) }), { maxLength: 5 }),
  luts: fc.array(fc.record({ slot: nat, name, xMin: fc.integer(), shift: fc.nat({ max: 31 }), outShift: fc.integer({ min: -63, max: 63 }), seed: fc.array(fc.integer(), { minLength: 1, maxLength: 5 }) }), { maxLength: 4 }),
});
const rawBlock = fc.record({ core: nat, pre0: nat, post0: nat, m: nat, n: nat, xrow: nat, xcol: nat });
const rawImage = fc.record({
  dt: fc.double({ min: 1e-9, max: 10, noNaN: true }),
  flags: fc.integer({ min: 0, max: 3 }),
  cores: fc.array(rawCore, { maxLength: 4 }),
  routes: fc.array(fc.record({ id: fc.nat({ max: 50 }), a: nat, b: nat, length: nat, delay: nat }), { maxLength: 6 }),
  ports: fc.array(rawMap, { maxLength: 4 }),
  probes: fc.array(rawMap, { maxLength: 4 }),
  matrices: fc.array(
    fc.record({ name, rows: fc.nat({ max: 600 }), cols: fc.nat({ max: 600 }), scale: fc.double({ min: 1e-6, max: 1e6, noNaN: true }), plastic: fc.boolean(), noSelf: fc.boolean(), blocks: fc.array(rawBlock, { maxLength: 5 }) }),
    { maxLength: 4 },
  ),
  metadata: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
});

/** Random valid images on `spec`: raw random numbers folded into the spec's geometry. */
export function arbImage(spec: HwSpec): fc.Arbitrary<Image> {
  return rawImage.map((raw) => build(spec, raw));
}

function build(spec: HwSpec, raw: typeof rawImage extends fc.Arbitrary<infer T> ? T : never): Image {
  const { rows: xRows, cols: xCols } = spec.core.crossbar;
  const meshCores = spec.mesh.cols * spec.mesh.rows;
  const cores: ImageCore[] = [];
  for (const rc of raw.cores) {
    const index = rc.index % meshCores;
    if (cores.some((c) => c.index === index)) continue;
    const memoryWords = rc.memoryWords % (spec.core.vector_memory_words + 1);
    const crossbar = new Int32Array(xRows * xCols);
    for (const [cell, v] of rc.weights) crossbar[cell % crossbar.length] = code(spec.formats.weight, v);
    const memory = [];
    let pos = 0;
    for (const m of rc.memory) {
      const addr = pos + m.gap;
      if (addr + m.values.length > memoryWords) break;
      memory.push({ addr, values: Int32Array.from(m.values, (v) => code(spec.formats.state, v)), name: m.name });
      pos = addr + m.values.length;
    }
    if (rc.index % 2) memory.reverse(); // the reader must not assume ascending addresses
    const luts = [];
    for (const l of rc.luts) {
      const slot = l.slot % Math.max(1, spec.core.lut_slots);
      if (spec.core.lut_slots === 0 || luts.some((x) => x.slot === slot)) continue;
      const entries = Int32Array.from({ length: spec.core.lut_entries }, (_, i) => code(spec.formats.lut_out, l.seed[i % l.seed.length]! * (i + 1)));
      luts.push({ slot, name: l.name, xMin: code(spec.formats.state, l.xMin), shift: l.shift, entries, outShift: l.outShift });
    }
    cores.push({ index, program: rc.program.slice(0, spec.core.program_words), memoryWords, memory, crossbar, luts });
  }
  const n = cores.length;
  const routes = [];
  for (const r of raw.routes) {
    if (n < 2 || routes.some((x) => x.id === r.id)) continue;
    const src = cores[r.a % n]!;
    const dst = cores[r.b % n]!;
    if (src === dst) continue;
    const length = r.length % (Math.min(src.memoryWords, dst.memoryWords) + 1);
    routes.push({ id: r.id, srcCore: src.index, dstCore: dst.index, length, hops: routeHops(spec, src.index, dst.index), delay: r.delay % (spec.core.delay_line_depth + 1) });
  }
  const segments = (size: number, raws: typeof rawSegment extends fc.Arbitrary<infer T> ? T[] : never): Segment[] =>
    n === 0
      ? []
      : raws.map((s) => {
          const core = cores[s.core % n]!;
          const offset = s.offset % (size + 1);
          return { core: core.index, offset, length: s.length % (Math.min(size - offset, core.memoryWords) + 1), fracBits: s.fracBits };
        });
  const kinds: PortKind[] = ['input', 'target', 'nudge', 'plastic'];
  const uniqueIds = <T extends { id: number }>(xs: T[]): T[] => xs.filter((x, i) => xs.findIndex((y) => y.id === x.id) === i);
  const ports = uniqueIds(raw.ports).map((p) => ({ id: p.id, kind: kinds[p.kind]!, population: p.population, size: p.size, segments: segments(p.size, p.segments) }));
  const probes = uniqueIds(raw.probes).map((p) => ({ id: p.id, population: p.population, signal: p.signal, size: p.size, segments: segments(p.size, p.segments) }));
  const used = new Map<number, Uint8Array>();
  const matrices: MatrixMap[] = [];
  for (const rm of raw.matrices) {
    if (matrices.some((m) => m.name === rm.name)) continue;
    const cols = rm.noSelf ? rm.rows : rm.cols; // noSelf matrices are square
    const blocks: MatrixMap['blocks'] = [];
    for (const b of rm.blocks) {
      if (n === 0 || cols === 0 || rm.rows === 0) break;
      const core = cores[b.core % n]!.index;
      const xrow = b.xrow % xRows;
      const xcol = b.xcol % xCols;
      const m = 1 + (b.m % Math.min(xRows - xrow, cols));
      const nn = 1 + (b.n % Math.min(xCols - xcol, rm.rows));
      const cells = used.get(core) ?? new Uint8Array(xRows * xCols);
      used.set(core, cells);
      let free = true;
      for (let r = xrow; r < xrow + m; r++) for (let c = xcol; c < xcol + nn; c++) free &&= cells[r * xCols + c] === 0;
      if (!free) continue;
      for (let r = xrow; r < xrow + m; r++) for (let c = xcol; c < xcol + nn; c++) cells[r * xCols + c] = 1;
      blocks.push({ core, pre0: b.pre0 % (cols - m + 1), post0: b.post0 % (rm.rows - nn + 1), m, n: nn, xrow, xcol });
    }
    matrices.push({ name: rm.name, rows: rm.rows, cols, scale: rm.scale, plastic: rm.plastic, noSelf: rm.noSelf, blocks });
  }
  const base = emptyImage(spec);
  const image = { ...base, header: { ...base.header, dt: raw.dt, flags: raw.flags }, cores, routes, ports, probes, matrices, metadata: raw.metadata };
  for (const m of matrices) if (m.noSelf) zeroDiagonal(image, m, spec);
  return image;
}

// ---------------------------------------------------------------- byte surgery

export interface TableEntry {
  tag: string;
  offset: number;
  length: number;
  /** where the entry is in the table */
  entry: number;
}

/** The section table of a well-formed image. */
export function sectionsOf(bytes: Uint8Array): TableEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = tableOffset(view.getUint16(H.nameLength, true));
  return SECTION_TAGS.map((_, k) => {
    const e = table + k * TABLE_ENTRY_SIZE;
    return { tag: String.fromCharCode(...bytes.subarray(e, e + 4)), offset: view.getUint32(e + 4, true), length: view.getUint32(e + 8, true), entry: e };
  });
}

export function section(bytes: Uint8Array, tag: string): TableEntry {
  return sectionsOf(bytes).find((s) => s.tag === tag)!;
}

/**
 * Recomputes every checksum (sections, header, file) of a patched image in place, as far as its
 * header and table still make sense; returns the bytes.
 */
export function fixCrcs(bytes: Uint8Array): Uint8Array {
  if (bytes.length < H.fixedSize) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameLength = view.getUint16(H.nameLength, true);
  const count = view.getUint16(H.sectionCount, true);
  const table = tableOffset(nameLength);
  const crcAt = headerLength(nameLength, count) - 8;
  if (crcAt + 8 > bytes.length) return bytes;
  for (let k = 0; k < count; k++) {
    const e = table + k * TABLE_ENTRY_SIZE;
    const offset = view.getUint32(e + 4, true);
    const length = view.getUint32(e + 8, true);
    if (offset + length <= bytes.length) view.setUint32(e + 12, crc32(bytes, offset, offset + length), true);
  }
  view.setUint32(crcAt, crc32(bytes, 0, crcAt), true);
  if (bytes.length >= 4) view.setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
  return bytes;
}

/** A copy of `bytes` with a u32 at `at` set to `v` and the checksums made valid again. */
export function patchU32(bytes: Uint8Array, at: number, v: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(at, v, true);
  return fixCrcs(copy);
}

/** Deterministic PRNG (mulberry32) for the fuzz tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The image with every typed array replaced by its type and bytes (base64): toEqual on that is
 * as strict as on the image but does not walk 65536-cell crossbars element by element (~1 s each).
 */
export function comparable(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    const b = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { [value.constructor.name]: b.toString('base64') };
  }
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  return value;
}

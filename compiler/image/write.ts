// Image -> .nlaimg bytes (layout in docs/image-format.md, constants in layout.ts). Deterministic:
// the same Image gives the same bytes (fixed section order, metadata as canonical JSON, zero
// padding). The writer checks only what it must to encode faithfully (every number fits its
// field, every code fits its stored width, crossbars are rows x cols); values it cannot encode
// are a bug in the compiler, so they throw a plain Error. The semantic checks (cores exist,
// blocks inside the crossbar, ...) are the reader's: it trusts nothing, the writer included.
import { canonicalJson, type FixedFormat } from '../hwspec/index.js';
import { IMAGE_FORMAT_VERSION, type Image, type Segment } from './types.js';
import { H, MAGIC, MATRIX_FLAGS, PORT_KINDS, SECTION_TAGS, TABLE_ENTRY_SIZE, align8, codeWidth, crc32, headerLength, tableOffset, type SectionTag } from './layout.js';

const U32_MAX = 0xffffffff;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function bug(what: string): never {
  throw new Error(`writeImage: ${what} (a bug in the compiler: the image cannot be encoded)`);
}

/** A growable little-endian byte buffer. */
class Out {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + n) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.buf.subarray(0, at));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    }
    this.length += n;
    return at;
  }

  u8(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) bug(`${what} = ${v} is not an integer 0..255`);
    const at = this.room(1); // room() may replace the buffer: call it first
    this.view.setUint8(at, v);
  }
  u16(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) bug(`${what} = ${v} is not an integer 0..65535`);
    const at = this.room(2); // room() may replace the buffer: call it first
    this.view.setUint16(at, v, true);
  }
  u32(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) bug(`${what} = ${v} is not an integer 0..2^32-1`);
    const at = this.room(4); // room() may replace the buffer: call it first
    this.view.setUint32(at, v, true);
  }
  i32(v: number, what: string): void {
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) bug(`${what} = ${v} is not a 32-bit signed integer`);
    const at = this.room(4); // room() may replace the buffer: call it first
    this.view.setInt32(at, v, true);
  }
  u64(v: bigint, what: string): void {
    if (typeof v !== 'bigint' || v < 0n || v >= 1n << 64n) bug(`${what} = ${String(v)} is not a bigint 0..2^64-1`);
    const at = this.room(8); // room() may replace the buffer: call it first
    this.view.setBigUint64(at, v, true);
  }
  f64(v: number): void {
    const at = this.room(8); // room() may replace the buffer: call it first
    this.view.setFloat64(at, v, true);
  }
  zeros(n: number): void {
    this.room(n); // the buffer starts zeroed and is never written twice
  }
  bytes(b: Uint8Array): void {
    const at = this.room(b.length);
    this.buf.set(b, at);
  }
  /** u32 byte length, then the UTF-8 bytes */
  str(s: string, what: string): void {
    if (typeof s !== 'string') bug(`${what} is not a string`);
    // TextEncoder would turn a lone surrogate into U+FFFD: the read-back string would differ
    if (LONE_SURROGATE.test(s)) bug(`${what} holds a lone UTF-16 surrogate (not encodable as UTF-8)`);
    const b = new TextEncoder().encode(s);
    this.u32(b.length, `${what} byte length`);
    this.bytes(b);
  }
  /** codes as little-endian two's complement of `width` bytes; each must lie in the format's range */
  codes(values: Int32Array, width: 1 | 2 | 4, f: FixedFormat, what: string): void {
    if (!(values instanceof Int32Array)) bug(`${what} is not an Int32Array`);
    const lo = f.signed ? -(2 ** (f.bits - 1)) : 0;
    const hi = f.signed ? 2 ** (f.bits - 1) - 1 : 2 ** f.bits - 1;
    const at = this.room(values.length * width);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo || v > hi) bug(`${what}[${i}] = ${v} is outside the ${f.bits}-bit ${f.signed ? 'signed' : 'unsigned'} format (${lo}..${hi})`);
      if (width === 1) this.view.setInt8(at + i, v);
      else if (width === 2) this.view.setInt16(at + i * 2, v, true);
      else this.view.setInt32(at + i * 4, v, true);
    }
  }
  align8(): void {
    this.zeros(align8(this.length) - this.length);
  }
  patchU8(at: number, v: number): void {
    this.view.setUint8(at, v);
  }
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** The parts of the spec the writer needs, read without validation (the reader validates). */
interface SpecFacts {
  rows: number;
  cols: number;
  weight: FixedFormat;
  state: FixedFormat;
  lutOut: FixedFormat;
}

function specFacts(json: string): SpecFacts {
  let spec: { core?: { crossbar?: { rows?: unknown; cols?: unknown } }; formats?: Record<string, FixedFormat> };
  try {
    spec = JSON.parse(json) as typeof spec;
  } catch (e) {
    bug(`hwSpecJson is not JSON (${(e as Error).message})`);
  }
  const rows = spec?.core?.crossbar?.rows;
  const cols = spec?.core?.crossbar?.cols;
  const f = spec?.formats;
  if (typeof rows !== 'number' || typeof cols !== 'number' || !f?.weight || !f.state || !f.lut_out) bug('hwSpecJson lacks core.crossbar or formats');
  return { rows, cols, weight: f.weight, state: f.state, lutOut: f.lut_out };
}

function width(f: FixedFormat, name: string): 1 | 2 | 4 {
  const w = codeWidth(f);
  if (w === 0) bug(`formats.${name} (${f.bits}-bit unsigned) does not fit a 32-bit code`);
  return w;
}

/** Encodes an Image as .nlaimg bytes; the same Image always gives the same bytes. */
export function writeImage(image: Image): Uint8Array {
  const { header } = image;
  if (header.formatVersion !== IMAGE_FORMAT_VERSION) bug(`header.formatVersion ${header.formatVersion} is not ${IMAGE_FORMAT_VERSION}, the only version this writer makes`);
  if (!/^[0-9a-f]{64}$/.test(header.hwSpecHash)) bug(`header.hwSpecHash '${header.hwSpecHash}' is not 64 lower-case hex digits`);
  if (!Number.isFinite(header.dt)) bug(`header.dt = ${header.dt} is not finite`);
  const facts = specFacts(image.hwSpecJson);
  if (LONE_SURROGATE.test(image.hwSpecJson) || LONE_SURROGATE.test(header.hwSpecName)) bug('hwSpecJson or hwSpecName holds a lone UTF-16 surrogate');
  const name = new TextEncoder().encode(header.hwSpecName);
  const out = new Out();

  // ---- header; lengths, offsets and CRCs are patched in at the end
  out.bytes(MAGIC);
  out.u16(IMAGE_FORMAT_VERSION, 'format version');
  out.u16(header.flags, 'header.flags');
  out.u32(0, 'header length');
  out.f64(header.dt);
  out.u32(0, 'file length');
  out.u16(SECTION_TAGS.length, 'section count');
  out.u16(name.length, 'hw-spec name byte length');
  for (let i = 0; i < 32; i++) out.u8(parseInt(header.hwSpecHash.slice(2 * i, 2 * i + 2), 16), 'hash byte');
  out.bytes(name);
  out.align8();
  const table = out.length;
  if (table !== tableOffset(name.length)) bug('header layout drifted from layout.ts');
  out.zeros(SECTION_TAGS.length * TABLE_ENTRY_SIZE + 8);
  const headerEnd = headerLength(name.length, SECTION_TAGS.length);
  if (out.length !== headerEnd) bug('header layout drifted from layout.ts');
  out.patchU32(H.headerLength, headerEnd);

  // ---- sections
  const bodies: Record<SectionTag, () => void> = {
    SPEC: () => out.bytes(new TextEncoder().encode(image.hwSpecJson)),
    CORE: () => writeCores(out, image),
    WGHT: () => {
      const w = width(facts.weight, 'weight');
      perCore(out, image, w, (core, at) => {
        if (core.crossbar.length !== facts.rows * facts.cols) bug(`${at}: crossbar has ${core.crossbar.length} codes, not rows*cols = ${facts.rows * facts.cols}`);
        out.u32(core.crossbar.length, `${at} crossbar length`);
        out.codes(core.crossbar, w, facts.weight, `${at} crossbar`);
      });
    },
    MEMI: () => {
      const w = width(facts.state, 'state');
      perCore(out, image, w, (core, at) => {
        out.u32(core.memory.length, `${at} memory init count`);
        core.memory.forEach((m, k) => {
          out.u32(m.addr, `${at} memory[${k}].addr`);
          out.u32(m.values.length, `${at} memory[${k}] length`);
          out.str(m.name, `${at} memory[${k}].name`);
          out.codes(m.values, w, facts.state, `${at} memory[${k}].values`);
        });
      });
    },
    LUTS: () => {
      const w = width(facts.lutOut, 'lut_out');
      perCore(out, image, w, (core, at) => {
        out.u32(core.luts.length, `${at} lut count`);
        core.luts.forEach((l, k) => {
          const lat = `${at} luts[${k}]`;
          out.u32(l.slot, `${lat}.slot`);
          out.i32(l.xMin, `${lat}.xMin`);
          out.i32(l.shift, `${lat}.shift`);
          out.i32(l.outShift, `${lat}.outShift`);
          out.str(l.name, `${lat}.name`);
          out.u32(l.entries.length, `${lat} entry count`);
          out.codes(l.entries, w, facts.lutOut, `${lat}.entries`);
        });
      });
    },
    ROUT: () => {
      out.u32(image.routes.length, 'route count');
      image.routes.forEach((r, k) => {
        for (const f of ['id', 'srcCore', 'dstCore', 'length', 'hops', 'delay'] as const) out.u32(r[f], `routes[${k}].${f}`);
      });
    },
    PORT: () => {
      out.u32(image.ports.length, 'port count');
      image.ports.forEach((p, k) => {
        out.u32(p.id, `ports[${k}].id`);
        const kind = (PORT_KINDS as readonly string[]).indexOf(p.kind);
        if (kind < 0) bug(`ports[${k}].kind '${String(p.kind)}' is not one of ${PORT_KINDS.join(', ')}`);
        out.u8(kind, `ports[${k}].kind`);
        out.zeros(3);
        out.str(p.population, `ports[${k}].population`);
        out.u32(p.size, `ports[${k}].size`);
        writeSegments(out, p.segments, `ports[${k}]`);
      });
    },
    PROB: () => {
      out.u32(image.probes.length, 'probe count');
      image.probes.forEach((p, k) => {
        out.u32(p.id, `probes[${k}].id`);
        out.str(p.population, `probes[${k}].population`);
        out.str(p.signal, `probes[${k}].signal`);
        out.u32(p.size, `probes[${k}].size`);
        writeSegments(out, p.segments, `probes[${k}]`);
      });
    },
    MATX: () => {
      out.u32(image.matrices.length, 'matrix count');
      image.matrices.forEach((m, k) => {
        out.str(m.name, `matrices[${k}].name`);
        out.u32(m.rows, `matrices[${k}].rows`);
        out.u32(m.cols, `matrices[${k}].cols`);
        if (!(Number.isFinite(m.scale) && m.scale > 0)) bug(`matrices[${k}].scale = ${m.scale} is not a positive number`);
        out.f64(m.scale);
        out.u8((m.plastic ? MATRIX_FLAGS.plastic : 0) | (m.noSelf ? MATRIX_FLAGS.noSelf : 0), `matrices[${k}] flags`);
        out.zeros(3);
        out.u32(m.blocks.length, `matrices[${k}] block count`);
        m.blocks.forEach((b, j) => {
          for (const f of ['core', 'pre0', 'post0', 'm', 'n', 'xrow', 'xcol'] as const) out.u32(b[f], `matrices[${k}].blocks[${j}].${f}`);
        });
      });
    },
    META: () => out.bytes(new TextEncoder().encode(canonicalJson(image.metadata))),
  };
  SECTION_TAGS.forEach((tag, k) => {
    const start = out.length;
    bodies[tag]();
    const end = out.length;
    if (end > U32_MAX) bug('the image exceeds 4 GiB');
    const entry = table + k * TABLE_ENTRY_SIZE;
    for (let i = 0; i < 4; i++) out.patchU8(entry + i, tag.charCodeAt(i));
    out.patchU32(entry + 4, start);
    out.patchU32(entry + 8, end - start);
    out.align8();
  });

  // ---- lengths and checksums: section CRCs over the bodies, header CRC over everything before
  // it (fixed header, name, table), file CRC over everything before it.
  const fileLength = out.length + 4;
  if (fileLength > U32_MAX) bug('the image exceeds 4 GiB');
  out.patchU32(H.fileLength, fileLength);
  out.zeros(4);
  const bytes = out.result();
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < SECTION_TAGS.length; k++) {
    const entry = table + k * TABLE_ENTRY_SIZE;
    const start = view.getUint32(entry + 4, true);
    view.setUint32(entry + 12, crc32(bytes, start, start + view.getUint32(entry + 8, true)), true);
  }
  const crcAt = table + SECTION_TAGS.length * TABLE_ENTRY_SIZE;
  view.setUint32(crcAt, crc32(bytes, 0, crcAt), true);
  view.setUint32(fileLength - 4, crc32(bytes, 0, fileLength - 4), true);
  return bytes;
}

function writeCores(out: Out, image: Image): void {
  out.u32(image.cores.length, 'core count');
  out.zeros(4); // keeps every program word 8-byte aligned in the file
  image.cores.forEach((c, k) => {
    out.u32(c.index, `cores[${k}].index`);
    out.u32(c.memoryWords, `cores[${k}].memoryWords`);
    out.u32(c.program.length, `cores[${k}] program length`);
    out.zeros(4);
    c.program.forEach((w, i) => out.u64(w, `cores[${k}].program[${i}]`));
  });
}

/** WGHT, MEMI and LUTS: code width, core count, then per core (in CORE order) its index and `body`. */
function perCore(out: Out, image: Image, w: number, body: (core: Image['cores'][number], at: string) => void): void {
  out.u8(w, 'code width');
  out.zeros(3);
  out.u32(image.cores.length, 'core count');
  image.cores.forEach((c, k) => {
    out.u32(c.index, `cores[${k}].index`);
    body(c, `cores[${k}]`);
  });
}

function writeSegments(out: Out, segments: Segment[], at: string): void {
  out.u32(segments.length, `${at} segment count`);
  segments.forEach((s, j) => {
    out.u32(s.core, `${at}.segments[${j}].core`);
    out.u32(s.offset, `${at}.segments[${j}].offset`);
    out.u32(s.length, `${at}.segments[${j}].length`);
    out.i32(s.fracBits, `${at}.segments[${j}].fracBits`);
  });
}

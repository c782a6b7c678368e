// The constants of the .nlaimg byte layout shared by write.ts and read.ts, and the CRC-32 they
// both use. The layout itself is drawn in docs/image-format.md; a change to anything here that
// alters the bytes needs a new IMAGE_FORMAT_VERSION (types.ts).
import type { FixedFormat } from '../hwspec/index.js';

/** First 8 bytes of every image: "NLAIMG" and two zero bytes (so a text file never matches). */
export const MAGIC = new Uint8Array([0x4e, 0x4c, 0x41, 0x49, 0x4d, 0x47, 0x00, 0x00]);

/** Byte offsets of the fixed part of the header (64 bytes); the hw-spec name follows it. */
export const H = {
  magic: 0,
  version: 8, // u16
  flags: 10, // u16
  headerLength: 12, // u32: offset of the first section
  dt: 16, // f64
  fileLength: 24, // u32: whole file, trailing CRC included
  sectionCount: 28, // u16
  nameLength: 30, // u16: bytes of the UTF-8 hw-spec name
  specHash: 32, // 32 raw bytes
  fixedSize: 64,
} as const;

/** One section-table entry: tag (4 ASCII bytes), u32 offset, u32 byte length, u32 CRC-32. */
export const TABLE_ENTRY_SIZE = 16;

/**
 * The sections of format version 1, in the order the writer puts them. The version pins this
 * set: a reader meets no section it does not know, and every one is present exactly once.
 */
export const SECTION_TAGS = ['SPEC', 'CORE', 'WGHT', 'MEMI', 'LUTS', 'ROUT', 'PORT', 'PROB', 'MATX', 'META'] as const;
export type SectionTag = (typeof SECTION_TAGS)[number];

/** Port kinds as stored (u8): the code is the index. Append only (or bump the version). */
export const PORT_KINDS = ['input', 'target', 'nudge', 'plastic'] as const;

/** Bits of a matrix's flags byte. */
export const MATRIX_FLAGS = { plastic: 1, noSelf: 2 } as const;

/** Offset of the section table: the fixed header and the name, padded to 8. */
export function tableOffset(nameLength: number): number {
  return align8(H.fixedSize + nameLength);
}

/** Offset of the first section: the table, then the header CRC (u32) and 4 bytes of padding. */
export function headerLength(nameLength: number, sectionCount: number): number {
  return tableOffset(nameLength) + sectionCount * TABLE_ENTRY_SIZE + 8;
}

export function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/**
 * Bytes per stored code of a format: the smallest of 1, 2 or 4 whose two's-complement range
 * holds every code (an unsigned n-bit code needs n+1 bits). 0 when even 4 bytes are too few
 * (unsigned 32-bit): such codes do not fit the Int32Array of the Image either.
 */
export function codeWidth(f: FixedFormat): 0 | 1 | 2 | 4 {
  const bits = f.signed ? f.bits : f.bits + 1;
  return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 0;
}

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and PNG), table-driven.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of bytes [start, end) of `bytes`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Bounded reading of one section body for read.ts. Every read checks the bytes left in the
// section first, so a DataView never throws a RangeError, and every count is checked against
// the bytes left (and, by the caller, against the spec's geometry) before anything is allocated
// for it. Problems become a FileProblemsError naming the file, the section and the entry.
import { FileProblemsError } from '../common/errors.js';
import type { FixedFormat } from '../hwspec/index.js';

/** The fix offered for bytes that cannot be what the writer made. */
export const CORRUPT = 'the image is damaged or was not written by nla: recompile the network (or copy the file again)';
/** The fix offered for numbers beyond the spec's geometry. */
export const GEOMETRY = 'the image is corrupt or was made for another hw-spec: recompile it';

export function fail(file: string, where: string, message: string, fix = CORRUPT): never {
  throw new FileProblemsError(file, [{ path: where, message, fix }]);
}

// fatal: invalid UTF-8 is an error, not U+FFFD; ignoreBOM: a leading U+FEFF is kept, as written
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Cursor {
  /** the entry being read, e.g. "core 3 lut 1", for messages */
  at = '';
  private readonly view: DataView;
  private pos: number;

  constructor(
    readonly file: string,
    readonly tag: string,
    private readonly bytes: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string, fix = CORRUPT): never {
    fail(this.file, `section '${this.tag}'${this.at ? ` ${this.at}` : ''}`, message, fix);
  }

  get left(): number {
    return this.end - this.pos;
  }

  /** Fails unless `n` more bytes are there. */
  need(n: number, what: string): void {
    if (n > this.left) this.fail(`ends early: ${what} needs ${n} bytes, ${this.left} left in the section`);
  }

  /** Fails unless `n` records of at least `recordBytes` each can fit in what is left. */
  count(n: number, recordBytes: number, what: string): void {
    if (n * recordBytes > this.left) this.fail(`${n} ${what} need at least ${n * recordBytes} bytes, but only ${this.left} are left in the section`);
  }

  /** Fails if `v` exceeds the spec's `max` (named `field`). */
  limit(v: number, max: number, what: string, field: string): void {
    if (v > max) this.fail(`${what} ${v} exceeds the spec's ${field} ${max}`, GEOMETRY);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** i32 within [lo, hi] */
  i32In(what: string, lo: number, hi: number): number {
    const v = this.i32(what);
    if (v < lo || v > hi) this.fail(`${what} ${v} is outside ${lo}..${hi}`);
    return v;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** reserved bytes: zero in this version, so a reader can rely on them later */
  zeros(n: number): void {
    this.need(n, 'reserved bytes');
    for (let i = 0; i < n; i++) if (this.bytes[this.pos + i] !== 0) this.fail(`reserved byte at section offset ${this.pos + i - this.start} is ${this.bytes[this.pos + i]}, not 0`);
    this.pos += n;
  }
  /** u32 byte length, then that many bytes of UTF-8 */
  str(what: string): string {
    const n = this.u32(`${what} length`);
    this.need(n, what);
    return this.text(n, what);
  }
  /** `n` bytes of UTF-8 */
  text(n: number, what: string): string {
    this.need(n, what);
    let s: string;
    try {
      s = utf8.decode(this.bytes.subarray(this.pos, this.pos + n));
    } catch {
      this.fail(`${what} is not valid UTF-8`);
    }
    this.pos += n;
    return s;
  }
  /** raw bytes (a view, not a copy) */
  raw(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** `n` codes of `width` bytes each (two's complement), each within format `f` (named `name`) */
  codes(n: number, width: number, f: FixedFormat, name: string, what: string): Int32Array {
    this.need(n * width, what);
    const lo = f.signed ? -(2 ** (f.bits - 1)) : 0;
    const hi = f.signed ? 2 ** (f.bits - 1) - 1 : 2 ** f.bits - 1;
    const out = new Int32Array(n);
    const v = this.view;
    for (let i = 0, p = this.pos; i < n; i++, p += width) {
      const x = width === 1 ? v.getInt8(p) : width === 2 ? v.getInt16(p, true) : v.getInt32(p, true);
      if (x < lo || x > hi) this.fail(`${what}[${i}] = ${x} is outside formats.${name} (${lo}..${hi})`);
      out[i] = x;
    }
    this.pos += n * width;
    return out;
  }
  /** Fails if bytes are left over after the last entry. */
  done(): void {
    this.at = '';
    if (this.left !== 0) this.fail(`${this.left} bytes left over after the last entry`);
  }
}

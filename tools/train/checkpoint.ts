// Training checkpoints: one binary file, written atomically (temporary file, then rename), so an
// interrupted run always finds either the previous checkpoint or the new one, never half of it.
// Layout: "NLACKPT1" (8 bytes), header length (u32 LE), JSON header, zero padding to a multiple
// of 8, then the f64 arrays (little endian) the header lists in order, then nothing.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { UserError } from '../../compiler/common/errors.js';
import { writeFileAtomic } from '../io.js';

const MAGIC = 'NLACKPT1';

export interface CheckpointHeader {
  version: 1;
  /** the run's identity: a checkpoint is only resumed by the same configuration */
  config: Record<string, unknown>;
  progress: Record<string, unknown>;
  arrays: { key: string; length: number }[];
  /** sha256 of the array bytes */
  sha256: string;
}

export interface Checkpoint {
  config: Record<string, unknown>;
  progress: Record<string, unknown>;
  arrays: Record<string, Float64Array>;
}

export function writeCheckpoint(path: string, c: Checkpoint): void {
  const keys = Object.keys(c.arrays).sort();
  let words = 0;
  for (const k of keys) words += c.arrays[k].length;
  const data = new Float64Array(words);
  let o = 0;
  for (const k of keys) {
    data.set(c.arrays[k], o);
    o += c.arrays[k].length;
  }
  const bytes = new Uint8Array(data.buffer);
  const header: CheckpointHeader = {
    version: 1,
    config: c.config,
    progress: c.progress,
    arrays: keys.map((key) => ({ key, length: c.arrays[key].length })),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = 12 + json.length;
  const pad = (8 - (start % 8)) % 8;
  const out = Buffer.alloc(start + pad + bytes.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).copy(out, start + pad);
  writeFileAtomic(path, out);
}

export function readCheckpoint(path: string): Checkpoint | null {
  if (!existsSync(path)) return null;
  const bad = (why: string) =>
    new UserError(`${path} is not a usable nla training checkpoint (${why}). Delete it to start over, or pass another --out`);
  const buf = readFileSync(path);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw bad('wrong magic');
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) throw bad('truncated header');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + len));
  } catch {
    throw bad('unreadable header');
  }
  if (header.version !== 1 || !Array.isArray(header.arrays)) throw bad(`unknown version ${String(header.version)}`);
  const start = 12 + len + ((8 - ((12 + len) % 8)) % 8);
  const words = header.arrays.reduce((s, a) => s + a.length, 0);
  if (buf.length !== start + 8 * words) throw bad(`expected ${start + 8 * words} bytes, found ${buf.length}`);
  const body = buf.subarray(start);
  if (createHash('sha256').update(body).digest('hex') !== header.sha256) throw bad('checksum mismatch');
  const all = new Float64Array(words);
  new Uint8Array(all.buffer).set(body);
  const arrays: Record<string, Float64Array> = {};
  let o = 0;
  for (const a of header.arrays) {
    arrays[a.key] = all.slice(o, o + a.length);
    o += a.length;
  }
  return { config: header.config, progress: header.progress, arrays };
}

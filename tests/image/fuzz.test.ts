// Seeded fuzzing of readImage: random mutations of valid images either read or throw a
// UserError, never anything else (no RangeError from a DataView, no stack trace), never hang.
// Two rounds: raw mutations (almost all stopped by the checksums), and mutations inside section
// bodies with the checksums made valid again, which reach every parser behind them. An image that
// survives must be in the writer's form: it writes back to the very same bytes.
import { describe, expect, test } from 'vitest';
import { isUserError } from '../../compiler/common/errors.js';
import { readImage, writeImage } from '../../compiler/image/index.js';
import { fixCrcs, handImage, rng, sectionsOf, sha256, tinySpec } from './helpers.js';

const spec = tinySpec();
const good = writeImage(handImage(spec));
/** u32 values that break counts, lengths and indices */
const NASTY = [0, 1, 2, 3, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

interface Tally {
  ok: number;
  rejected: number;
  messages: Map<string, number>;
}

/** Reads `bytes`: counts a success or a UserError, fails on anything else. */
function attempt(bytes: Uint8Array, tally: Tally, label: string): void {
  try {
    const image = readImage(bytes, 'fuzz.nlaimg');
    tally.ok++;
    expect(sha256(writeImage(image)), `${label}: accepted but not in the writer's form`).toBe(sha256(bytes));
  } catch (e) {
    if (!isUserError(e)) throw new Error(`${label}: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.message, label).not.toMatch(/internal error/);
    tally.rejected++;
    // what kind of rejection: the message without its fix, numbers and hex
    const kind = e.message.replace(/^fuzz\.nlaimg: /, '').split('. ')[0]!.replace(/0x[0-9a-f]+|[0-9a-f]{64}|-?\d+(\.\d+)?(e-?\d+)?/g, 'N');
    tally.messages.set(kind, (tally.messages.get(kind) ?? 0) + 1);
  }
}

function mutateRaw(r: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(r() * n);
  const kind = pick(6);
  if (kind === 0) return good.slice(0, pick(good.length)); // truncate
  if (kind === 1) {
    // append junk
    const b = new Uint8Array(good.length + 1 + pick(64));
    b.set(good);
    for (let i = good.length; i < b.length; i++) b[i] = pick(256);
    return b;
  }
  if (kind === 2) {
    // cut a range out of the middle
    const at = pick(good.length);
    const n = 1 + pick(32);
    return new Uint8Array([...good.subarray(0, at), ...good.subarray(at + n)]);
  }
  const b = good.slice();
  for (let k = 0, n = 1 + pick(4); k < n; k++) {
    const at = pick(b.length);
    if (kind === 3) b[at]! ^= 1 << pick(8);
    else if (kind === 4) b[at] = pick(256);
    else if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at - (at % 4), NASTY[pick(NASTY.length)]!, true);
  }
  return b;
}

/** A mutation inside one section body (not SPEC: its hash guards it), checksums fixed afterwards. */
function mutateBody(r: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(r() * n);
  const bodies = sectionsOf(good).filter((s) => s.tag !== 'SPEC' && s.length > 0);
  const b = good.slice();
  const view = new DataView(b.buffer);
  for (let k = 0, n = 1 + pick(3); k < n; k++) {
    const s = bodies[pick(bodies.length)]!;
    const at = s.offset + pick(s.length);
    const kind = pick(4);
    if (kind === 0) b[at]! ^= 1 << pick(8);
    else if (kind === 1) b[at] = pick(256);
    else {
      // a nasty u32 (counts, lengths, indices are u32s at 4-byte steps from the section start)
      const aligned = s.offset + ((at - s.offset) & ~3);
      if (aligned + 4 <= s.offset + s.length) view.setUint32(aligned, kind === 2 ? NASTY[pick(NASTY.length)]! : view.getUint32(aligned, true) + (pick(2) ? 1 : -1) >>> 0, true);
    }
  }
  return fixCrcs(b);
}

describe('fuzz', () => {
  test('2000 raw byte mutations: each reads or is a UserError', () => {
    const r = rng(20240601);
    const tally: Tally = { ok: 0, rejected: 0, messages: new Map() };
    for (let i = 0; i < 2000; i++) attempt(mutateRaw(r), tally, `raw mutation ${i}`);
    expect(tally.ok + tally.rejected).toBe(2000);
    expect(tally.rejected).toBeGreaterThan(1900);
  }, 30_000);

  test('2000 mutations of section bodies behind valid checksums: each reads or is a UserError', () => {
    const r = rng(7);
    const tally: Tally = { ok: 0, rejected: 0, messages: new Map() };
    const t = performance.now();
    for (let i = 0; i < 2000; i++) attempt(mutateBody(r), tally, `body mutation ${i}`);
    expect(performance.now() - t).toBeLessThan(10_000);
    // the mutations got past the checksums and exercised many different checks
    expect([...tally.messages.keys()].filter((k) => /checksum/.test(k))).toEqual([]);
    if (process.env.FUZZ_REPORT) console.log(tally.ok, [...tally.messages].sort((a, b) => b[1] - a[1]));
    expect(tally.messages.size).toBeGreaterThan(30);
    expect(tally.rejected).toBeGreaterThan(1000);
  }, 30_000);
});

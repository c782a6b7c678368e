// The reference chip and the Wasm core side by side on one image, and a bit-for-bit comparison
// of everything either exposes: every core's vector memory and crossbar, the port and probe
// codes, the tick and every counter (numbers compared with Object.is: -0 and NaN count).
import { expect } from 'vitest';
import type { Image } from '../../compiler/image/index.js';
import { createChip, type Chip } from '../../emulator/chip/index.js';
import type { WasmChip } from '../../emulator/chip/wasm.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';

export interface Pair {
  ref: Chip;
  wasm: WasmChip;
}

export function pair(image: Image, seed = 0): Pair {
  return { ref: createChip(image, { seed }), wasm: createNodeWasmChip(image, { seed }) };
}

/** First index where a and b differ (Object.is), or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameArray(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  const i = firstDifference(a, b);
  if (i >= 0) expect.fail(`${what} differ at ${i}: reference ${a[i]}, wasm ${b[i]} (lengths ${a.length}, ${b.length})`);
}

export function expectSameCounters(p: Pair, where = ''): void {
  const a = p.ref.counters();
  const b = p.wasm.counters();
  expect(Object.keys(b).sort(), `${where} counter names`).toEqual(Object.keys(a).sort());
  for (const k of Object.keys(a)) if (!Object.is(a[k], b[k])) expect.fail(`${where} counter ${k}: reference ${a[k]}, wasm ${b[k]}`);
  expect(p.wasm.energy(), `${where} energy()`).toEqual(p.ref.energy());
  expect(p.wasm.cycles(), `${where} cycles()`).toEqual(p.ref.cycles());
}

/** Memory, crossbars, ports, probes, tick and counters are identical. */
export function expectSameState(p: Pair, where = ''): void {
  expect(p.wasm.tick, `${where} tick`).toBe(p.ref.tick);
  const r = p.ref.reference;
  for (const c of p.wasm.loaded.cores) {
    expectSameArray(`${where} core ${c.index} memory`, r.core(c.index).memory, p.wasm.core(c.index).memory);
    expectSameArray(`${where} core ${c.index} crossbar`, r.core(c.index).crossbar, p.wasm.core(c.index).crossbar);
  }
  for (const [id, codes] of r.portCodes) expectSameArray(`${where} port ${id}`, codes, p.wasm.portCodes(id));
  for (const [id, codes] of r.probeCodes) expectSameArray(`${where} probe ${id}`, codes, p.wasm.probeCodes(id));
  expectSameCounters(p, where);
}

/** Probe codes only (cheap enough for every tick). */
export function expectSameProbes(p: Pair, where = ''): void {
  for (const [id, codes] of p.ref.reference.probeCodes) expectSameArray(`${where} probe ${id}`, codes, p.wasm.probeCodes(id));
}

/** Both throw, with the same message; returns it. */
export function expectSameError(a: () => unknown, b: () => unknown): string {
  const messageOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  };
  const message = messageOf(a);
  expect(message, 'the reference throws').toBeDefined();
  expect(messageOf(b)).toBe(message);
  return message!;
}

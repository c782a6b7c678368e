// Fuzzing past the image reader: random valid images (random-images.ts) written to bytes, mutated
// inside their section bodies with the checksums made valid again, read back, and every image
// that reads is loaded (emulator/chip/load.ts) and run for a few ticks on the reference and on the
// Wasm core. Each step either works or throws a UserError (never a RangeError, a Wasm trap, an
// "internal error", a hang or a huge allocation), both backends agree on which, and when both run
// their state stays identical, bit for bit. Then images built in memory with absurd sizes, shifts
// and loop nests: refused by the loader before anything is allocated or run.
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../compiler/common/errors.js';
import { Rng } from '../../compiler/common/rng.js';
import { readImage, writeImage, type Image } from '../../compiler/image/index.js';
import { codeRange, type HwSpec } from '../../compiler/hwspec/types.js';
import { encodeProgram } from '../../compiler/isa/index.js';
import { createChip } from '../../emulator/chip/index.js';
import { loadChip, MAX_WORK_PER_TICK } from '../../emulator/chip/load.js';
import { createNodeWasmChip } from '../../emulator/chip/wasm-node.js';
import { fixCrcs, rng, routeHops, sectionsOf } from '../image/helpers.js';
import { expectSameState, type Pair } from './compare.js';
import { RandomImage, randomPortCodes, type SpecVariant } from './random-images.js';

const VARIANT: SpecVariant = { preset: 'default', noise: true, mismatch: true, state: 'stochastic', adc: 'nearest_even', fractionalDac: false, wideWeights: false, wideState: false };
const NASTY = [0, 1, 2, 3, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const TICKS = 3;

/** A UserError that is not an internal error, or the test fails with the stack. */
function expectClear(e: unknown, label: string): string {
  if (!isUserError(e)) throw new Error(`${label}: not a UserError: ${(e as Error)?.stack ?? String(e)}`);
  expect(e.message, label).not.toMatch(/internal error/);
  return e.message;
}

/** f() on both backends: the same UserError from both, or both return. */
function both<T, U>(label: string, ref: () => T, wasm: () => U): [T, U] | string {
  let a: T | undefined, b: U | undefined, ea: string | undefined, eb: string | undefined;
  try {
    a = ref();
  } catch (e) {
    ea = expectClear(e, `${label} (reference)`);
  }
  try {
    b = wasm();
  } catch (e) {
    eb = expectClear(e, `${label} (wasm)`);
  }
  expect(eb, `${label}: the backends disagree`).toBe(ea);
  return ea ?? [a!, b!];
}

/** The image file stores memory in the state format and cells in the weight format: random images may hold raw words beyond them. */
function encodable(image: Image): Image {
  const spec = JSON.parse(image.hwSpecJson) as HwSpec;
  const s = codeRange(spec.formats.state);
  const w = codeRange(spec.formats.weight);
  for (const c of image.cores) {
    c.crossbar = c.crossbar.map((x) => Math.min(w.max, Math.max(w.min, x)));
    for (const m of c.memory) m.values = m.values.map((x) => Math.min(s.max, Math.max(s.min, x)));
    // and tables of exactly core.lut_entries entries
    for (const t of c.luts) t.entries = Int32Array.from({ length: spec.core.lut_entries }, (_, i) => t.entries[Math.min(i, t.entries.length - 1)]!);
  }
  // routes as long as the mesh says; no matrix maps (the file checks them against the cells)
  image.routes = image.routes.map((r) => ({ ...r, hops: routeHops(spec, r.srcCore, r.dstCore) }));
  image.matrices = [];
  return image;
}

function mutateBody(good: Uint8Array, r: () => number): Uint8Array {
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
      const aligned = s.offset + ((at - s.offset) & ~3);
      if (aligned + 4 <= s.offset + s.length) view.setUint32(aligned, kind === 2 ? NASTY[pick(NASTY.length)]! : (view.getUint32(aligned, true) + (pick(2) ? 1 : -1)) >>> 0, true);
    }
  }
  return fixCrcs(b);
}

describe('fuzz: mutated images through the reader, the loader and both backends', () => {
  it('2000 mutations of 40 random images: each step works on both or is the same clear UserError', () => {
    const r = rng(20261123);
    const tally = { read: 0, loaded: 0, ran: 0, failedAtRun: 0 };
    const t0 = performance.now();
    for (let base = 0; base < 40; base++) {
      const { image } = new RandomImage(1000 + base, VARIANT).build();
      const good = writeImage(encodable(image));
      for (let m = 0; m < 50; m++) {
        const label = `image ${base}, mutation ${m}`;
        let mutated: Image;
        try {
          mutated = readImage(mutateBody(good, r), 'fuzz.nlaimg');
        } catch (e) {
          expectClear(e, `${label} (read)`);
          continue;
        }
        tally.read++;
        const made = both(label + ' (load)', () => createChip(mutated, { seed: 3 }), () => createNodeWasmChip(mutated, { seed: 3 }));
        if (typeof made === 'string') continue;
        tally.loaded++;
        const p: Pair = { ref: made[0], wasm: made[1] };
        // what the loader promises: a bounded tick, so a few of them are quick
        expect(p.wasm.loaded.cores.reduce((s, c) => s + c.workPerTick, 0)).toBeLessThanOrEqual(MAX_WORK_PER_TICK * p.wasm.loaded.cores.length);
        const codes = new Rng(base, m);
        for (let k = 0; k < TICKS; k++) {
          for (const id of p.wasm.loaded.ports.keys()) {
            const c = randomPortCodes(codes, p.wasm.loaded.ports.get(id)!.size);
            p.ref.reference.portCodes.get(id)!.set(c);
            p.wasm.portCodes(id).set(c);
          }
          const stepped = both(`${label}, tick ${k}`, () => p.ref.step(), () => p.wasm.step());
          if (typeof stepped === 'string') {
            tally.failedAtRun++;
            break;
          }
          expectSameState(p, `${label}, tick ${k}`);
        }
        tally.ran++;
      }
    }
    if (process.env.FUZZ_REPORT) console.log(tally, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // the mutations reached the loader and the backends, not only the reader
    expect(tally.read).toBeGreaterThan(200);
    expect(tally.loaded).toBeGreaterThan(100);
  }, 240_000);

  it('absurd sizes in an image built in memory are refused before anything is allocated', () => {
    const { image } = new RandomImage(7, VARIANT).build();
    const spec = JSON.parse(image.hwSpecJson);
    const cases: [string, (im: Image) => void, RegExp][] = [
      ['memoryWords', (im) => void (im.cores[0]!.memoryWords = 2 ** 31), /chip state .*core/],
      ['port size', (im) => void (im.ports[0]!.size = 2 ** 32 - 1), /chip state .*port/],
      ['probe size', (im) => void (im.probes[0]!.size = 2 ** 30), /chip state .*probe/],
      ['route delay', (im) => void (im.routes[0]!.delay = 2 ** 31), /chip state .*route/],
      ['negative size', (im) => void (im.ports[0]!.size = -1), /chip state/],
    ];
    for (const [what, patch, message] of cases) {
      const im = structuredClone(image);
      if ((what === 'port size' || what === 'negative size') && !im.ports.length) continue;
      if (what === 'probe size' && !im.probes.length) continue;
      if (what === 'route delay' && !im.routes.length) continue;
      patch(im);
      const t = performance.now();
      expect(() => loadChip(im, spec), what).toThrow(message);
      expect(() => createNodeWasmChip(im), what).toThrow(message);
      expect(performance.now() - t, what).toBeLessThan(2000);
    }
  });

  it('lookup-table shifts beyond the format and loop nests that would run for ages are refused at load', () => {
    const { image } = new RandomImage(11, VARIANT).build();
    const spec = JSON.parse(image.hwSpecJson);
    const core = image.cores[0]!;
    const lut = { slot: 0, name: 't', xMin: 0, shift: 3, entries: Int32Array.from([0, 10, 20, 30]), outShift: 0 };
    const withLut = (patch: Partial<typeof lut>): Image => {
      const im = structuredClone(image);
      const c = im.cores[0]!;
      c.luts = [{ ...lut, ...patch }];
      c.program = encodeProgram([{ op: 'vlut', dst: 0, a: 4, len: 4, lut: 0 }, { op: 'halt' }] as never);
      return im;
    };
    expect(() => loadChip(withLut({}), spec)).not.toThrow();
    expect(() => loadChip(withLut({ shift: 32 }), spec)).toThrow(/shift must be 0 \.\. 31/);
    expect(() => loadChip(withLut({ outShift: 64 }), spec)).toThrow(/outShift 64; it must be -63 \.\. 63/);
    expect(() => loadChip(withLut({ outShift: -64 }), spec)).toThrow(/outShift -64/);
    // three nested loops of 65535 around a vector instruction: about 2^48 element operations per tick
    const im = structuredClone(image);
    im.cores = [{ ...core, luts: [], program: encodeProgram([
      { op: 'loop', count: 65535, end: 5 },
      { op: 'loop', count: 65535, end: 5 },
      { op: 'loop', count: 65535, end: 5 },
      { op: 'vadd', dst: 0, a: 0, b: 0, len: 16 },
      { op: 'halt' },
    ] as never) }];
    im.routes = [];
    im.ports = [];
    im.probes = [];
    im.matrices = [];
    const t = performance.now();
    expect(() => loadChip(im, spec)).toThrow(/element operations, more than/);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

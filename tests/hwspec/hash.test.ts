// The spec identity an image carries: sha256 of the canonical JSON (keys sorted), so it does not
// depend on key order, formatting, the file format or a $schema key, and changes with any value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { canonicalJson, hwSpecHash, loadHwSpec, parseHwSpec, presetDir, presetNames, type HwSpec } from '../../compiler/hwspec/index.js';

/** The same value with the keys of every object in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  return v;
}

describe('hwSpecHash', () => {
  test('is 64 hex digits and differs between the presets', () => {
    const hashes = presetNames().map((n) => hwSpecHash(loadHwSpec(n)));
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  test('canonical JSON sorts keys at every level and leaves undefined out', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  test('is stable across key order, formatting, file format and the $schema key', () => {
    const spec = loadHwSpec('default');
    const h = hwSpecHash(spec);
    const reversed = reverseKeys(spec) as HwSpec;
    expect(Object.keys(reversed)[0]).toBe('static_power');
    expect(hwSpecHash(reversed)).toBe(h);
    expect(hwSpecHash(parseHwSpec(JSON.stringify(reversed), 'r.json'))).toBe(h);
    expect(hwSpecHash(parseHwSpec(stringify(reversed), 'r.yaml'))).toBe(h);
    const raw = readFileSync(join(presetDir(), 'default.json'), 'utf8');
    expect(hwSpecHash(parseHwSpec(raw.replace('"$schema": "../hw-spec.schema.json",', ''), 'no-schema.json'))).toBe(h);
    expect(hwSpecHash({ ...spec, $schema: 'elsewhere.json' } as HwSpec)).toBe(h);
  });

  test('changes when any value changes', () => {
    const spec = loadHwSpec('default');
    const h = hwSpecHash(spec);
    const variants: ((s: HwSpec) => void)[] = [
      (s) => (s.formats.adc.bits = 7),
      (s) => (s.formats.weight.signed = false),
      (s) => (s.costs.mvm.energy_pj_per_event = 0.21),
      (s) => (s.costs.halt.source += '.'),
      (s) => (s.noise.enabled = false),
      (s) => (s.seed = 2),
      (s) => delete s.seed,
      (s) => (s.version = '1.1'),
    ];
    const seen = new Set([h]);
    for (const change of variants) {
      const copy = structuredClone(spec);
      change(copy);
      const hv = hwSpecHash(copy);
      expect(seen.has(hv)).toBe(false);
      seen.add(hv);
    }
    expect(hwSpecHash(spec)).toBe(h); // the original is untouched
  });
});

// `nla run --backend`: the Wasm core (the default) and the reference write the same trace, but
// for the name of the emulator in its metadata.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { useCli } from '../helpers/cli.js';

const { dir, nla } = useCli('run-backend');
const img = join(dir, 'rec.nlaimg');
beforeAll(async () => {
  expect((await nla('compile', 'examples/recurrent.yaml', '--hw', 'default', '-o', img)).code).toBe(0);
});

describe('nla run --backend', () => {
  test('wasm (default) and reference write the same probes, bit for bit', async () => {
    const traces = [];
    for (const backend of [undefined, 'wasm', 'reference']) {
      const out = join(dir, `${backend ?? 'default'}.json`);
      const r = await nla('run', img, '--steps', '40', '--seed', '3', '--out', out, '--quiet', ...(backend ? ['--backend', backend] : []));
      expect(r.code).toBe(0);
      traces.push(JSON.parse(readFileSync(out, 'utf8')));
    }
    expect(traces.map((t) => t.meta.emulator)).toEqual(['chip-wasm', 'chip-wasm', 'chip-reference']);
    for (const t of traces) delete t.meta.emulator;
    expect(traces[1]).toEqual(traces[0]);
    expect(traces[2]).toEqual(traces[0]);
  });

  test('an unknown backend is a clear error', async () => {
    const r = await nla('run', img, '--steps', '1', '--backend', 'fpga');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--backend: expected wasm or reference, got 'fpga'/);
  });
});

// `nla run` through the real CLI entry: the trace format of simulate, determinism, seeds, bad input.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { useCli } from '../helpers/cli.js';

const { dir, nla } = useCli('run');
const img = join(dir, 'rec.nlaimg');
beforeAll(async () => {
  expect((await nla('compile', 'examples/recurrent.yaml', '--hw', 'default', '-o', img)).code).toBe(0);
});

describe('nla run', () => {
  test('writes the trace format of simulate, in real units, with the stimulus compiled into the image', async () => {
    const out = join(dir, 'run.json');
    const r = await nla('run', img, '--steps', '40', '--every', '10', '--record', 'u', '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    expect(trace.dt).toBe(0.001);
    expect(trace.t).toHaveLength(5);
    expect(Object.keys(trace.probes).sort()).toEqual(['hidden.u', 'visible.u']);
    expect(trace.probes['visible.u'][4]).toHaveLength(56);
    expect(trace.meta).toMatchObject({ backend: 'chip', hwSpec: 'default', seed: 0, steps: 40 });
    const last = trace.probes['visible.u'][4] as number[];
    expect(last.some((x) => Math.abs(x) > 0.01)).toBe(true);
  });

  test('same seed, same bytes; another seed, other noise', async () => {
    const [a, b, c] = ['a.json', 'b.json', 'c.json'].map((f) => join(dir, f));
    const args = ['run', img, '--steps', '30', '--quiet'];
    await nla(...args, '--out', a!);
    await nla(...args, '--out', b!);
    await nla(...args, '--out', c!, '--seed', '7');
    expect(readFileSync(a!).equals(readFileSync(b!))).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(c!))).toBe(false);
  });

  test('bad input: clear errors, exit 1, no output file', async () => {
    const out = join(dir, 'never.json');
    for (const [args, msg] of [
      [['run', img, '--record', 'nonesuch.u', '--out', out], /'nonesuch\.u' is not probed/],
      [['run', img, '--net', 'examples/chain.yaml', '--out', out], /dt = 0\.001 s, the network file with 0\.00005 s/],
      [['run', join(dir, 'missing.nlaimg')], /missing\.nlaimg: file not found/],
      [['run', 'examples/chain.yaml'], /chain\.yaml/],
    ] as const) {
      const r = await nla(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/internal error/);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe('nla estimate', () => {
  test('per tick, per sample and per weight update, with every class sourced', async () => {
    const r = await nla('estimate', img, '--json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out);
    expect(e.plastic).toBe(true);
    expect(e.ticks_per_sample).toBe(100); // recurrent.yaml: 100 ms presentations at dt 1 ms
    expect(e.energy_pj_per_sample).toBeCloseTo(e.energy_pj_per_tick.total * 100, 3);
    expect(e.energy_pj_per_weight_update).toBeGreaterThan(0);
    for (const c of Object.values(e.by_class) as { source: string; basis: string }[]) {
      expect(c.source.length).toBeGreaterThan(10);
      expect(['measured', 'simulated', 'derived']).toContain(c.basis);
    }
    const off = JSON.parse((await nla('estimate', img, '--json', '--plastic', 'off')).out);
    expect(off.energy_pj_per_tick.dynamic).toBeLessThan(e.energy_pj_per_tick.dynamic);
    expect(off.energy_pj_per_weight_update).toBeNull();
    const text = await nla('estimate', img);
    expect(text.out).toMatch(/real-time factor/);
    expect(text.out).toMatch(/outer_update .*Loihi/);
    expect((await nla('estimate', img, '--plastic', 'maybe')).code).toBe(1);
  });
});

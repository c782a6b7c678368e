// `nla simulate` through the real CLI entry: traces, determinism, examples, bad input.
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../tools/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nla-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(((c: string | Uint8Array) => ((out += String(c)), true)) as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(((c: string | Uint8Array) => ((err += String(c)), true)) as typeof process.stderr.write);
});
afterEach(() => vi.restoreAllMocks());

describe('nla simulate', () => {
  test('writes the JSON trace format', async () => {
    const file = join(dir, 'run.json');
    expect(await main(['simulate', 'examples/chain.yaml', '--steps', '200', '--every', '50', '--out', file, '--quiet'])).toBe(0);
    const trace = JSON.parse(readFileSync(file, 'utf8'));
    expect(trace.dt).toBe(5e-5);
    expect(trace.t).toHaveLength(5); // steps 0, 50, 100, 150 and the final state
    expect(trace.t[4]).toBeCloseTo(1e-2, 12);
    expect(Object.keys(trace.probes)).toEqual(['in.rbar', 'h1.u', 'h5.u', 'out.u']);
    expect(trace.probes['out.u'][0]).toHaveLength(2);
    expect(trace.meta).toMatchObject({ network: 'chain', backend: 'ideal', scheme: 'explicit', solver: 'layered', seed: 7, steps: 200 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('same seed, same bytes; another seed, other weights', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const c = join(dir, 'c.json');
    const args = ['simulate', 'examples/recurrent.yaml', '--steps', '150', '--record', 'u,ebar', '--quiet'];
    expect(await main([...args, '--out', a])).toBe(0);
    expect(await main([...args, '--out', b])).toBe(0);
    expect(await main([...args, '--out', c, '--seed', '99'])).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });

  test('wasm and js kernels give bit-identical traces (MNIST net with plasticity)', async () => {
    const w = join(dir, 'w.json');
    const j = join(dir, 'j.json');
    const args = ['simulate', 'examples/mnist.yaml', '--steps', '60', '--record', 'out.u,hidden.ebar,W2.W', '--quiet'];
    expect(await main([...args, '--out', w, '--kernels', 'wasm'])).toBe(0);
    expect(await main([...args, '--out', j, '--kernels', 'js'])).toBe(0);
    expect(readFileSync(w).equals(readFileSync(j))).toBe(true);
  });

  test('CSV output has one column per neuron', async () => {
    const file = join(dir, 'run.csv');
    expect(await main(['simulate', 'examples/chain.yaml', '--steps', '10', '--record', 'out.u', '--out', file, '--quiet'])).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('t,out.u[0],out.u[1]');
    expect(lines).toHaveLength(12);
  });

  test.each(['chain', 'mnist', 'microcircuit', 'recurrent'])('examples/%s.yaml runs', async (name) => {
    expect(await main(['simulate', `examples/${name}.yaml`, '--steps', '20', '--json', '--quiet'])).toBe(0);
    const trace = JSON.parse(out);
    for (const series of Object.values(trace.probes) as number[][][]) for (const row of series) for (const v of row) expect(Number.isFinite(v)).toBe(true);
  });

  test.each([
    [['--scheme', 'fast'], "--scheme: unknown scheme 'fast'"],
    [['--duration', 'soon'], "--duration: cannot read 'soon' as a duration"],
    [['--record', 'out.volts'], "--record: unknown signal 'volts'"],
    [['--record', 'nowhere.u'], "--record: no population named 'nowhere'"],
    [['--steps', '-3'], '--steps: expected a non-negative integer'],
  ])('bad flags %j: exit 1, one clean line', async (flags, message) => {
    expect(await main(['simulate', 'examples/chain.yaml', ...flags, '--quiet'])).toBe(1);
    expect(err).toContain(message);
    expect(err).not.toContain('    at ');
  });

  test('a microcircuit with a scheme it does not define is a clean error', async () => {
    expect(await main(['simulate', 'examples/microcircuit.yaml', '--scheme', 'le', '--steps', '2', '--quiet'])).toBe(1);
    expect(err).toContain("scheme 'le'");
    expect(err).not.toContain('    at ');
  });

  test('no half-written output when the run fails', async () => {
    const file = join(dir, 'never.json');
    expect(await main(['simulate', 'examples/chain.yaml', '--record', 'in.u', '--steps', '5', '--out', file, '--quiet'])).toBe(1);
    expect(existsSync(file)).toBe(false);
  });
});

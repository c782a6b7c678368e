// `nla validate` through the real CLI entry (tools/cli.ts main): exit codes, one clean message,
// no stack traces, --json on stdout.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

// The simulate command pulls in the whole ideal model; validate does not need it.
vi.mock('../../tools/commands/simulate.js', () => ({ registerSimulate: () => undefined }));
const { main } = await import('../../tools/cli.js');

const GOOD = 'tests/network/fixtures/good/chain.yaml';
const BAD = 'tests/network/fixtures/bad/unknown-fields.yaml';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('nla validate', () => {
  test('a good file: exit 0 and a one-line summary', async () => {
    expect(await main(['validate', GOOD])).toBe(0);
    expect(err).toBe('');
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain(`${GOOD}: ok, network 'chain': in input 4, h1 hidden 6, out output 2; 3 projections, 48 synapses`);
    expect(out).toContain('scheme explicit, dt 50us; feedforward');
  });

  test('a recurrent file says so', async () => {
    expect(await main(['validate', 'tests/network/fixtures/good/recurrent.yaml'])).toBe(0);
    expect(out).toMatch(/; recurrent\n$/);
  });

  test('a bad file: exit 1, every problem on stderr once, no stack trace', async () => {
    expect(await main(['validate', BAD])).toBe(1);
    expect(out).toBe('');
    expect(err).not.toContain('    at ');
    expect(err).not.toContain('internal error');
    expect(err.match(/^nla: /gm)).toHaveLength(1);
    expect(err).toContain(`nla: ${BAD}: 6 problems\n`);
    expect(err).toContain(`${BAD}: projections[0].init.stdd: unknown field 'stdd'. did you mean 'std'?`);
  });

  test('a missing file: exit 1 with a clean message', async () => {
    expect(await main(['validate', 'no/such/net.yaml'])).toBe(1);
    expect(err).toMatch(/^nla: no\/such\/net\.yaml: file not found\. check the path/);
    expect(err).not.toContain('    at ');
  });

  test('--json on a good file', async () => {
    expect(await main(['validate', GOOD, '--json'])).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      ok: true,
      file: GOOD,
      summary: { name: 'chain', neurons: 12, projections: 3, synapses: 48, scheme: 'explicit', dt_s: 5e-5, feedforward: true, microcircuit: false },
    });
  });

  test('--json on a bad file: problems on stdout, nothing on stderr, exit 1', async () => {
    expect(await main(['validate', BAD, '--json'])).toBe(1);
    expect(err).toBe('');
    const result = JSON.parse(out);
    expect(result.ok).toBe(false);
    expect(result.file).toBe(BAD);
    expect(result.problems).toHaveLength(6);
    expect(result.problems[2]).toEqual({
      path: 'projections[0].init.stdd',
      message: "unknown field 'stdd'",
      fix: "did you mean 'std'? allowed fields for dist 'normal': dist, std, mean, clip",
    });
  });

  test('a missing argument is a usage error (exit 2)', async () => {
    expect(await main(['validate'])).toBe(2);
  });
});

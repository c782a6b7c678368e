// `nla sweep` on the chain, a small grid and short runs (20 ms = 400 ticks per configuration, the
// reference chip): every row completes (a configuration that cannot be built is a row with its
// reason), the CSV and the JSON agree, a second run resumes (computes nothing it has), a changed
// spec is refused, and Ctrl-C keeps the finished rows whole. The workers run the build (dist/):
// run `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.js';

const { dir, nla } = useCli('sweep');
const RUN = ['--duration', '20ms', '--calibrate', '400', '--backend', 'reference', '--workers', '2'];
// adc_bits=3 leaves the default preset's ADC with -1 fraction bits: not a valid spec
const GRID = ['--vary', 'weight_bits=5,6', '--vary', 'adc_bits=3,8'];

interface Table {
  rows: { key: string; ok: boolean; reason: string | null; rms: number | null; energy_pj_per_tick: number | null; config: Record<string, number> }[];
  pareto: string[];
  chosen: { key: string } | null;
  computed: number;
  reused: number;
}

async function sweep(out: string, ...extra: string[]): Promise<Table> {
  const r = await nla('sweep', 'examples/chain.yaml', '--hw', 'default', '--out', out, ...RUN, ...extra, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Table;
}

describe('nla sweep', () => {
  const out = join(dir, 'grid');

  it('runs every configuration; one that cannot be built is a row with the reason', async () => {
    const t = await sweep(out, ...GRID, '--budget', 'rms=1');
    expect(t.rows.map((r) => r.key)).toEqual(['weight_bits=5,adc_bits=3', 'weight_bits=5,adc_bits=8', 'weight_bits=6,adc_bits=3', 'weight_bits=6,adc_bits=8']);
    expect([t.computed, t.reused]).toEqual([4, 0]);
    for (const r of t.rows.filter((x) => x.config.adc_bits === 3)) expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/formats\.adc\.frac_bits: must be at least 0/) });
    for (const r of t.rows.filter((x) => x.config.adc_bits === 8)) {
      expect(r.ok).toBe(true);
      expect(r.rms).toBeGreaterThan(0);
      expect(r.energy_pj_per_tick).toBeGreaterThan(0);
    }
    expect(t.pareto.length).toBeGreaterThan(0);
    expect(t.chosen?.key).toMatch(/adc_bits=8/);
  }, 120000);

  it('table.csv and table.json hold the same rows; index.html is self-contained with its plots', () => {
    const json = JSON.parse(readFileSync(join(out, 'table.json'), 'utf8')) as Table;
    const [head, ...lines] = readFileSync(join(out, 'table.csv'), 'utf8').trim().split('\n');
    const col = (name: string) => head!.split(',').indexOf(name);
    expect(lines).toHaveLength(json.rows.length);
    json.rows.forEach((r, i) => {
      const cells = lines[i]!.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
      expect(Number(cells[col('weight_bits')])).toBe(r.config.weight_bits);
      expect(cells[col('ok')]).toBe(String(r.ok));
      expect(cells[col('rms')]).toBe(r.rms === null ? '' : String(r.rms));
      expect(cells[col('pareto')]).toBe(String(json.pareto.includes(r.key)));
    });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\/|<script|<link|<img|url\(/i);
    expect(html.match(/<svg/g)?.length).toBe(3); // error vs energy, one per axis
    expect(html).toContain('Pareto front');
  });

  it('a second run resumes: finished rows are reused, only new configurations are computed', async () => {
    expect(await sweep(out, ...GRID)).toMatchObject({ computed: 0, reused: 4 });
    const wider = await sweep(out, '--vary', 'weight_bits=5,6,7', '--vary', 'adc_bits=3,8');
    expect([wider.computed, wider.reused]).toEqual([2, 4]);
  }, 120000);

  it('refuses the rows of another spec or run, names what changed; --restart discards them', async () => {
    const r = await nla('sweep', 'examples/chain.yaml', '--hw', 'bss2-like', '--out', out, ...RUN, ...GRID, '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/holds rows of another sweep \(changed: hw_spec .*default.* -> .*bss2-like.*\).*--restart/);
    const again = await nla('sweep', 'examples/chain.yaml', '--hw', 'default', '--out', out, ...RUN, ...GRID, '--seed', '5', '--quiet');
    expect(again.err).toMatch(/changed: seed 0 -> 5/);
    expect((await sweep(out, ...GRID, '--seed', '5', '--restart')).computed).toBe(4);
  }, 120000);

  it('bad flags: a clear error and exit 1 (a missing flag: usage, exit 2)', async () => {
    const bad = await nla('sweep', 'examples/chain.yaml', '--hw', 'default', '--out', join(dir, 'bad'), '--vary', 'bits=4..8');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/unknown axis 'bits'. Known axes: weight_bits, dac_bits, adc_bits/);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
    expect((await nla('sweep', 'examples/chain.yaml', '--hw', 'default', '--vary', 'adc_bits=8')).code).toBe(2);
  });

  it('Ctrl-C stops the workers, keeps the finished rows whole, and the same command resumes', async () => {
    const stopped = join(dir, 'stopped');
    const args = ['dist/tools/nla.js', 'sweep', 'examples/chain.yaml', '--hw', 'default', '--out', stopped, '--vary', 'weight_bits=4..11', '--duration', '100ms', '--backend', 'reference', '--workers', '1', '--quiet'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    let running = true;
    void exited.then(() => (running = false));
    const results = join(stopped, 'results.json');
    const finished = () => (existsSync(results) ? (JSON.parse(readFileSync(results, 'utf8')) as Table).rows.length : 0);
    while (running && finished() < 1) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(1);
    expect(err).toMatch(/sweep interrupted: \d of 8 configurations are done and kept in .*results\.json. Run the same command again to resume/);
    const kept = finished();
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(8);
    expect(readdirSync(stopped).sort()).toEqual(['results.json']); // no tables, no temporary files
    const r = await nla(...args.slice(1, -1), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ computed: 8 - kept, reused: kept });
  }, 120000);
});

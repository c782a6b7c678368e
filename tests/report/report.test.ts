// `nla report` on the chain example, a short run (40 ms = 4 tau = 800 ticks from rest, 8 input
// switches, calibrated over the same ticks) on the three presets: the summary has every row, the
// page is self-contained and has its plots, the attribution says what the presets are, and the
// page renders in a real browser.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { NONIDEALITIES, type ReportSummary } from '../../tools/report/index.js';
import { useCli } from '../helpers/cli.js';
import { pngStats } from './png.js';

const { dir, nla } = useCli('report');
// the reference interpreter (the definition of the chip): the tests do not depend on build/chip.wasm,
// except the one that checks that the Wasm core gives the same report
const RUN = ['--duration', '40ms', '--calibrate', '800', '--seed', '3', '--backend', 'reference'];
const PRESETS = ['default', 'high-precision', 'bss2-like'];

/**
 * "Near zero" for a share of the error: the RMS it accounts for is below 1e-3 of the output's
 * range, the tolerance to which the high-precision chip tracks its own f64 program
 * (docs/emulator.md); far below the algorithm's error on this run (about 5e-2 of the range).
 */
const NEAR_ZERO = 1e-3;

const reports: Record<string, { summary: ReportSummary; stdout: string }> = {};

async function report(preset: string, key = preset, extra: string[] = []): Promise<void> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof process.stdout.write);
  try {
    expect(await main(['report', 'examples/chain.yaml', '--hw', preset, '--out', join(dir, key), ...RUN, ...extra, '--json'])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  reports[key] = { summary: JSON.parse(readFileSync(join(dir, key, 'summary.json'), 'utf8')), stdout };
}

const row = (s: ReportSummary, name: string) => s.attribution.rows.find((r) => r.name === name)!;
type Row = ReportSummary['attribution']['rows'][number];
/** the row with the largest value of `pick` (null: not a candidate) */
const largest = (s: ReportSummary, pick: (r: Row) => number | null) => s.attribution.rows.reduce((best, r) => ((pick(r) ?? -Infinity) > (pick(best) ?? -Infinity) ? r : best)).name;

function printAttribution(s: ReportSummary): void {
  const a = s.attribution;
  console.log(
    `chain on ${s.hw_spec.name}, ${s.steps} ticks: output RMS vs ideal explicit ${a.base_rms.toExponential(3)}, range ${a.output_range.toFixed(4)}\n` +
      a.rows.map((r) => `  ${r.name.padEnd(10)} ${r.status.padEnd(15)} off ${r.rms_off?.toExponential(3) ?? '-'}  share ${r.share?.toFixed(3) ?? '-'}  alone ${r.rms_alone?.toExponential(3) ?? '-'}  alone share ${r.alone_share?.toFixed(3) ?? '-'}`).join('\n'),
  );
}

beforeAll(async () => {
  for (const preset of PRESETS) await report(preset);
  // the same chip without the compiler pass that copies small blocks into idle crossbar lines
  await report('bss2-like', 'bss2-like-no-replicate', ['--no-replicate']);
}, 240000);

describe('nla report: summary.json', () => {
  it('--json prints the summary that summary.json holds', () => {
    const { summary, stdout } = reports['high-precision']!;
    expect(JSON.parse(stdout).image.sha256).toBe(summary.image.sha256);
  });

  it('has every attribution row, the identities of spec and image, seed and commands', () => {
    for (const preset of PRESETS) {
      const s = reports[preset]!.summary;
      expect(s.attribution.rows.map((r) => r.name)).toEqual([...NONIDEALITIES.map((n) => n.name), 'algorithm']);
      for (const r of s.attribution.rows) {
        expect(['measured', 'already off', 'not applicable', 'failed']).toContain(r.status);
        if (r.status === 'measured' || r.status === 'already off') expect(Number.isFinite(r.rms_off)).toBe(true);
        else expect(r.note).toBeTruthy();
      }
      expect(row(s, 'std').status).toBe('not applicable');
      expect(row(s, 'delays').status).toBe('not applicable'); // the chain fits one core: no routes
      expect(s.hw_spec).toMatchObject({ name: preset, given: preset });
      expect(s.hw_spec.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(s.image.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(s.seed).toBe(3);
      expect(s.steps).toBe(800);
      expect(s.command).toContain(`nla report examples/chain.yaml --hw ${preset}`);
      expect(s.commands.compile).toContain(`--hw ${preset}`);
      expect(s.comparisons.map((c) => c.key)).toEqual(['chip_vs_ideal_explicit', 'chip_vs_lowered', 'lowered_vs_ideal', 'lowered_vs_ideal_explicit']);
      expect(s.prospectivity.layers.map((l) => l.population)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'out']);
      expect(s.accuracy).toMatchObject({ available: false });
      expect(s.time_energy.modes[0]!.energy_pj_per_tick.total).toBeGreaterThan(0);
      expect(s.tensors.count).toBeGreaterThan(50);
    }
  });

  it('the lowered f64 program equals the ideal implicit scheme, and the chip its energy estimate', () => {
    const s = reports['high-precision']!.summary;
    const lowered = s.comparisons.find((c) => c.key === 'lowered_vs_ideal')!;
    for (const e of Object.values(lowered.probes)) expect(e.rms).toBeLessThan(1e-9);
    const m = s.time_energy.measured;
    expect(Math.abs(m.energy_pj - m.estimated_energy_pj)).toBeLessThan(1e-6 * m.energy_pj);
  });
});

describe('nla report: index.html', () => {
  it('is self-contained: no links, scripts, fonts or styles from elsewhere', () => {
    for (const preset of PRESETS) {
      const html = readFileSync(join(dir, preset, 'index.html'), 'utf8');
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    }
  });

  it('has its plots as inline <svg> elements drawn with paths', () => {
    const html = readFileSync(join(dir, 'default', 'index.html'), 'utf8');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // 7 trace overlays, 2 error plots, 3 attribution charts, the bits histogram, energy by class
    expect(svgs.length).toBeGreaterThanOrEqual(14);
    for (const svg of svgs) expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+/);
    for (const title of ['out.u[', 'error over time on out.u', 'bits used per tensor', 'dynamic energy per tick by class', 'share of the reduction']) expect(html).toContain(title);
  });

  it('renders in a headless browser (Debian chromium) to a non-blank picture', () => {
    let chromium = '';
    try {
      chromium = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    } catch {
      // fall through: chromium stays ''
    }
    if (!chromium) throw new Error("this test needs Debian's chromium to render the report page: install it with 'apt-get install -y chromium' (.ci/run does)");
    const png = join(dir, 'page.png');
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
    execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--screenshot=${png}`, '--window-size=1200,3000', `file://${join(dir, 'default', 'index.html')}`], { stdio: 'ignore', timeout: 60000 });
    expect(existsSync(png)).toBe(true);
    const bytes = readFileSync(png);
    expect(bytes.length).toBeGreaterThan(30000);
    const stats = pngStats(bytes);
    expect(stats).toMatchObject({ width: 1200, height: 3000 });
    expect(stats.inked).toBeGreaterThan(0.02);
    expect(stats.colours).toBeGreaterThan(8);
  }, 60000);
});

describe('nla report: error attribution on the chain', () => {
  it('high-precision: the quantization rows account for nearly nothing; the algorithm for the error', () => {
    const s = reports['high-precision']!.summary;
    printAttribution(s);
    const range = s.attribution.output_range;
    expect(range).toBeGreaterThan(0.01);
    for (const name of ['weight', 'dac', 'adc', 'state']) {
      const r = row(s, name);
      expect(Math.abs(r.reduction!) / range, `${name}: reduction`).toBeLessThan(NEAR_ZERO);
      expect(r.rms_alone! / range, `${name}: alone`).toBeLessThan(NEAR_ZERO);
    }
    // the preset has nothing to widen (its rows are 'already off'), so measure the quantization
    // directly: the chip against its own program in f64
    const chipVsLowered = s.comparisons.find((c) => c.key === 'chip_vs_lowered')!;
    for (const out of s.attribution.outputs) expect(chipVsLowered.probes[`${out}.u`]!.rmsOverRange!).toBeLessThan(NEAR_ZERO);
    const algorithm = row(s, 'algorithm');
    expect(algorithm.rms_alone! / range).toBeGreaterThan(10 * NEAR_ZERO);
    expect(Math.max(...s.attribution.rows.map((r) => r.share ?? -Infinity))).toBe(algorithm.share);
  });

  // bss2-like reads a crossbar line at the hxtorch gain of 0.002 ADC LSB per (weight LSB x DAC
  // LSB), made for sums over up to 128 rows. The chain's products sum 3 lines: compiled as they
  // are, one ADC code is 0.5 to 2 units of a product that stays within +-1.5, and the read noise of
  // 2 LSB is as coarse, so the ADC and its read noise dominate (the first test). The compiler's
  // replicate pass (docs/compiler.md) writes each 3 x 3 block 32 times down the idle rows (forward
  // reads) and 32 times across idle columns (transposed reads of errors), and drives it with 32
  // copies of its input: 32 times the line sum for the same ADC step, noise and offset. Then weight
  // quantization (6 bits, 4 fraction bits), which copying does not change, dominates the hardware
  // rows in both views (the second test). The algorithm row (the relaxed implicit scheme against
  // the explicit one, no hardware) is larger alone than any hardware row; switched off one at a time,
  // the weights lower the error most of all rows.
  it('bss2-like without replication: the ADC dominates (its resolution alone, its read noise one at a time)', () => {
    const s = reports['bss2-like-no-replicate']!.summary;
    printAttribution(s);
    expect(s.command).toContain('--no-replicate');
    expect(largest(s, (r) => r.alone_share)).toBe('adc');
    expect(largest(s, (r) => r.share)).toBe('noise');
    expect(row(s, 'adc').rms_alone!).toBeGreaterThan(10 * row(s, 'weight').rms_alone!);
  });

  it('bss2-like: weight quantization dominates the hardware rows, alone and one at a time', () => {
    const s = reports['bss2-like']!.summary;
    printAttribution(s);
    const hardware = (r: Row) => (r.name === 'algorithm' ? null : r.alone_share);
    expect(largest(s, hardware)).toBe('weight');
    expect(largest(s, (r) => r.share)).toBe('weight');
    const weight = row(s, 'weight').rms_alone!;
    // every other hardware row is below it, the ADC and its read noise included
    for (const name of ['dac', 'adc', 'state', 'lut', 'noise', 'mismatch']) expect(row(s, name).rms_alone!, name).toBeLessThan(weight);
    // copying does not touch the weight codes: about the same error alone as without the pass
    const ratio = weight / row(reports['bss2-like-no-replicate']!.summary, 'weight').rms_alone!;
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
    // and the chip is closer to the ideal model
    expect(s.attribution.base_rms).toBeLessThan(0.25 * reports['bss2-like-no-replicate']!.summary.attribution.base_rms);
  });

  it('default: the attribution is printed (the figures describe the preset)', () => {
    const s = reports.default!.summary;
    printAttribution(s);
    expect(s.attribution.rows.filter((r) => r.status === 'measured').length).toBeGreaterThanOrEqual(8);
  });
});

describe('nla report: command line', () => {
  it('the Wasm chip core (the default) gives the same numbers as the reference interpreter', async () => {
    const numbers = async (backend: string) => {
      const out = join(dir, `backend-${backend}`);
      expect((await nla('report', 'examples/chain.yaml', '--hw', 'bss2-like', '--out', out, '--steps', '300', '--calibrate', '300', '--backend', backend, '--quiet')).code).toBe(0);
      const s: ReportSummary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      return { emulator: s.chip_emulator, comparisons: s.comparisons, attribution: s.attribution.rows, saturation: s.saturation };
    };
    const [wasm, reference] = [await numbers('wasm'), await numbers('reference')];
    expect([wasm.emulator, reference.emulator]).toEqual(['chip-wasm', 'chip-reference']);
    expect(wasm.comparisons).toEqual(reference.comparisons);
    expect(wasm.attribution).toEqual(reference.attribution);
    expect(wasm.saturation).toEqual(reference.saturation);
  }, 60000);

  it('usage errors and bad specs exit non-zero with a message', async () => {
    expect((await nla('report', 'examples/chain.yaml', '--hw', 'default')).code).toBe(2);
    const r = await nla('report', 'examples/chain.yaml', '--hw', 'no-such-chip', '--out', join(dir, 'x'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toContain("unknown hw-spec preset 'no-such-chip'");
    expect(existsSync(join(dir, 'x', 'summary.json'))).toBe(false);
  });
});

// The report page: one self-contained HTML file (inline CSS and SVG, no scripts, fonts or links
// to anything outside it), built from the summary and the kept series.
import { barChart, escapeXml as esc, histogram, linePlot, type LineSeries } from './svg.js';
import { probeKey, type LockstepResult, type ProbeSpec } from './lockstep.js';
import { LEVELS, PAIRS, type ReportSummary } from './report.js';
import type { Lag } from './analysis.js';

const num = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(digits - 1) : x.toPrecision(digits));
const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(1)}%`);
const lagText = (l: Lag): string => (l.flat ? `– (${l.flat === 'compared' ? 'constant' : 'reference constant'})` : l.ticks === null ? '–' : `${num(l.ticks)} (${num(l.tau)} τ)${l.at_bound ? ' at bound' : ''}`);

/** a cell of prose, aligned left (numbers align right) */
interface TextCell {
  text: string;
}

function table(head: string[], rows: (string | number | TextCell)[][]): string {
  const cell = (c: string | number | TextCell) => (typeof c === 'object' ? `<td class="text">${c.text}</td>` : `<td>${typeof c === 'number' ? num(c) : c}</td>`);
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

/** the neuron whose reference signal moves most (the clearest overlay) */
function liveliest(series: Float64Array[]): number {
  let best = 0;
  let bestRange = -1;
  series.forEach((s, i) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of s) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi - lo > bestRange) [best, bestRange] = [i, hi - lo];
  });
  return best;
}

/** RMS over neurons of b - a at every kept sample */
function errorOverTime(a: Float64Array[], b: Float64Array[]): Float64Array {
  const n = a[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (b[i]![t]! - a[i]![t]!) ** 2;
    out[t] = Math.sqrt(s / a.length);
  }
  return out;
}

function tracePlots(run: LockstepResult, probes: ProbeSpec[]): string {
  const ms = run.t.map((x) => x * 1e3);
  return probes
    .map((p) => {
      const key = probeKey(p);
      const i = liveliest(run.series.get('explicit')!.get(key)!);
      const series: LineSeries[] = LEVELS.map((l) => ({ label: l.label, x: ms, y: run.series.get(l.key)!.get(key)![i]!, dashed: l.key === 'no_lookahead' || l.key === 'ideal' }));
      return linePlot({ title: `${key}[${i}] (of ${p.size}): ideal, lowered and chip`, xLabel: 'network time (ms)', yLabel: p.signal, series });
    })
    .join('\n');
}

function errorPlots(run: LockstepResult, probes: ProbeSpec[], outputs: string[]): string {
  const ms = run.t.map((x) => x * 1e3);
  const at = (level: string, key: string) => run.series.get(level)!.get(key)!;
  const parts: string[] = [];
  for (const p of probes.filter((q) => q.signal === 'u' && outputs.includes(q.population))) {
    const key = probeKey(p);
    const series = PAIRS.map((pr) => ({ label: pr.label, x: ms, y: errorOverTime(at(pr.ref, key), at(pr.cmp, key)) }));
    parts.push(linePlot({ title: `error over time on ${key} (RMS over neurons)`, xLabel: 'network time (ms)', yLabel: '|error| (log)', series, logY: true }));
  }
  const layers = probes.filter((q) => q.signal === 'u');
  parts.push(
    linePlot({
      title: 'chip vs ideal explicit per population (RMS over neurons)',
      xLabel: 'network time (ms)',
      yLabel: '|error| (log)',
      logY: true,
      series: layers.map((p) => ({ label: p.population, x: ms, y: errorOverTime(at('explicit', probeKey(p)), at('chip', probeKey(p))) })),
    }),
  );
  return parts.join('\n');
}

function comparisonTable(s: ReportSummary): string {
  const rows: (string | number)[][] = [];
  for (const c of s.comparisons)
    for (const [probe, e] of Object.entries(c.probes)) rows.push([esc(c.label), esc(probe), num(e.rms), num(e.max), num(e.range), num(e.rmsOverRange), num(e.maxOverRange), num(e.correlation, 6), lagText(e.lag)]);
  return table(['levels (compared vs reference)', 'probe', 'RMS', 'max', 'reference range', 'RMS / range', 'max / range', 'correlation', 'lag, ticks'], rows);
}

function attributionSection(s: ReportSummary): string {
  const a = s.attribution;
  const chart = (title: string, yLabel: string, pick: (r: (typeof a.rows)[number]) => number | null, note: (v: number) => string) =>
    barChart({ title, yLabel, bars: a.rows.filter((r) => pick(r) !== null).map((r) => ({ label: r.name, value: pick(r)!, note: note(pick(r)!) })) });
  const charts = [
    chart(`share of the reduction of the output RMS error when switched off alone (base ${num(a.base_rms)})`, 'share', (r) => r.share, pct),
    chart(`reduction of the output RMS error relative to the output range (${num(a.output_range)})`, 'reduction / range', (r) => r.reduction_over_range, (v) => num(v, 2)),
    chart('output RMS error of each non-ideality alone (every other one off), share', 'alone share', (r) => r.alone_share, pct),
  ];
  const rows = a.rows.map((r) => [esc(r.title), esc(r.status), num(r.rms_off), num(r.reduction), num(r.reduction_over_range), pct(r.share), pct(r.variance_share), num(r.rms_alone), pct(r.alone_share), { text: esc(r.off) + (r.note ? `<br><small>${esc(r.note)}</small>` : '') }]);
  const all = a.all_hardware_off;
  rows.push([esc('every hardware row at once'), esc(all.status), num(all.rms_off), num(all.rms_off === null ? null : a.base_rms - all.rms_off), '', '', '', '', '', { text: esc(all.note ?? '') }]);
  const head = ['non-ideality', 'status', 'RMS with it off', 'reduction', 'reduction / range', 'share', 'variance share', 'RMS alone', 'alone share', 'off means'];
  return `<p>Output ${esc(a.outputs.join(', '))} against the ${esc(a.reference)} model: RMS ${num(a.base_rms)}. "With it off": that non-ideality off, the rest as the spec has them; "alone": every other one off, compared with the chip that has all of them off (the algorithm alone: lowered f64 against ideal explicit).</p>${charts.join('\n')}${table(head, rows)}<p>${esc(a.note)}</p>`;
}

function energySection(s: ReportSummary): string {
  const te = s.time_energy;
  const parts = te.modes.map((m) => {
    const classes = Object.entries(m.by_class);
    const chart = barChart({ title: `dynamic energy per tick by class (plasticity ${m.plastic ? 'on' : 'off'}), pJ`, yLabel: 'pJ per tick', bars: classes.map(([c, v]) => ({ label: c, value: v.energy_pj })) });
    const head = table(
      ['plasticity', 'cycles / tick', 'wall / tick (s)', 'bound', 'real-time factor', 'energy / tick (pJ)', 'dynamic', 'static', 'ticks / sample', 'energy / sample (pJ)', 'wall / sample (s)', 'energy / weight update (pJ)'],
      [[m.plastic ? 'on' : 'off', m.cycles_per_tick, m.wall_s_per_tick, m.bound, m.realtime_factor, m.energy_pj_per_tick.total, m.energy_pj_per_tick.dynamic, m.energy_pj_per_tick.static, m.ticks_per_sample, m.energy_pj_per_sample, m.wall_s_per_sample, num(m.energy_pj_per_weight_update)]],
    );
    const byClass = table(['class', 'executions', 'events', 'cycles', 'energy (pJ)', 'basis', 'source'], classes.map(([c, v]) => [esc(c), v.executions, v.events, v.cycles, v.energy_pj, esc(v.basis), { text: esc(v.source) }]));
    return `${head}${chart}${byClass}`;
  });
  const m = te.measured;
  return `${parts.join('\n')}<p>Static power ${te.static_power.mw_per_core} mW × ${te.static_power.cores} cores (${esc(te.static_power.basis)}: ${esc(te.static_power.source)}). The chip's counters over the run: ${num(m.energy_pj)} pJ and ${num(m.wall_s)} s wall for ${m.ticks} ticks; the estimate for the same ticks: ${num(m.estimated_energy_pj)} pJ and ${num(m.estimated_wall_s)} s.</p>`;
}

function accuracySection(s: ReportSummary): string {
  const a = s.accuracy;
  if (!a.available) return `<p>Accuracy: n/a — ${esc(a.reason)}.</p>`;
  const levels = Object.keys(a.phases[0]?.accuracy ?? {});
  return `<p>Argmax of ${esc(a.population)}.u averaged over the second half of each presentation, against the sample's label. In nudged phases the output is pulled towards the target.</p>${table(['phase', 'nudged', 'samples', ...levels], a.phases.map((p) => [esc(p.phase), p.nudged ? 'yes' : 'no', String(p.samples), ...levels.map((l) => pct(p.accuracy[l]))]))}`;
}

const CSS = `body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}th{background:#f2f2f2}
td:first-child,th:first-child,td.text{text-align:left}svg.plot{display:block;margin:8px 0}code{background:#f4f4f4;padding:1px 3px}.key{background:#f7f7fb;border:1px solid #dde;padding:8px 12px}`;

export function reportHtml(s: ReportSummary, run: LockstepResult, probes: ProbeSpec[]): string {
  const outputs = s.attribution.outputs;
  const outKey = `${outputs[0]}.u`;
  const chipVsIdeal = s.comparisons.find((c) => c.key === 'chip_vs_ideal_explicit')!.probes[outKey];
  const m0 = s.time_energy.modes[0]!;
  const tensorsFlagged = s.tensors.flagged.map((t) => [esc(t.name), esc(t.status), num(t.maxAbs), num(t.bitsUsed)]);
  const sat = Object.entries(s.saturation);
  const satKeys = Object.keys(sat[0]?.[1] ?? {});
  const body = `
<h1>nla report: ${esc(s.network.name)} on ${esc(s.hw_spec.name)}</h1>
<p>Network <code>${esc(s.network.file)}</code> (sha256 ${esc(s.network.sha256.slice(0, 16))}…, seed ${s.network.seed}, file scheme ${esc(s.network.scheme_file)}, chip scheme ${esc(s.network.scheme_chip)}).
hw-spec <code>${esc(s.hw_spec.given)}</code> (${esc(s.hw_spec.name)}, sha256 ${esc(s.hw_spec.hash.slice(0, 16))}…). Image sha256 ${esc(s.image.sha256.slice(0, 16))}…, ${s.image.cores} cores, ${s.image.routes} routes.
Run seed ${s.seed} on ${esc(s.chip_emulator)}; ${s.steps} ticks of ${num(s.dt_s * 1e3)} ms (${num(s.duration_s * 1e3)} ms); series keep ${s.every === 1 ? 'every tick' : `every ${s.every}th tick`} (${s.samples} samples). ${esc(s.start.charAt(0).toUpperCase() + s.start.slice(1))}.</p>
<div class="key"><p>Chip vs ideal explicit on ${esc(outKey)}: RMS ${num(chipVsIdeal?.rms)} = ${num(chipVsIdeal?.rmsOverRange)} of the range ${num(chipVsIdeal?.range)}, correlation ${num(chipVsIdeal?.correlation, 6)}.</p>
<p>Prospectivity (does the chip still cancel integration and propagation delays?): ${esc(s.prospectivity.verdict)}.</p>
<p>Energy ${num(m0.energy_pj_per_tick.total)} pJ per tick, ${num(m0.energy_pj_per_sample)} pJ per sample; ${num(m0.wall_s_per_tick)} s wall per tick (${esc(m0.bound)}-bound).</p></div>
<h2>Traces</h2>${tracePlots(run, probes)}
<h2>Error over time</h2>${errorPlots(run, probes, outputs)}
<h2>Level against level</h2><p>RMS and max over neurons and every tick; range = max − min of the reference; lag = the shift maximising the cross-correlation within ±2 τ (positive: the compared level is late).</p>${comparisonTable(s)}
<h2>Prospectivity</h2><p>${esc(s.prospectivity.verdict)}.</p>${table(['population', 'depth', 'chip vs ideal explicit', 'ideal (chip scheme) vs explicit', 'no-lookahead vs explicit'], s.prospectivity.layers.map((l) => [esc(l.population), l.depth === null ? '–' : String(l.depth), lagText(l.chip), lagText(l.ideal_chip_scheme), lagText(l.no_lookahead)]))}
<h2>Error attribution</h2>${attributionSection(s)}
<h2>Range use</h2>${histogram({ title: `bits used per tensor (${s.tensors.count} tensors, calibrated maxima)`, xLabel: 'bits used', values: s.tensors.all.map((t) => t.bitsUsed), binWidth: 1 })}
${tensorsFlagged.length ? table(['flagged tensor', 'status', 'max |x|', 'bits used'], tensorsFlagged) : '<p>No tensor flagged.</p>'}
<p>Range events over the run (the chip's counters; one row per chip):</p>${table(['chip', ...satKeys], sat.map(([k, v]) => [esc(k), ...satKeys.map((c) => String(v[c]))]))}
<h2>Task accuracy</h2>${accuracySection(s)}
<h2>Time and energy (static estimate)</h2>${energySection(s)}
<h2>Run</h2>${table(['what', 'seconds'], [...Object.entries(s.run_times.compile_s).map(([k, v]) => [esc(`compile ${k}`), v]), ...Object.entries(s.run_times.step_s).map(([k, v]) => [esc(`step ${k}`), v]), ['lock-step run', s.run_times.run_s], ['total', s.run_times.total_s]])}
${s.warnings.length ? `<p>Warnings:</p><ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
<p>Commands:</p><ul>${[s.command, ...Object.values(s.commands)].filter(Boolean).map((c) => `<li><code>${esc(c!)}</code></li>`).join('')}</ul>
<p><small>Written by ${esc(s.tool)} at ${esc(s.created)}; everything above is also in summary.json.</small></p>`;
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>nla report: ${esc(s.network.name)} on ${esc(s.hw_spec.name)}</title><style>${CSS}</style></head><body>${body}</body></html>\n`;
}

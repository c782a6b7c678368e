// The sweep's page: one self-contained HTML file (inline CSS and SVG, like the report): error
// against energy with the Pareto front, error against each axis, and the table.
import { escapeXml as esc, linePlot } from '../report/svg.js';
import type { SweepTable } from './sweep.js';

const num = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toPrecision(3));

const CSS = `body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}th{background:#f2f2f2}
td.text{text-align:left}tr.front td{font-weight:bold}svg.plot{display:block;margin:8px 0}code{background:#f4f4f4;padding:1px 3px}.key{background:#f7f7fb;border:1px solid #dde;padding:8px 12px}`;

function scatter(t: SweepTable): string {
  const ok = t.rows.filter((r) => r.ok && r.rms !== null && r.energy_pj_per_sample !== null);
  const front = t.pareto.map((k) => t.rows.find((r) => r.key === k)!);
  return linePlot({
    title: 'output RMS error against energy per sample (Pareto front joined)',
    xLabel: 'energy per sample (pJ, one presentation, static estimate)',
    yLabel: 'RMS error vs ideal explicit (log)',
    logY: true,
    series: [
      { label: `configurations (${ok.length})`, x: ok.map((r) => r.energy_pj_per_sample!), y: ok.map((r) => r.rms!), points: true, line: false },
      { label: `Pareto front (${front.length})`, x: front.map((r) => r.energy_pj_per_sample!), y: front.map((r) => r.rms!), points: true },
    ],
  });
}

/** error against one axis: every row as a point, and the best row per value joined */
function perAxis(t: SweepTable): string {
  return t.axes
    .map(({ name, values, format }) => {
      const ok = t.rows.filter((r) => r.ok && r.rms !== null);
      const best = values.map((v) => Math.min(...ok.filter((r) => r.config[name] === v).map((r) => r.rms!)));
      const scale = name === 'dt' ? 1e3 : 1; // dt in ms
      return linePlot({
        title: `output RMS error against ${name}`,
        xLabel: name === 'dt' ? 'dt (ms)' : name,
        yLabel: 'RMS error (log)',
        logY: true,
        series: [
          { label: 'configurations', x: ok.map((r) => r.config[name]! * scale), y: ok.map((r) => r.rms!), points: true, line: false },
          { label: `best at each ${name}`, x: values.map((v) => v * scale), y: best, points: true },
        ],
      }).replace('</svg>', `<desc>${esc(values.map(format).join(', '))}</desc></svg>`);
    })
    .join('\n');
}

function table(t: SweepTable): string {
  const names = t.axes.map((a) => a.name);
  const head = [...names, 'RMS', 'RMS / range', 'max error', 'pJ / tick', 'pJ / sample', 's / tick', 'cores', 'note'];
  const rows = t.rows.map((r) => {
    const cells = [...t.axes.map((a) => esc(a.format(r.config[a.name]!))), num(r.rms), num(r.rms_over_range), num(r.max_error), num(r.energy_pj_per_tick), num(r.energy_pj_per_sample), num(r.wall_s_per_tick), r.cores === null ? '–' : String(r.cores)];
    const note = r.ok ? (t.pareto.includes(r.key) ? 'Pareto front' : '') + (t.chosen?.key === r.key ? ' · within budget, lowest energy' : '') : `not run: ${r.reason}`;
    return `<tr${t.pareto.includes(r.key) ? ' class="front"' : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}<td class="text">${esc(note)}</td></tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function sweepHtml(t: SweepTable): string {
  const failed = t.rows.filter((r) => !r.ok).length;
  const budget = t.budget ? `Budget ${esc(t.budget.metric)} ≤ ${t.budget.limit}: ${t.chosen ? `lowest energy within it: <code>${esc(t.chosen.key)}</code> (${num(t.chosen.energy_pj_per_sample)} pJ per sample, RMS ${num(t.chosen.rms)})` : 'no configuration meets it'}.` : 'No --budget given.';
  const body = `
<h1>nla sweep: ${esc(t.identity.network.file)} on ${esc(t.identity.hw_spec.name)}</h1>
<p>${t.rows.length} configurations (${failed} did not compile or run), the cartesian product of ${t.axes.map((a) => `<code>${esc(a.name)}</code> = ${esc(a.values.map(a.format).join(', '))}`).join(' × ')}.
Each: the chip's output voltages against the ideal explicit model from rest (RMS and max over every output neuron and tick, the measure of <code>nla report</code>'s attribution); energy and time per tick from the static estimate. Run seed ${t.identity.seed}, chip emulator ${esc(t.identity.backend)}.</p>
<div class="key"><p>${budget}</p><p>Pareto front (no other configuration has both less energy and less error): ${t.pareto.map((k) => `<code>${esc(k)}</code>`).join(', ') || '–'}.</p></div>
<h2>Error against energy</h2>${scatter(t)}
<h2>Error against each axis</h2>${perAxis(t)}
<h2>Table</h2>${table(t)}
<p><small>Written by nla sweep at ${esc(t.created)}; the same rows are in table.csv and table.json.</small></p>`;
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>nla sweep: ${esc(t.identity.network.file)}</title><style>${CSS}</style></head><body>${body}</body></html>\n`;
}

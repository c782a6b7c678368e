// A small SVG plotting module for the report page: line plots (linear or log y, legend), bar charts
// (negative bars allowed) and histograms. Everything is inline SVG text, written by us, so the page
// needs no scripts, fonts or network. Long series are reduced to the min and max per pixel column,
// which keeps spikes visible and the file small.

export interface LineSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  /** a marker at every point (scatter plots); with `line: false`, markers only */
  points?: boolean;
  line?: boolean;
}

export interface LinePlot {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  logY?: boolean;
  width?: number;
  height?: number;
}

export interface Bar {
  label: string;
  value: number;
  /** text written beside the bar (default: the value) */
  note?: string;
}

export interface BarChart {
  title: string;
  yLabel: string;
  xLabel?: string;
  bars: Bar[];
  width?: number;
  height?: number;
}

export interface Histogram {
  title: string;
  xLabel: string;
  values: number[];
  binWidth: number;
  width?: number;
  height?: number;
}

/** Colour-blind-safe palette (Okabe-Ito), in series order. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const MARGIN = { left: 64, right: 16, top: 28, bottom: 44 };
/** line plots keep their legend in a column right of the axes, off the data */
const LEGEND_WIDTH = 170;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Tick values at 1, 2 or 5 times a power of ten covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  // multiples of step, cleaned of accumulated rounding (0.6000000000000001)
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) out.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return out;
}

export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** [lo, hi] of the finite values, padded when the data are constant */
function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  return [lo, hi];
}

function frame(width: number, height: number, title: string, body: string): string {
  return (
    `<svg class="plot" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    `<text x="${width / 2}" y="17" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>${body}</svg>`
  );
}

/** Axes with ticks: x maps data to pixels left to right, y bottom to top. */
function axes(width: number, height: number, xTicks: { v: number; px: number; text: string }[], yTicks: { v: number; px: number; text: string }[], xLabel: string, yLabel: string, right = MARGIN.right): string {
  const { left, top, bottom } = MARGIN;
  const x1 = width - right;
  const y1 = height - bottom;
  let s = `<g font-size="10" fill="#333" stroke="none">`;
  for (const t of yTicks) s += `<line x1="${left}" x2="${x1}" y1="${t.px}" y2="${t.px}" stroke="#e4e4e4"/><text x="${left - 4}" y="${t.px + 3}" text-anchor="end">${escapeXml(t.text)}</text>`;
  for (const t of xTicks) s += `<line x1="${t.px}" x2="${t.px}" y1="${y1}" y2="${y1 + 4}" stroke="#333"/><text x="${t.px}" y="${y1 + 15}" text-anchor="middle">${escapeXml(t.text)}</text>`;
  s += `<rect x="${left}" y="${top}" width="${x1 - left}" height="${y1 - top}" fill="none" stroke="#333"/>`;
  s += `<text x="${(left + x1) / 2}" y="${height - 6}" text-anchor="middle" font-size="11">${escapeXml(xLabel)}</text>`;
  s += `<text transform="translate(13 ${(top + y1) / 2}) rotate(-90)" text-anchor="middle" font-size="11">${escapeXml(yLabel)}</text></g>`;
  return s;
}

function legend(width: number, items: { label: string; color: string; dashed?: boolean }[]): string {
  let s = `<g font-size="10">`;
  const x = width - LEGEND_WIDTH + 12;
  items.forEach((it, i) => {
    const y = MARGIN.top + 12 + i * 14;
    s += `<line x1="${x}" x2="${x + 18}" y1="${y - 3}" y2="${y - 3}" stroke="${it.color}" stroke-width="2"${it.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    s += `<text x="${x + 22}" y="${y}">${escapeXml(it.label)}</text>`;
  });
  return s + '</g>';
}

/** indices to draw: all points, or the first, min, max and last point of every pixel column */
function reduce(x: ArrayLike<number>, y: ArrayLike<number>, columns: number): number[] {
  const n = Math.min(x.length, y.length);
  if (n <= 2 * columns) return Array.from({ length: n }, (_, i) => i);
  const keep: number[] = [];
  const per = n / columns;
  for (let c = 0; c < columns; c++) {
    const a = Math.floor(c * per);
    const b = Math.min(n, Math.floor((c + 1) * per));
    let lo = a;
    let hi = a;
    for (let i = a; i < b; i++) {
      if (y[i]! < y[lo]!) lo = i;
      if (y[i]! > y[hi]!) hi = i;
    }
    keep.push(...[a, lo, hi, b - 1].filter((v, k, arr) => arr.indexOf(v) === k).sort((p, q) => p - q));
  }
  return keep;
}

/** a small circle (drawn as a path) at every finite point */
function markers(s: LineSeries, color: string, px: (v: number) => number, py: (v: number) => number, logY: boolean): string {
  let d = '';
  for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
    const v = s.y[i]!;
    if (!Number.isFinite(v) || (logY && v <= 0)) continue;
    d += `M${(px(s.x[i]!) - 3).toFixed(1)} ${py(v).toFixed(1)}a3 3 0 1 0 6 0a3 3 0 1 0 -6 0`;
  }
  return d ? `<path d="${d}" fill="${color}" fill-opacity="0.75" stroke="none"/>` : '';
}

export function linePlot(p: LinePlot): string {
  const width = p.width ?? 640 + LEGEND_WIDTH;
  const height = p.height ?? 260;
  const { left, top, bottom } = MARGIN;
  const right = LEGEND_WIDTH;
  const logY = p.logY ?? false;
  const ty = (v: number) => (logY ? Math.log10(v) : v);
  const yValues = function* () {
    for (const s of p.series) for (let i = 0; i < s.y.length; i++) if (!logY || s.y[i]! > 0) yield ty(s.y[i]!);
  };
  const xValues = function* () {
    for (const s of p.series) for (let i = 0; i < s.x.length; i++) yield s.x[i]!;
  };
  const [x0, x1] = extent(xValues());
  let [y0, y1] = extent(yValues());
  if (logY) [y0, y1] = [Math.floor(y0), Math.ceil(y1) === Math.floor(y0) ? Math.floor(y0) + 1 : Math.ceil(y1)];
  const px = (v: number) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
  const py = (v: number) => height - bottom - ((Math.max(y0, Math.min(y1, v)) - y0) / (y1 - y0)) * (height - top - bottom);
  const xTicks = niceTicks(x0, x1).map((v) => ({ v, px: px(v), text: formatTick(v) }));
  const yTicks = logY
    ? niceTicks(y0, y1, Math.min(6, y1 - y0)).filter((v) => Number.isInteger(v)).map((v) => ({ v, px: py(v), text: `1e${v}` }))
    : niceTicks(y0, y1).map((v) => ({ v, px: py(v), text: formatTick(v) }));
  let body = axes(width, height, xTicks, yTicks, p.xLabel, p.yLabel, right);
  const columns = width - left - right;
  p.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    let d = '';
    let pen = false;
    for (const i of reduce(s.x, s.y, columns)) {
      const v = s.y[i]!;
      if (!Number.isFinite(v) || (logY && v <= 0)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(s.x[i]!).toFixed(1)} ${py(ty(v)).toFixed(1)}`;
      pen = true;
    }
    if (d && s.line !== false) body += `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.4"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    if (s.points) body += markers(s, color, px, (v) => py(ty(v)), logY);
  });
  body += legend(width, p.series.map((s, k) => ({ label: s.label, color: PALETTE[k % PALETTE.length]!, dashed: s.dashed })));
  return frame(width, height, p.title, body);
}

export function barChart(p: BarChart): string {
  const width = p.width ?? 640;
  const height = p.height ?? 260;
  const { left, right, top, bottom } = MARGIN;
  const values = p.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0));
  const [lo, hi] = extent([0, ...values]);
  // room above the tallest bar for its label
  const ticks = niceTicks(lo, hi + 0.08 * (hi - lo));
  const y0 = Math.min(lo, ticks[0]!);
  const y1 = Math.max(hi, ticks[ticks.length - 1]!);
  const py = (v: number) => height - bottom - ((v - y0) / (y1 - y0)) * (height - top - bottom);
  const slot = (width - left - right) / Math.max(1, p.bars.length);
  let body = axes(width, height, [], ticks.map((v) => ({ v, px: py(v), text: formatTick(v) })), p.xLabel ?? '', p.yLabel);
  body += `<line x1="${left}" x2="${width - right}" y1="${py(0)}" y2="${py(0)}" stroke="#333"/>`;
  p.bars.forEach((b, i) => {
    const v = values[i]!;
    const x = left + i * slot + slot * 0.15;
    const [ya, yb] = [py(Math.max(0, v)), py(Math.min(0, v))];
    const color = v < 0 ? '#999999' : PALETTE[i % PALETTE.length]!;
    // a path (not a rect) so every plot, bars included, is made of paths
    body += `<path d="M${x.toFixed(1)} ${yb.toFixed(1)}H${(x + slot * 0.7).toFixed(1)}V${ya.toFixed(1)}H${x.toFixed(1)}Z" fill="${color}"/>`;
    body += `<text x="${(x + slot * 0.35).toFixed(1)}" y="${(ya - 3).toFixed(1)}" text-anchor="middle" font-size="9">${escapeXml(b.note ?? formatTick(b.value))}</text>`;
    body += `<text x="${(x + slot * 0.35).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle" font-size="10">${escapeXml(b.label)}</text>`;
  });
  return frame(width, height, p.title, body);
}

export function histogram(p: Histogram): string {
  const finite = p.values.filter(Number.isFinite);
  const lo = finite.length ? Math.floor(Math.min(...finite) / p.binWidth) * p.binWidth : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const bins = Math.max(1, Math.floor((hi - lo) / p.binWidth) + 1);
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - lo) / p.binWidth))]!++;
  return barChart({
    title: p.title,
    yLabel: 'count',
    xLabel: `${p.xLabel} (bins of ${p.binWidth})`,
    width: p.width,
    height: p.height,
    bars: counts.map((c, i) => ({ label: formatTick(lo + i * p.binWidth), value: c, note: String(c) })),
  });
}

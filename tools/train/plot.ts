// The learning curve of a training run as one self-contained SVG (no scripts, fonts or links):
// left, the test metric against training samples seen; right, train and test loss (log scale).

export interface CurvePoint {
  /** training samples seen */
  seen: number;
  epoch: number;
  /** test accuracy (or correlation) */
  test_metric: number;
  test_loss: number;
  /** mean loss of the training samples since the previous point (null at 0) */
  train_loss: number | null;
  train_metric: number | null;
  wall_s: number;
  /** microcircuit: angle (degrees) between WPI WIP and B W_next, the lateral and the top-down loop (spec section 4) */
  alignment_angle_deg?: number;
  /** chip backend: energy and chip time per sample from the chip's counters, range events */
  chip?: import('./chip-session.js').ChipPoint;
  /** chip backend: training wall time so far, emulator samples/s since the previous point */
  train_wall_s?: number;
  emulator_train_samples_per_s?: number | null;
  emulator_test_samples_per_s?: number;
}

const W = 900;
const H = 360;
const PANEL = { w: 380, h: 260, top: 50 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12 * step; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

interface Series {
  name: string;
  color: string;
  pts: [number, number][];
}

function panel(x0: number, title: string, xs: [number, number], ys: [number, number], series: Series[], yFmt: (v: number) => string, log: boolean, legend: 'top' | 'bottom'): string {
  const { w, h, top } = PANEL;
  const tf = (v: number) => (log ? Math.log10(v) : v);
  const [ylo, yhi] = [tf(ys[0]), tf(ys[1])];
  const sx = (v: number) => x0 + ((v - xs[0]) / (xs[1] - xs[0] || 1)) * w;
  const sy = (v: number) => top + h - ((tf(v) - ylo) / (yhi - ylo || 1)) * h;
  const parts: string[] = [];
  parts.push(`<text x="${x0 + w / 2}" y="${top - 14}" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  parts.push(`<rect x="${x0}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`);
  for (const t of niceTicks(xs[0], xs[1])) {
    parts.push(`<line x1="${sx(t)}" y1="${top + h}" x2="${sx(t)}" y2="${top + h + 4}" stroke="#888"/>`);
    parts.push(`<text x="${sx(t)}" y="${top + h + 16}" text-anchor="middle" font-size="11">${t}</text>`);
  }
  const yt = log ? niceTicks(ylo, yhi).filter((t) => Number.isInteger(t)).map((t) => 10 ** t) : niceTicks(ys[0], ys[1]);
  for (const t of yt) {
    parts.push(`<line x1="${x0}" y1="${sy(t)}" x2="${x0 + w}" y2="${sy(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 - 6}" y="${sy(t) + 4}" text-anchor="end" font-size="11">${esc(yFmt(t))}</text>`);
  }
  parts.push(`<text x="${x0 + w / 2}" y="${top + h + 34}" text-anchor="middle" font-size="12">training samples seen</text>`);
  series.forEach((s, k) => {
    const pts = s.pts.filter(([, y]) => Number.isFinite(y) && (!log || y > 0));
    if (pts.length) {
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
      for (const [x, y] of pts) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
    }
    // legends on the right, where the curves have settled: bottom for a rising metric, top for falling losses
    const ly = legend === 'top' ? top + 10 + 16 * k : top + h - 10 - 16 * (series.length - k);
    parts.push(`<rect x="${x0 + w - 170}" y="${ly}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${x0 + w - 154}" y="${ly + 9}" font-size="11">${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}

export function learningCurveSvg(title: string, metricName: string, curve: CurvePoint[]): string {
  const xs: [number, number] = [0, Math.max(1, ...curve.map((p) => p.seen))];
  const metric: Series[] = [
    { name: `test ${metricName}`, color: '#1f77b4', pts: curve.map((p) => [p.seen, p.test_metric]) },
    { name: `train ${metricName} (running)`, color: '#ff7f0e', pts: curve.filter((p) => p.train_metric !== null).map((p) => [p.seen, p.train_metric!]) },
  ];
  const losses: Series[] = [
    { name: 'test loss', color: '#1f77b4', pts: curve.map((p) => [p.seen, p.test_loss]) },
    { name: 'train loss (running)', color: '#ff7f0e', pts: curve.filter((p) => p.train_loss !== null).map((p) => [p.seen, p.train_loss!]) },
  ];
  const mv = metric.flatMap((s) => s.pts.map(([, y]) => y)).filter(Number.isFinite);
  const mlo = metricName === 'accuracy' ? 0 : Math.min(0, ...mv);
  const lv = losses.flatMap((s) => s.pts.map(([, y]) => y)).filter((y) => Number.isFinite(y) && y > 0);
  const llo = lv.length ? 10 ** Math.floor(Math.log10(Math.min(...lv))) : 0.01;
  const lhi = lv.length ? 10 ** Math.ceil(Math.log10(Math.max(...lv))) : 1;
  const fmtM = (v: number) => (metricName === 'accuracy' ? `${Math.round(v * 100)}%` : v.toFixed(1));
  // microcircuit runs: a third panel, the angle between the lateral loop WPI WIP and the top-down loop B W_next
  const angles = curve.filter((p) => p.alignment_angle_deg !== undefined).map((p): [number, number] => [p.seen, p.alignment_angle_deg!]);
  const width = angles.length ? W + 440 : W;
  const ahi = Math.max(90, ...angles.map(([, a]) => Math.ceil(a / 10) * 10));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="sans-serif">`,
    `<rect width="${width}" height="${H}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    panel(60, `test ${metricName}`, xs, [mlo, 1], metric, fmtM, false, 'bottom'),
    panel(500, 'loss 1/2 |target - output|^2 (log)', xs, [llo, lhi], losses, (v) => v.toExponential(0), true, 'top'),
    ...(angles.length
      ? [panel(940, 'angle between WPI WIP and B W2 (degrees)', xs, [0, ahi], [{ name: 'alignment angle', color: '#2ca02c', pts: angles }], (v) => `${v}`, false, 'bottom')]
      : []),
    '</svg>',
    '',
  ].join('\n');
}

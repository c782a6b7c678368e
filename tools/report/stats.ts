// Comparisons of two levels of the data path on one probe. Error, correlation and range are
// accumulated every tick (exact whatever the run length); the lag needs whole series, so it is
// searched on the decimated series the run keeps for the plots.

/** Streaming RMS, max |b - a|, Pearson correlation and the range of the reference a. */
export class PairAccumulator {
  private n = 0;
  private sq = 0;
  private max = 0;
  private sa = 0;
  private sb = 0;
  private saa = 0;
  private sbb = 0;
  private sab = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /** a: the reference level, b: the level compared with it */
  add(a: ArrayLike<number>, b: ArrayLike<number>): void {
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      const d = y - x;
      this.sq += d * d;
      if (Math.abs(d) > this.max || Number.isNaN(d)) this.max = Math.abs(d);
      this.sa += x;
      this.sb += y;
      this.saa += x * x;
      this.sbb += y * y;
      this.sab += x * y;
      if (x < this.lo) this.lo = x;
      if (x > this.hi) this.hi = x;
    }
    this.n += a.length;
  }

  result(): PairStats {
    const n = Math.max(1, this.n);
    const rms = Math.sqrt(this.sq / n);
    const range = this.hi >= this.lo ? this.hi - this.lo : 0;
    const va = this.saa - (this.sa * this.sa) / n;
    const vb = this.sbb - (this.sb * this.sb) / n;
    const cov = this.sab - (this.sa * this.sb) / n;
    return {
      rms,
      max: this.max,
      range,
      rmsOverRange: range > 0 ? rms / range : null,
      maxOverRange: range > 0 ? this.max / range : null,
      // cancellation makes tiny variances noise; a constant signal has no correlation
      correlation: va > 1e-24 * n && vb > 1e-24 * n ? Math.max(-1, Math.min(1, cov / Math.sqrt(va * vb))) : null,
    };
  }
}

export interface PairStats {
  rms: number;
  max: number;
  /** max - min of the reference over neurons and ticks */
  range: number;
  rmsOverRange: number | null;
  maxOverRange: number | null;
  correlation: number | null;
}

/**
 * The shift (in samples, fractional) that maximises the cross-correlation of b against a, both
 * given per neuron as series of equal length: positive when b lags a (b(t) ~ a(t - lag)). Each
 * neuron's series is centred on its mean; the products are summed over neurons and over the
 * overlap (the biased estimator, whose peak an exact copy reaches at its own shift). The peak is
 * refined by a parabola through its neighbours. Searched within +-maxLag samples; no lag when
 * either series does not move (or there are too few samples).
 */
export function lagByCrossCorrelation(a: Float64Array[], b: Float64Array[], maxLag: number): { lag: number; atBound: boolean } | { flat: 'reference' | 'compared' } {
  const n = a[0]?.length ?? 0;
  const L = Math.max(0, Math.min(Math.floor(maxLag), n - 2));
  if (n < 3) return { flat: 'reference' };
  const centre = (v: Float64Array) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += v[i]!;
    m /= n;
    return v.map((x) => x - m);
  };
  const ac = a.map(centre);
  const bc = b.map(centre);
  const moves = (vs: Float64Array[]) => {
    let energy = 0;
    for (const v of vs) for (let i = 0; i < n; i++) energy += v[i]! * v[i]!;
    return energy > 1e-24 * n * vs.length;
  };
  if (!moves(ac)) return { flat: 'reference' };
  if (!moves(bc)) return { flat: 'compared' };
  const xc = new Float64Array(2 * L + 1);
  for (let s = -L; s <= L; s++) {
    let sum = 0;
    for (let k = 0; k < ac.length; k++) {
      const x = ac[k]!;
      const y = bc[k]!;
      for (let t = Math.max(0, -s); t < Math.min(n, n - s); t++) sum += x[t]! * y[t + s]!;
    }
    xc[s + L] = sum;
  }
  let best = 0;
  for (let i = 1; i < xc.length; i++) if (xc[i]! > xc[best]!) best = i;
  let lag = best - L;
  const atBound = L > 0 && (best === 0 || best === xc.length - 1);
  if (!atBound && best > 0 && best < xc.length - 1) {
    const [y0, y1, y2] = [xc[best - 1]!, xc[best]!, xc[best + 1]!];
    const den = y0 - 2 * y1 + y2;
    if (den < 0) lag += (0.5 * (y0 - y2)) / den;
  }
  return { lag, atBound };
}

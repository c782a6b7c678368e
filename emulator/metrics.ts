// Comparisons between two recorded signals (shared by the benchmarks and, later, the report).

/** Root-mean-square and maximum absolute difference of two equally long series. */
export function errorStats(a: ArrayLike<number>, b: ArrayLike<number>): { rms: number; max: number } {
  let s = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
    m = Math.max(m, Math.abs(d));
  }
  return { rms: Math.sqrt(s / Math.max(1, a.length)), max: m };
}

/** Pearson correlation of two equally long series (0 if either is constant). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

// The trace format shared by `nla simulate` (ideal model) and `nla run` (emulator):
// {"dt": seconds, "t": [..], "probes": {"<population>.<signal>": [[value per neuron] per recorded step]}, "meta": {...}}

export interface Trace {
  dt: number;
  t: number[];
  probes: Record<string, number[][]>;
  meta: Record<string, unknown>;
}

export function traceToJson(trace: Trace): string {
  return JSON.stringify(trace) + '\n';
}

/** One row per recorded step: t, then every probe's neurons as `<probe>[i]` columns. */
export function traceToCsv(trace: Trace): string {
  const keys = Object.keys(trace.probes);
  const header = ['t'];
  for (const k of keys) {
    const width = trace.probes[k][0]?.length ?? 0;
    for (let i = 0; i < width; i++) header.push(`${k}[${i}]`);
  }
  const lines = [header.join(',')];
  for (let s = 0; s < trace.t.length; s++) {
    const row: (number | string)[] = [trace.t[s]];
    for (const k of keys) for (const v of trace.probes[k][s]) row.push(v);
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

// The wording helpers of problem messages, shared by every file loader (network, hw-spec): paths
// inside a file ('projections[2].init.std'), did-you-mean suggestions and how a value is shown.
import type { Problem } from './errors.js';

/** One step of a path inside a file: a field name or a list index. */
export type Segment = string | number;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** ['projections', 2, 'init', 'std'] -> 'projections[2].init.std' */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** The inverse of formatPath. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_][A-Za-z0-9_]*)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else out.push(m[3]!);
  }
  return out;
}

export function problem(segments: readonly Segment[], message: string, fix: string): Problem {
  return { path: formatPath(segments), message, fix };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3) + 1));
  return bestD <= limit ? best : undefined;
}

/** "did you mean 'x'? " or '' */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `did you mean '${c}'? `;
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (an empty value)';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${v}` : `${v} (only finite numbers are allowed)`;
  if (typeof v === 'boolean') return `${v}`;
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

/** A value written the way a YAML flow collection would show it: {dist: normal, std: 0.1}. */
export function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${inline(x)}`).join(', ')}}`;
  }
  if (typeof v === 'string') return /^[A-Za-z0-9_.\-]+$/.test(v) ? v : JSON.stringify(v);
  return String(v);
}

// Structural validation of a network file: compile network.schema.json with ajv and translate
// its errors into plain sentences with a path and a fix. Also the small message helpers
// (paths, did-you-mean, value descriptions) that the semantic checks share.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Problem } from '../common/errors.js';
import { SIGNALS } from './ir.js';
import schemaJson from './network.schema.json' with { type: 'json' };

/** The published JSON Schema of network files (draft-07). */
export const networkSchema: Readonly<Record<string, unknown>> = schemaJson;

interface SchemaNode {
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  examples?: unknown[];
  const?: unknown;
}

const defs = (schemaJson as unknown as { definitions: Record<string, SchemaNode> }).definitions;

let validator: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, strictNumbers: true }).compile(
    schemaJson,
  );
  return validator;
}

// ---------------------------------------------------------------- paths and message helpers

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

// ---------------------------------------------------------------- durations and frequencies

const NUMBER = '([-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(?:[eE]([-+]?[0-9]+))?';
const DURATION_RE = new RegExp(`^\\s*${NUMBER}\\s*(s|ms|us)\\s*$`);
const FREQUENCY_RE = new RegExp(`^\\s*${NUMBER}\\s*(Hz|kHz)\\s*$`);
const UNIT_EXP: Record<string, number> = { s: 0, ms: -3, us: -6, Hz: 0, kHz: 3 };

function parseWithUnit(value: unknown, re: RegExp): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = re.exec(value);
  if (!m) return undefined;
  // Shift the decimal exponent instead of multiplying, so "0.05ms" is exactly the double 5e-5.
  const exp = Number(m[2] ?? 0) + UNIT_EXP[m[3]!]!;
  const x = Number(`${m[1]}e${exp}`);
  return Number.isFinite(x) ? x : undefined;
}

/**
 * A duration in seconds: a number is seconds; a string is "<number><unit>" with unit s, ms or us
 * ("10ms", "0.05 ms", "2s"). Returns undefined for anything else. The sign is not checked.
 */
export function tryParseDuration(value: unknown): number | undefined {
  return parseWithUnit(value, DURATION_RE);
}

/** A frequency in Hz: a number is Hz; a string is "<number>Hz" or "<number>kHz". */
export function tryParseFrequency(value: unknown): number | undefined {
  return parseWithUnit(value, FREQUENCY_RE);
}

/** "10ms" for 0.01, "50us" for 5e-5, "2s" for 2. */
export function formatDuration(seconds: number): string {
  const [scale, unit] = Math.abs(seconds) >= 1 ? [1, 's'] : Math.abs(seconds) >= 1e-3 ? [1e3, 'ms'] : [1e6, 'us'];
  return `${Number((seconds * scale).toPrecision(6))}${unit}`;
}

// ---------------------------------------------------------------- ajv errors -> problems

/** Checks `data` against the schema; returns every problem found (empty when it conforms). */
export function checkStructure(data: unknown): Problem[] {
  const validate = getValidator();
  if (validate(data)) return [];
  const unknownFields = new Map<string, { problem: Problem; allowed: number }>();
  const out: Problem[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'additionalProperties') {
      const t = translateUnknownField(e);
      const prev = unknownFields.get(t.problem.path);
      // Init and signals are checked twice (all fields of every kind, then the chosen kind's
      // fields): keep the more specific message.
      if (!prev || t.allowed < prev.allowed) unknownFields.set(t.problem.path, t);
      continue;
    }
    const p = translate(e);
    if (p) out.push(p);
  }
  out.push(...[...unknownFields.values()].map((u) => u.problem));
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pointerToSegments(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** For the per-kind branches of init and signals: "dist 'normal'" */
function branchLabel(schema: SchemaNode | undefined): string | undefined {
  for (const [k, p] of Object.entries(schema?.properties ?? {})) if (p.const !== undefined) return `${k} '${String(p.const)}'`;
  return undefined;
}

function translateUnknownField(e: ErrorObject): { problem: Problem; allowed: number } {
  const field = String((e.params as { additionalProperty: string }).additionalProperty);
  const parent = e.parentSchema as SchemaNode | undefined;
  const allowed = Object.keys(parent?.properties ?? {}).filter((k) => k !== '$schema');
  const branch = branchLabel(parent);
  const here = branch ? `allowed fields for ${branch}` : 'allowed fields here';
  const list = allowed.length ? `${here}: ${allowed.join(', ')}` : 'no fields are allowed here';
  const suggestion = closest(field, allowed);
  let fix = suggestion ? `did you mean '${suggestion}'? ${list}` : `remove it; ${list}`;
  if (branch && !suggestion) {
    // A field of another kind (e.g. 'high' under dist: normal): say which kinds have it.
    const tag = branch.split(' ')[0]!;
    const owners = Object.values(defs)
      .filter((d) => d.properties?.[tag]?.const !== undefined && d.properties[field] !== undefined)
      .map((d) => String(d.properties![tag]!.const));
    if (owners.length) fix = `'${field}' belongs to ${tag} ${owners.join(' or ')} (remove it or change ${tag}); ${list}`;
  }
  return { problem: problem([...pointerToSegments(e.instancePath), field], `unknown field '${field}'`, fix), allowed: allowed.length };
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping (key: value fields)',
  array: 'a list',
  null: 'nothing',
};

const TYPE_FIXES: Record<string, string> = {
  number: 'write a number such as 0.5',
  integer: 'write a whole number such as 3',
  string: 'write a text value (quote it if it looks like a number)',
  boolean: 'write true or false',
  object: 'write a mapping: indented "key: value" lines or {key: value}',
  array: 'write a list: [a, b] or lines starting with "- "',
};

const DURATION_FIX = 'write a number of seconds, or a number with unit s, ms or us, e.g. "10ms", "0.05ms" or "2s"';
const FREQUENCY_FIX = 'write a number in Hz, or a number with unit Hz or kHz, e.g. "5Hz" or "0.2kHz"';

function translate(e: ErrorObject): Problem | undefined {
  const segments = pointerToSegments(e.instancePath);
  const parent = e.parentSchema as SchemaNode | undefined;
  const data: unknown = e.data;
  const last = segments[segments.length - 1];
  const isDuration = parent === defs['duration'];
  const isFrequency = parent === defs['frequency'];
  switch (e.keyword) {
    case 'if':
      return undefined; // the failing `then` branch reports its own errors
    case 'required': {
      const field = String((e.params as { missingProperty: string }).missingProperty);
      const prop = parent?.properties?.[field];
      const branch = branchLabel(parent);
      const example = prop?.examples?.[0];
      const what = prop?.description ? ` (${prop.description.replace(/\.$/, '')})` : '';
      const fix = example === undefined ? `add '${field}:'${what}` : `add '${field}: ${inline(example)}'${what}`;
      return problem(segments, `missing required field '${field}'${branch ? ` (needed for ${branch})` : ''}`, fix);
    }
    case 'type': {
      const types = ([] as string[]).concat((e.params as { type: string | string[] }).type);
      if (isDuration) return problem(segments, `expected a duration, got ${describeValue(data)}`, DURATION_FIX);
      if (isFrequency) return problem(segments, `expected a frequency, got ${describeValue(data)}`, FREQUENCY_FIX);
      const expected = types.includes('array') && types.includes('number') ? 'a number or a list of numbers' : types.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      let fix = TYPE_FIXES[types[0]!] ?? `write ${expected}`;
      if (typeof data === 'string' && (types.includes('number') || types.includes('integer')) && data.trim() !== '' && Number.isFinite(Number(data))) {
        fix = `remove the quotes: write ${data.trim()} instead of ${JSON.stringify(data)}`;
      }
      return problem(segments, `expected ${expected}, got ${describeValue(data)}`, fix);
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const label = typeof last === 'string' ? last : 'value';
      const shown = typeof data === 'string' ? `'${data}'` : describeValue(data);
      const hint = typeof data === 'string' ? didYouMean(data, allowed) : '';
      return problem(segments, `${shown} is not a valid ${label}`, `${hint}allowed values: ${allowed.join(', ')}`);
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      const words: Record<string, string> = { '>=': 'at least', '>': 'greater than', '<=': 'at most', '<': 'less than' };
      if (isDuration) return problem(segments, `a duration must be greater than 0, got ${String(data)}`, 'write a positive duration such as "10ms"');
      if (isFrequency) return problem(segments, `a frequency must be greater than 0, got ${String(data)}`, 'write a positive frequency such as "5Hz"');
      const cond = `${words[comparison] ?? comparison} ${limit}`;
      return problem(segments, `must be ${cond}, got ${String(data)}`, `use a value of ${cond}`);
    }
    case 'minItems': {
      const example = parent?.examples?.[0];
      const fix = example === undefined ? 'add at least one entry' : `add at least one entry, e.g. ${inline(example)}`;
      return problem(segments, 'must not be empty', fix);
    }
    case 'minLength':
      return problem(segments, 'must not be empty', 'write a name');
    case 'pattern':
      return translatePattern(segments, parent, String(data));
    default:
      return problem(segments, e.message ?? `is invalid (${e.keyword})`, parent?.description ? `expected: ${parent.description}` : 'see docs/network-format.md');
  }
}

function translatePattern(segments: Segment[], parent: SchemaNode | undefined, s: string): Problem {
  const quoted = JSON.stringify(s);
  if (parent === defs['duration'] || parent === defs['frequency']) {
    const isDuration = parent === defs['duration'];
    const kind = isDuration ? 'duration' : 'frequency';
    const fix = isDuration ? DURATION_FIX : FREQUENCY_FIX;
    const value = isDuration ? tryParseDuration(s) : tryParseFrequency(s);
    if (value !== undefined && value <= 0) return problem(segments, `a ${kind} must be greater than 0, got ${quoted}`, `write a positive ${kind} such as ${isDuration ? '"10ms"' : '"5Hz"'}`);
    const trimmed = s.trim();
    if (trimmed !== '' && Number.isFinite(Number(trimmed))) {
      const units = isDuration ? `"${trimmed}ms" or "${trimmed}s"` : `"${trimmed}Hz"`;
      return problem(segments, `${quoted} has no unit`, `write ${units}, or the plain number ${trimmed} (${isDuration ? 'seconds' : 'Hz'})`);
    }
    const m = /^\s*[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?\s*([A-Za-zµ]+)\s*$/.exec(s);
    if (m) {
      const units = isDuration ? ['s', 'ms', 'us'] : ['Hz', 'kHz'];
      return problem(segments, `${quoted} is not a ${kind}: unknown unit '${m[1]}'`, `${didYouMean(m[1]!, units)}${fix}`);
    }
    return problem(segments, `${quoted} is not a ${kind}`, fix);
  }
  if (parent === defs['name']) {
    let better = s.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(better)) better = `_${better}`;
    return problem(segments, `${quoted} is not a valid name`, `names start with a letter or _ and contain only letters, digits and _, e.g. ${better}`);
  }
  if (parent === defs['nudge']) {
    return problem(segments, `${quoted} is not a nudge selection`, 'write a population name, optionally with a neuron range [a:b] (neurons a..b-1), e.g. "out" or "out[0:2]"');
  }
  if (parent === defs['probe']) {
    const signals = `signals: ${SIGNALS.join(', ')}`;
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_]\w*)\s*$/.exec(s);
    if (m) return problem(segments, `unknown signal '${m[2]}' in probe ${quoted}`, `${didYouMean(m[2]!, SIGNALS)}${signals}`);
    return problem(segments, `${quoted} is not a probe`, `write "population.signal", e.g. "out.u" or "h1.ebar"; ${signals}`);
  }
  return problem(segments, `${quoted} has the wrong form`, parent?.description ?? 'see docs/network-format.md');
}

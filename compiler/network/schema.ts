// Structural validation of a network file against network.schema.json (the common wording of
// schema errors is in common/schema-errors.ts; the network's own cases, such as durations and
// probes, are here), and the parsing of durations and frequencies. The message helpers live in
// common/messages.ts; they are re-exported here for the modules that import them from this file.
import type { Problem } from '../common/errors.js';
import { describeValue, didYouMean, problem, type Segment } from '../common/messages.js';
import { SchemaChecker, type SchemaError, type SchemaNode } from '../common/schema-errors.js';
import { SIGNALS } from './ir.js';
import schemaJson from './network.schema.json' with { type: 'json' };

export { closest, describeValue, didYouMean, formatPath, inline, parsePath, problem, type Segment } from '../common/messages.js';

/** The published JSON Schema of network files (draft-07). */
export const networkSchema: Readonly<Record<string, unknown>> = schemaJson;

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

const DURATION_FIX = 'write a number of seconds, or a number with unit s, ms or us, e.g. "10ms", "0.05ms" or "2s"';
const FREQUENCY_FIX = 'write a number in Hz, or a number with unit Hz or kHz, e.g. "5Hz" or "0.2kHz"';

const checker = new SchemaChecker(networkSchema, { docs: 'docs/network-format.md', special: networkProblem });
const defs = checker.definitions;

/** Checks `data` against the schema; returns every problem found (empty when it conforms). */
export function checkStructure(data: unknown): Problem[] {
  return checker.check(data);
}

/** The errors whose wording only network files have: durations, frequencies, names, probes. */
function networkProblem({ error, segments, parent, data }: SchemaError): Problem | undefined {
  const isDuration = parent === defs['duration'];
  const isFrequency = parent === defs['frequency'];
  switch (error.keyword) {
    case 'type':
      if (isDuration) return problem(segments, `expected a duration, got ${describeValue(data)}`, DURATION_FIX);
      if (isFrequency) return problem(segments, `expected a frequency, got ${describeValue(data)}`, FREQUENCY_FIX);
      return undefined;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      if (isDuration) return problem(segments, `a duration must be greater than 0, got ${String(data)}`, 'write a positive duration such as "10ms"');
      if (isFrequency) return problem(segments, `a frequency must be greater than 0, got ${String(data)}`, 'write a positive frequency such as "5Hz"');
      return undefined;
    case 'minLength':
      return problem(segments, 'must not be empty', 'write a name'); // the network's name is the only text with a minimum length
    case 'pattern':
      return patternProblem(segments, parent, String(data));
    default:
      return undefined;
  }
}

function patternProblem(segments: Segment[], parent: SchemaNode | undefined, s: string): Problem | undefined {
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
  return undefined; // the common wording: "has the wrong form"
}

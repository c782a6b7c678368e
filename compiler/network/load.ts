// Loading a network file: text (YAML, or JSON for *.json; read by common/datafile.ts) -> plain
// data -> structural check (network.schema.json) -> IR with defaults -> semantic checks. Every
// problem found is collected and thrown together as one FileProblemsError naming the file, the
// path inside it and a fix.
import { createHash } from 'node:crypto';
import { UserError } from '../common/errors.js';
import { parseDataFile, readTextFile, type DataFileKind } from '../common/datafile.js';
import type { NetworkIR } from './ir.js';
import { buildNetwork, type RawNetwork } from './build.js';
import { checkStructure, tryParseDuration, tryParseFrequency } from './schema.js';
import { checkSemantics, findForwardCycle } from './semantic.js';

const EXAMPLE_HINT = 'start from the example in docs/network-format.md';

/**
 * A duration in seconds: a number is seconds, a string is "<number><unit>" with unit s, ms or us
 * ("10ms", "0.05 ms", "2s"). Throws a UserError for anything else.
 */
export function parseDuration(value: number | string): number {
  const s = tryParseDuration(value);
  if (s === undefined) throw new UserError(`${JSON.stringify(value)} is not a duration: write a number of seconds or a number with unit s, ms or us, e.g. "10ms", "0.05ms" or "2s"`);
  return s;
}

/** A frequency in Hz: a number is Hz, a string is "<number>Hz" or "<number>kHz". Throws a UserError otherwise. */
export function parseFrequency(value: number | string): number {
  const f = tryParseFrequency(value);
  if (f === undefined) throw new UserError(`${JSON.stringify(value)} is not a frequency: write a number in Hz or a number with unit Hz or kHz, e.g. "5Hz"`);
  return f;
}

export interface LoadOptions {
  /** Replaces the file's top-level `seed` (and so the default seed of every seeded signal). */
  seed?: number;
  /** Replaces `dynamics.dt` (seconds), checked like the file's own (nla sweep varies it). */
  dt?: number;
}

const NETWORK_FILE: DataFileKind = {
  noun: 'network',
  extensions: '.yaml, .yml or .json',
  topLevelFields: 'name, populations, dynamics',
  emptyFix: `write the network: name, populations, projections, dynamics; ${EXAMPLE_HINT}`,
  notMappingFix: EXAMPLE_HINT,
  syntaxErrorAtField: true,
  oneErrorPerPosition: false,
};

/** Reads and validates a network file; any problem (including a missing file) is a FileProblemsError. */
export function loadNetwork(path: string, options: LoadOptions = {}): NetworkIR {
  return parseNetwork(readTextFile(path, NETWORK_FILE), path, options);
}

/** Parses and validates network text; `file` names it in messages and selects the format (.json = JSON, else YAML). */
export function parseNetwork(text: string, file: string, options: LoadOptions = {}): NetworkIR {
  const { data, fail } = parseDataFile(text, file, NETWORK_FILE);
  const structural = checkStructure(data);
  if (structural.length) fail(structural);
  const raw = data as unknown as RawNetwork;
  if (options.seed !== undefined) {
    if (!Number.isInteger(options.seed) || options.seed < 0) throw new UserError(`the seed must be an integer >= 0, got ${options.seed}`);
    raw.seed = options.seed;
  }
  if (options.dt !== undefined) raw.dynamics.dt = options.dt; // the structure check guarantees dynamics
  const sourceHash = createHash('sha256').update(text).digest('hex');
  const { ir, problems } = buildNetwork(raw, file, sourceHash);
  problems.push(...checkSemantics(ir, raw));
  if (problems.length) fail(problems);
  ir.feedforward = findForwardCycle(ir) === null;
  return ir;
}

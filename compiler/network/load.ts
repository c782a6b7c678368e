// Loading a network file: text (YAML, or JSON for *.json) -> plain data -> structural check
// (network.schema.json) -> IR with defaults -> semantic checks. Every problem found is collected
// and thrown together as one FileProblemsError naming the file, the path inside it and a fix.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { FileProblemsError, UserError, type Problem } from '../common/errors.js';
import type { NetworkIR } from './ir.js';
import { buildNetwork, type RawNetwork } from './build.js';
import { checkStructure, describeValue, parsePath, problem, tryParseDuration, tryParseFrequency, type Segment } from './schema.js';
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
}

/** Reads and validates a network file; any problem (including a missing file) is a FileProblemsError. */
export function loadNetwork(path: string, options: LoadOptions = {}): NetworkIR {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const [message, fix] =
      code === 'ENOENT'
        ? ['file not found', `check the path (relative paths start at ${process.cwd()})`]
        : code === 'EISDIR'
          ? ['is a directory, not a network file', 'give the path of a .yaml, .yml or .json file']
          : code === 'EACCES' || code === 'EPERM'
            ? ['cannot be read (permission denied)', 'check the file permissions']
            : [`cannot be read (${(e as Error).message})`, 'check the path and the file'];
    throw new FileProblemsError(path, [{ path: '', message, fix }]);
  }
  return parseNetwork(text, path, options);
}

/** Parses and validates network text; `file` names it in messages and selects the format (.json = JSON, else YAML). */
export function parseNetwork(text: string, file: string, options: LoadOptions = {}): NetworkIR {
  const isJson = /\.json$/i.test(file);
  const { data, doc } = isJson ? readJson(text, file) : readYaml(text, file);
  const fail = (problems: Problem[]): never => {
    throw new FileProblemsError(file, sortByPosition(problems, doc));
  };
  if (data === undefined || data === null || (typeof data === 'string' && data.trim() === '')) {
    fail([{ path: '', message: 'the file is empty (or holds only comments)', fix: `write the network: name, populations, projections, dynamics; ${EXAMPLE_HINT}` }]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    fail([{ path: '', message: `the top level must be a mapping of fields (name, populations, dynamics, ...), but the file holds ${describeValue(data)}`, fix: EXAMPLE_HINT }]);
  }
  const structural = checkStructure(data);
  if (structural.length) fail(structural);
  const raw = data as RawNetwork;
  if (options.seed !== undefined) {
    if (!Number.isInteger(options.seed) || options.seed < 0) throw new UserError(`the seed must be an integer >= 0, got ${options.seed}`);
    raw.seed = options.seed;
  }
  const sourceHash = createHash('sha256').update(text).digest('hex');
  const { ir, problems } = buildNetwork(raw, file, sourceHash);
  problems.push(...checkSemantics(ir, raw));
  if (problems.length) fail(problems);
  ir.feedforward = findForwardCycle(ir) === null;
  return ir;
}

// ---------------------------------------------------------------- text -> data

interface Read {
  data: unknown;
  doc?: Document;
}

function readYaml(text: string, file: string): Read {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    const problems = doc.errors.map((e): Problem => {
      const at = e.linePos?.[0];
      const where = at ? `line ${at.line}, column ${at.col}` : 'an unknown position';
      if (e.code === 'MULTIPLE_DOCS') {
        return { path: '', message: `the file holds more than one YAML document (a second '---' at ${where})`, fix: "keep one network per file: remove that '---' and the document after it" };
      }
      const path = formatSegments(pathAtOffset(doc, e.pos[0]));
      if (e.code === 'DUPLICATE_KEY') {
        const key = keyAtOffset(doc, e.pos[0]);
        const shown = key === undefined ? 'a key' : `'${key}'`;
        return { path, message: `duplicate key ${shown} at ${where}`, fix: `each key may appear once in a mapping; remove or merge one of the ${shown} entries` };
      }
      const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { path, message: `YAML syntax error at ${where}: ${what}`, fix: 'check the indentation (spaces, not tabs), colons, quotes and brackets on that line and the one before' };
    });
    throw new FileProblemsError(file, problems);
  }
  return { data: doc.toJS({ maxAliasCount: 1000 }) as unknown, doc };
}

function readJson(text: string, file: string): Read {
  const clean = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = clean.trim() === '' ? undefined : JSON.parse(clean);
  } catch (e) {
    // Engines word (and locate) JSON errors differently; find the place ourselves.
    const found = locateJsonError(clean) ?? { at: -1, what: (e as Error).message };
    const before = clean.slice(0, Math.max(0, found.at));
    const where = found.at >= 0 ? ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}` : '';
    throw new FileProblemsError(file, [{ path: '', message: `JSON syntax error${where}: ${found.what}`, fix: 'check commas, quotes and brackets there (JSON allows no trailing commas or comments; use a .yaml file for those)' }]);
  }
  // JSON.parse keeps the last of duplicate keys silently; the YAML reader of the same text finds them.
  const doc = parseDocument(clean, { uniqueKeys: true });
  const dup = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (dup.length) {
    throw new FileProblemsError(
      file,
      dup.map((e) => {
        const key = keyAtOffset(doc, e.pos[0]);
        const at = e.linePos?.[0];
        return {
          path: formatSegments(pathAtOffset(doc, e.pos[0])),
          message: `duplicate key '${key ?? '?'}'${at ? ` at line ${at.line}, column ${at.col}` : ''}`,
          fix: `each key may appear once in an object; remove or merge one of the '${key ?? '?'}' entries`,
        };
      }),
    );
  }
  return { data, doc: doc.errors.length ? undefined : doc };
}

/** Where and why `s` is not JSON (a small recursive-descent reader), or undefined if it is. */
export function locateJsonError(s: string): { at: number; what: string } | undefined {
  let i = 0;
  const fail = (what: string): never => {
    throw Object.assign(new Error(what), { at: i });
  };
  const ws = (): void => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const shown = (): string => (i >= s.length ? 'the end of the file' : `'${s[i]}'`);
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= s.length) fail('a string is not closed with "');
      const c = s[i]!;
      if (c === '"') return void i++;
      if (c < ' ') fail('a line break or control character inside a string (write \\n)');
      if (c === '\\') {
        if (!/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(s.slice(i + 1, i + 6))) fail('an invalid escape sequence in a string');
        i += s[i + 1] === 'u' ? 6 : 2;
      } else i++;
    }
  };
  const collection = (close: '}' | ']'): void => {
    i++;
    ws();
    if (s[i] === close) return void i++;
    for (;;) {
      ws();
      if (close === '}') {
        if (s[i] !== '"') fail(s[i] === '}' ? 'a trailing comma before }' : `expected a "quoted" key, found ${shown()}`);
        string();
        ws();
        if (s[i] !== ':') fail(`expected ':' after the key, found ${shown()}`);
        i++;
      } else if (s[i] === ']') fail('a trailing comma before ]');
      value();
      ws();
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === close) return void i++;
      fail(`expected ',' or '${close}', found ${shown()}`);
    }
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') return collection(c === '{' ? '}' : ']');
    if (c === '"') return string();
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null/y;
    m.lastIndex = i;
    if (m.exec(s)) return void (i = m.lastIndex);
    fail(`expected a value, found ${shown()}`);
  };
  try {
    value();
    ws();
    if (i < s.length) fail(`unexpected text after the end of the JSON value: ${shown()}`);
    return undefined;
  } catch (e) {
    return { at: (e as { at: number }).at, what: (e as Error).message };
  }
}

// ---------------------------------------------------------------- positions in the YAML document

function formatSegments(segments: Segment[]): string {
  return problem(segments, '', '').path;
}

function contains(node: unknown, offset: number): boolean {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return !!range && range[0] <= offset && offset <= range[2];
}

/** The path of the deepest node at `offset` (a key counts as its entry). */
function pathAtOffset(doc: Document, offset: number): Segment[] {
  const path: Segment[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => contains(p.key, offset) || contains(p.value, offset));
      if (!pair) return path;
      path.push(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
      if (contains(pair.key, offset)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item, offset));
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else return path;
  }
}

function keyAtOffset(doc: Document, offset: number): string | undefined {
  const path = pathAtOffset(doc, offset);
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : undefined;
}

/** Problems in the order of the file (those without a position first), stable otherwise. */
function sortByPosition(problems: Problem[], doc: Document | undefined): Problem[] {
  if (!doc) return problems;
  const offsetOf = (path: string): number => {
    const segments = parsePath(path);
    while (segments.length) {
      const node = doc.getIn(segments, true) as YamlNode | undefined;
      if (isPair(node)) return -1;
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return range[0];
      segments.pop();
    }
    return -1;
  };
  return problems
    .map((p, i) => ({ p, i, at: offsetOf(p.path) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.p);
}

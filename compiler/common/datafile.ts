// Reading a data file (a network, a hw-spec): the file's text -> YAML, or JSON for *.json -> plain
// data, with every reading problem (missing file, syntax error, duplicate key, empty file, a top
// level that is not a mapping) thrown as a FileProblemsError that names the line and the path.
// The parsed YAML document is kept so that the loaders' later problems can be sorted into the
// order of the file.
import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type YAMLError } from 'yaml';
import { FileProblemsError, type Problem } from './errors.js';
import { describeValue, formatPath, parsePath, type Segment } from './messages.js';

/** What a loader says about its kind of file where the reading fails. */
export interface DataFileKind {
  /** What one file holds: 'network' gives "not a network file" and "keep one network per file". */
  noun: string;
  /** The extensions, as the fix for a directory names them: '.yaml, .yml or .json'. */
  extensions: string;
  /** Other ways to name a file, added to the fix for a missing file or a directory; asked only then. */
  otherwise?: () => string;
  /** The main top-level fields, named when the top level is not a mapping: 'name, populations, dynamics'. */
  topLevelFields: string;
  emptyFix: string;
  notMappingFix: string;
  /**
   * Where a YAML syntax error is reported: at the field it stands in (network files, whose
   * fixtures pin that path) or at the whole file (hw-specs). Kept as each loader was written.
   */
  syntaxErrorAtField: boolean;
  /** The YAML parser often reports one mistake twice at the same place: keep only the first (hw-specs). */
  oneErrorPerPosition: boolean;
}

/** The text of a file; a file that cannot be read is a FileProblemsError that says why. */
export function readTextFile(path: string, kind: DataFileKind): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const otherwise = (): string => kind.otherwise?.() ?? '';
    const [message, fix] =
      code === 'ENOENT'
        ? ['file not found', `check the path (relative paths start at ${process.cwd()})${otherwise()}`]
        : code === 'EISDIR'
          ? [`is a directory, not a ${kind.noun} file`, `give the path of a ${kind.extensions} file${otherwise()}`]
          : code === 'EACCES' || code === 'EPERM'
            ? ['cannot be read (permission denied)', 'check the file permissions']
            : [`cannot be read (${(e as Error).message})`, 'check the path and the file'];
    throw new FileProblemsError(path, [{ path: '', message, fix }]);
  }
}

export interface DataFile {
  /** The top-level mapping of the file. */
  data: Record<string, unknown>;
  /** Throws the problems as one FileProblemsError, in the order of the file. */
  fail(problems: Problem[]): never;
}

/** Parses the text of `file` (JSON for *.json, else YAML) into its top-level mapping. */
export function parseDataFile(text: string, file: string, kind: DataFileKind): DataFile {
  const { data, doc } = /\.json$/i.test(file) ? readJson(text, file) : readYaml(text, file, kind);
  const fail = (problems: Problem[]): never => {
    throw new FileProblemsError(file, sortByPosition(problems, doc));
  };
  if (data === undefined || data === null || (typeof data === 'string' && data.trim() === '')) {
    fail([{ path: '', message: 'the file is empty (or holds only comments)', fix: kind.emptyFix }]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    fail([{ path: '', message: `the top level must be a mapping of fields (${kind.topLevelFields}, ...), but the file holds ${describeValue(data)}`, fix: kind.notMappingFix }]);
  }
  return { data: data as Record<string, unknown>, fail };
}

// ---------------------------------------------------------------- text -> data

interface Read {
  data: unknown;
  /** The document the problems are sorted by; none where the text could not be read as YAML. */
  doc?: Document;
}

function readYaml(text: string, file: string, kind: DataFileKind): Read {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    const errors = kind.oneErrorPerPosition ? doc.errors.filter((e, i) => doc.errors.findIndex((f) => f.pos[0] === e.pos[0]) === i) : doc.errors;
    const problems = errors.map((e): Problem => {
      if (e.code === 'MULTIPLE_DOCS') {
        return { path: '', message: `the file holds more than one YAML document (a second '---' at ${where(e)})`, fix: `keep one ${kind.noun} per file: remove that '---' and the document after it` };
      }
      if (e.code === 'DUPLICATE_KEY') return duplicateKey(doc, e, 'a mapping');
      const path = kind.syntaxErrorAtField ? formatPath(pathAtOffset(doc, e.pos[0])) : '';
      const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { path, message: `YAML syntax error at ${where(e)}: ${what}`, fix: 'check the indentation (spaces, not tabs), colons, quotes and brackets on that line and the one before' };
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
    const at = found.at >= 0 ? ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}` : '';
    throw new FileProblemsError(file, [{ path: '', message: `JSON syntax error${at}: ${found.what}`, fix: 'check commas, quotes and brackets there (JSON allows no trailing commas or comments; use a .yaml file for those)' }]);
  }
  // JSON.parse keeps the last of duplicate keys silently; the YAML reader of the same text finds them.
  const doc = parseDocument(clean, { uniqueKeys: true });
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (duplicates.length) throw new FileProblemsError(file, duplicates.map((e) => duplicateKey(doc, e, 'an object')));
  return { data, doc: doc.errors.length ? undefined : doc };
}

function where(e: YAMLError): string {
  const at = e.linePos?.[0];
  return at ? `line ${at.line}, column ${at.col}` : 'an unknown position';
}

function duplicateKey(doc: Document, e: YAMLError, container: 'a mapping' | 'an object'): Problem {
  const key = keyAtOffset(doc, e.pos[0]);
  const shown = key === undefined ? 'a key' : `'${key}'`;
  return {
    path: formatPath(pathAtOffset(doc, e.pos[0])),
    message: `duplicate key ${shown} at ${where(e)}`,
    fix: `each key may appear once in ${container}; remove or merge one of the ${shown} entries`,
  };
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

/** The mapping key at `offset`, if the deepest node there is one (a list index is not a key). */
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

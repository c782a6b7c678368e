// Checking a data file against its JSON Schema (draft-07, with ajv) and translating ajv's errors
// into problems a user can act on: a sentence, the path inside the file and a fix. The cases every
// format has (unknown and missing fields, wrong types, enums, bounds) are worded here once; a
// loader adds what only its format has (network durations, hw-spec number formats) through the
// hooks of SchemaWording.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { dedupeProblems, type Problem } from './errors.js';
import { closest, describeValue, inline, problem, type Segment } from './messages.js';

/** The parts of a schema node that the messages use. */
export interface SchemaNode {
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  examples?: unknown[];
  const?: unknown;
  $ref?: string;
}

/** One ajv error, taken apart for the hooks. */
export interface SchemaError {
  error: ErrorObject;
  /** Where the offending value is. */
  segments: Segment[];
  last: Segment | undefined;
  /** The schema node whose keyword failed. */
  parent: SchemaNode | undefined;
  /** The offending value. */
  data: unknown;
}

/** How one format words the errors of its schema. */
export interface SchemaWording {
  /** Where the format is documented, named when nothing better can be said: 'docs/network-format.md'. */
  docs: string;
  /** Fixes for a value of the wrong type (by expected type) that differ from the common ones. */
  typeFixes?: Readonly<Record<string, string>>;
  /** A plausible intended word for a misspelt field or value; `closest` unless given. */
  suggest?: (word: string, candidates: readonly string[]) => string | undefined;
  /** The format's own problem for an error, tried first; undefined leaves the error to the common wording. */
  special?: (e: SchemaError) => Problem | undefined;
  /** A better fix for a value of the wrong type, tried when it is not a number in quotes. */
  typeFix?: (e: SchemaError, types: readonly string[]) => string | undefined;
  /** What follows "'x' is not a valid" for an enum value; the field name unless given. */
  enumNoun?: (e: SchemaError) => string | undefined;
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

const COMPARISON_WORDS: Record<string, string> = { '>=': 'at least', '>': 'greater than', '<=': 'at most', '<': 'less than' };

/** The bound a minimum/maximum error broke, in words: 'at least 1', 'less than 64'. */
export function boundCondition(error: ErrorObject): { comparison: string; limit: number; condition: string } {
  const { comparison, limit } = error.params as { comparison: string; limit: number };
  return { comparison, limit, condition: `${COMPARISON_WORDS[comparison] ?? comparison} ${limit}` };
}

function pointerToSegments(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** For the per-kind branches of an if/then schema: "dist 'normal'". */
function branchLabel(schema: SchemaNode | undefined): string | undefined {
  for (const [k, p] of Object.entries(schema?.properties ?? {})) if (p.const !== undefined) return `${k} '${String(p.const)}'`;
  return undefined;
}

/** A compiled schema (compiled by ajv on first use) and the wording of its errors. */
export class SchemaChecker {
  readonly definitions: Readonly<Record<string, SchemaNode>>;
  private validator: ValidateFunction | undefined;

  constructor(
    private readonly schema: Readonly<Record<string, unknown>>,
    private readonly wording: SchemaWording,
  ) {
    this.definitions = (schema as { definitions?: Record<string, SchemaNode> }).definitions ?? {};
  }

  /** ajv's errors for `data`, in the order ajv found them; none when it conforms. */
  errors(data: unknown): ErrorObject[] {
    this.validator ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, strictNumbers: true }).compile(this.schema);
    return this.validator(data) ? [] : [...(this.validator.errors ?? [])];
  }

  /**
   * Every problem of `data`, without repeats. An if/then schema checks some objects twice (every
   * field of every kind, then the chosen kind's fields), so one unknown field can be reported
   * twice: the report with the shorter list of allowed fields is the more specific one and is kept.
   * Unknown fields come after the other problems.
   */
  check(data: unknown): Problem[] {
    const unknownFields = new Map<string, { problem: Problem; allowed: number }>();
    const out: Problem[] = [];
    for (const error of this.errors(data)) {
      if (error.keyword === 'additionalProperties') {
        const u = this.unknownField(error);
        const prev = unknownFields.get(u.problem.path);
        if (!prev || u.allowed < prev.allowed) unknownFields.set(u.problem.path, u);
        continue;
      }
      const p = this.translate(error);
      if (p) out.push(p);
    }
    out.push(...[...unknownFields.values()].map((u) => u.problem));
    return dedupeProblems(out);
  }

  /** The problem one error describes; undefined for an error that others describe better. */
  translate(error: ErrorObject): Problem | undefined {
    const segments = pointerToSegments(error.instancePath);
    const e: SchemaError = { error, segments, last: segments[segments.length - 1], parent: error.parentSchema as SchemaNode | undefined, data: error.data };
    const special = this.wording.special?.(e);
    if (special) return special;
    const { parent, data, last } = e;
    switch (error.keyword) {
      case 'if':
        return undefined; // the failing `then` branch reports its own errors
      case 'additionalProperties':
        return this.unknownField(error).problem;
      case 'required':
        return this.missingField(e);
      case 'type':
        return this.wrongType(e);
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const noun = this.wording.enumNoun?.(e) ?? (typeof last === 'string' ? last : 'value');
        const shown = typeof data === 'string' ? `'${data}'` : describeValue(data);
        const hint = typeof data === 'string' ? this.didYouMean(data, allowed) : '';
        return problem(segments, `${shown} is not a valid ${noun}`, `${hint}allowed values: ${allowed.join(', ')}`);
      }
      case 'minimum':
      case 'exclusiveMinimum':
      case 'maximum':
      case 'exclusiveMaximum': {
        const { condition } = boundCondition(error);
        return problem(segments, `must be ${condition}, got ${String(data)}`, `use a value of ${condition}`);
      }
      case 'minItems': {
        const example = parent?.examples?.[0];
        return problem(segments, 'must not be empty', example === undefined ? 'add at least one entry' : `add at least one entry, e.g. ${inline(example)}`);
      }
      case 'minLength':
        return problem(segments, 'must not be empty', 'write a value');
      case 'maxLength':
        return problem(segments, `is longer than ${String((error.params as { limit: number }).limit)} characters`, 'shorten it');
      case 'pattern':
        return problem(segments, `${JSON.stringify(data)} has the wrong form`, parent?.description ?? `see ${this.wording.docs}`);
      default:
        return problem(segments, error.message ?? `is invalid (${error.keyword})`, parent?.description ? `expected: ${parent.description}` : `see ${this.wording.docs}`);
    }
  }

  /** An unknown field, and how many fields are allowed there (fewer: a more specific report). */
  unknownField(error: ErrorObject): { problem: Problem; allowed: number } {
    const field = String((error.params as { additionalProperty: string }).additionalProperty);
    const parent = error.parentSchema as SchemaNode | undefined;
    const allowed = Object.keys(parent?.properties ?? {}).filter((k) => k !== '$schema');
    const branch = branchLabel(parent);
    const here = branch ? `allowed fields for ${branch}` : 'allowed fields here';
    const list = allowed.length ? `${here}: ${allowed.join(', ')}` : 'no fields are allowed here';
    const suggestion = this.suggest(field, allowed);
    let fix = suggestion ? `did you mean '${suggestion}'? ${list}` : `remove it; ${list}`;
    if (branch && !suggestion) {
      // A field of another kind (e.g. 'high' under dist: normal): say which kinds have it.
      const tag = branch.split(' ')[0]!;
      const owners = Object.values(this.definitions)
        .filter((d) => d.properties?.[tag]?.const !== undefined && d.properties[field] !== undefined)
        .map((d) => String(d.properties![tag]!.const));
      if (owners.length) fix = `'${field}' belongs to ${tag} ${owners.join(' or ')} (remove it or change ${tag}); ${list}`;
    }
    return { problem: problem([...pointerToSegments(error.instancePath), field], `unknown field '${field}'`, fix), allowed: allowed.length };
  }

  private missingField({ error, segments, parent }: SchemaError): Problem {
    const field = String((error.params as { missingProperty: string }).missingProperty);
    const node = this.propertyNode(parent, field);
    const branch = branchLabel(parent);
    const example = parent?.properties?.[field]?.examples?.[0] ?? node?.examples?.[0];
    const what = node?.description ? ` (${node.description.replace(/\.$/, '')})` : '';
    const fix = example === undefined ? `add '${field}:'${what}` : `add '${field}: ${inline(example)}'${what}`;
    return problem(segments, `missing required field '${field}'${branch ? ` (needed for ${branch})` : ''}`, fix);
  }

  private wrongType(e: SchemaError): Problem {
    const { error, segments, data } = e;
    const types = ([] as string[]).concat((error.params as { type: string | string[] }).type);
    const expected = types.includes('array') && types.includes('number') ? 'a number or a list of numbers' : types.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
    let fix = this.wording.typeFixes?.[types[0]!] ?? TYPE_FIXES[types[0]!] ?? `write ${expected}`;
    if (typeof data === 'string' && (types.includes('number') || types.includes('integer')) && data.trim() !== '' && Number.isFinite(Number(data))) {
      fix = `remove the quotes: write ${data.trim()} instead of ${JSON.stringify(data)}`;
    } else {
      fix = this.wording.typeFix?.(e, types) ?? fix;
    }
    return problem(segments, `expected ${expected}, got ${describeValue(data)}`, fix);
  }

  /** The schema node of a property (following one $ref where it has no description of its own). */
  private propertyNode(parent: SchemaNode | undefined, field: string): SchemaNode | undefined {
    const p = parent?.properties?.[field];
    if (p?.$ref && p.description === undefined) return this.definitions[p.$ref.replace('#/definitions/', '')];
    return p;
  }

  private suggest(word: string, candidates: readonly string[]): string | undefined {
    return (this.wording.suggest ?? closest)(word, candidates);
  }

  private didYouMean(word: string, candidates: readonly string[]): string {
    const s = this.suggest(word, candidates);
    return s === undefined ? '' : `did you mean '${s}'? `;
  }
}

// The published JSON Schema: in step with types.ts, documented for editors, closed everywhere; the
// field reference in docs/hw-spec.md is generated from it (this test fails when it drifts; run
// `UPDATE_DOCS=1 npx vitest run tests/hwspec/schema.test.ts` to regenerate it), and the README and
// the docs mention every section.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ADC_ROUNDING_MODES, COST_BASES, COST_CLASSES, FORMAT_NAMES, ROUNDING_MODES, hwSpecSchema, loadHwSpec } from '../../compiler/hwspec/index.js';
import { undescribedProperties, walkSchema } from '../helpers/schema.js';

interface Node {
  [key: string]: unknown;
  description?: string;
  type?: string;
  $ref?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Node>;
  definitions?: Record<string, Node>;
}
const schema = hwSpecSchema as Node;
const defs = schema.definitions!;
const props = schema.properties!;

/** Schema keys whose values are no fields. */
const NOT_FIELDS = ['examples', 'enum'];
const walk = (node: unknown): Generator<[string, Node]> => walkSchema<Node>(node, NOT_FIELDS);

describe('hw-spec.schema.json', () => {
  test('is draft-07 and its enums and keys are the constants of types.ts', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(defs['rounding_mode']!.enum).toEqual([...ROUNDING_MODES]);
    expect(props['rounding']!.properties!['adc']!.enum).toEqual([...ADC_ROUNDING_MODES]);
    expect(defs['basis']!.enum).toEqual([...COST_BASES]);
    expect(Object.keys(props['costs']!.properties!)).toEqual([...COST_CLASSES]);
    expect(Object.keys(props['formats']!.properties!)).toEqual([...FORMAT_NAMES]);
  });

  test('every field of a loaded spec is a schema property and vice versa', () => {
    const spec = loadHwSpec('default'); // has every optional field except $schema
    expect(Object.keys(spec).sort()).toEqual(Object.keys(props).filter((k) => k !== '$schema').sort());
  });

  test('every property has a description', () => {
    expect(undescribedProperties(schema, NOT_FIELDS)).toEqual([]);
  });

  test('every object is closed (additionalProperties: false) and requires all its fields but seed and $schema', () => {
    const open: string[] = [];
    const optional: string[] = [];
    for (const [at, node] of walk(schema)) {
      if (node.type === 'object' && node.additionalProperties !== false) open.push(at);
      for (const name of Object.keys(node.properties ?? {})) if (!(node.required ?? []).includes(name)) optional.push(name);
    }
    expect(open).toEqual([]);
    expect(optional.sort()).toEqual(['$schema', 'seed']);
  });

  test('every cost and the static power require a source and a basis', () => {
    expect(defs['cost']!.required).toEqual(expect.arrayContaining(['source', 'basis']));
    expect(props['static_power']!.required).toEqual(expect.arrayContaining(['source', 'basis']));
    for (const cls of COST_CLASSES) expect(props['costs']!.properties![cls]!.$ref).toBe('#/definitions/cost');
  });
});

// ---------------------------------------------------------------- the generated field reference

const DOC = 'docs/hw-spec.md';
const BEGIN = '<!-- BEGIN GENERATED FIELD REFERENCE: from hw-specs/hw-spec.schema.json by tests/hwspec/schema.test.ts (UPDATE_DOCS=1 rewrites it) -->';
const END = '<!-- END GENERATED FIELD REFERENCE -->';

const defName = (ref: string): string => ref.replace('#/definitions/', '');

function typeOf(node: Node): string {
  if (node.$ref) {
    const name = defName(node.$ref);
    const def = defs[name]!;
    return def.type === 'object' ? `[${name}](#${name})` : typeOf(def);
  }
  const parts: string[] = [];
  if (node.enum) return `one of ${node.enum.map((e) => `\`${e}\``).join(', ')}`;
  parts.push(node.type ?? 'any');
  const [min, max, xmin] = [node['minimum'], node['maximum'], node['exclusiveMinimum']];
  if (min !== undefined && max !== undefined) parts.push(`${String(min)}..${String(max)}`);
  else if (min !== undefined) parts.push(`>= ${String(min)}`);
  else if (max !== undefined) parts.push(`<= ${String(max)}`);
  if (xmin !== undefined) parts.push(`> ${String(xmin)}`);
  if (node['minLength'] !== undefined) parts.push('non-empty');
  if (node['pattern'] !== undefined) parts.push(`matching \`${String(node['pattern'])}\``);
  return parts.join(' ');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function rows(node: Node, prefix: string): string[] {
  const out: string[] = [];
  for (const [name, p] of Object.entries(node.properties ?? {})) {
    if (name === '$schema') continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const optional = (node.required ?? []).includes(name) ? '' : ', optional';
    if (p.type === 'object' && !p.$ref) {
      out.push(`| \`${path}\` | mapping${optional} | ${cell(p.description ?? '')} |`);
      out.push(...rows(p, path));
    } else out.push(`| \`${path}\` | ${typeOf(p)}${optional} | ${cell(p.description ?? '')} |`);
  }
  return out;
}

function renderReference(): string {
  const head = '| field | type | meaning |\n|---|---|---|';
  const lines: string[] = [BEGIN, '', '### Top level', '', head];
  for (const [name, p] of Object.entries(props)) if (name !== '$schema' && p.type !== 'object') lines.push(`| \`${name}\` | ${typeOf(p)}${(schema.required ?? []).includes(name) ? '' : ', optional'} | ${cell(p.description ?? '')} |`);
  for (const [name, p] of Object.entries(props)) {
    if (p.type !== 'object') continue;
    lines.push('', `### \`${name}\``, '', cell(p.description ?? ''), '', head, ...rows(p, name));
  }
  lines.push('', '### Types', '');
  for (const [name, d] of Object.entries(defs)) {
    lines.push(`#### ${name}`, '', cell(d.description ?? ''), '');
    if (d.type === 'object') lines.push(head, ...rows(d, ''), '');
    else lines.push(`Type: ${typeOf(d)}.`, '');
  }
  lines.push(END);
  return lines.join('\n');
}

describe(DOC, () => {
  test('the field reference is the one generated from the schema', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start, `${DOC} lacks the generated-reference markers`).toBeGreaterThanOrEqual(0);
    const fresh = renderReference();
    const current = doc.slice(start, end + END.length);
    if (process.env['UPDATE_DOCS'] === '1' && current !== fresh) writeFileSync(DOC, doc.slice(0, start) + fresh + doc.slice(end + END.length));
    else expect(current, `${DOC} drifted from the schema: run UPDATE_DOCS=1 npx vitest run tests/hwspec/schema.test.ts`).toBe(fresh);
  });

  test('the example in the docs is a valid spec', async () => {
    const { parseHwSpec } = await import('../../compiler/hwspec/index.js');
    const doc = readFileSync(DOC, 'utf8');
    const example = /## Writing your own[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(parseHwSpec(example!, `${DOC}.yaml`).name).toBe('my-chip');
  });
});

describe('hw-specs/README.md', () => {
  test('names every section of a spec and every preset', () => {
    const readme = readFileSync('hw-specs/README.md', 'utf8');
    for (const name of Object.keys(props)) if (name !== '$schema') expect(readme, name).toContain(`\`${name}\``);
    for (const preset of ['default', 'bss2-like', 'high-precision']) expect(readme).toContain(`\`${preset}\``);
  });
});

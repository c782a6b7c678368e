// The published JSON Schema: in step with ir.ts, documented for editors, closed everywhere, and
// the documented example in docs/network-format.md is a valid network.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ACTIVATIONS, POPULATION_KINDS, ROLES, SCHEMES, SIGNALS, networkSchema, parseNetwork } from '../../compiler/network/index.js';
import { undescribedProperties, walkSchema } from '../helpers/schema.js';

interface Node {
  [key: string]: unknown;
  properties?: Record<string, Node>;
  definitions?: Record<string, Node>;
}
const schema = networkSchema as Node;
const defs = schema.definitions!;
const prop = (def: string, name: string): Node => defs[def]!.properties![name]!;

/** Schema keys whose values are no fields: conditions and values. */
const NOT_FIELDS = ['if', 'examples', 'default', 'enum', 'const'];
const walk = (node: unknown): Generator<[string, Node]> => walkSchema<Node>(node, NOT_FIELDS);

describe('network.schema.json', () => {
  test('enums are the constants of ir.ts', () => {
    expect(prop('neuron', 'activation').enum).toEqual([...ACTIVATIONS]);
    expect(prop('population', 'kind').enum).toEqual([...POPULATION_KINDS]);
    expect(prop('projection', 'role').enum).toEqual([...ROLES]);
    expect(prop('dynamics', 'scheme').enum).toEqual([...SCHEMES]);
    expect(defs['probe']!.pattern).toContain(`(?:${SIGNALS.join('|')})`);
    expect(prop('init', 'dist').enum).toEqual(['normal', 'uniform', 'zeros', 'constant', 'values']);
    expect(prop('signal', 'kind').enum).toEqual(['constant', 'sine', 'random_steps', 'square', 'multichannel', 'mnist']);
  });

  test('every property has a description', () => {
    expect(undescribedProperties(schema, NOT_FIELDS)).toEqual([]);
  });

  test('every object with fields is closed (additionalProperties: false)', () => {
    const open: string[] = [];
    for (const [at, node] of walk(schema)) if (node.properties && node.additionalProperties !== false) open.push(at);
    expect(open).toEqual([]);
  });

  test('each init dist and signal kind has its own closed branch, selected by if/then', () => {
    for (const [base, tag, kinds] of [
      ['init', 'dist', prop('init', 'dist').enum],
      ['signal', 'kind', prop('signal', 'kind').enum],
    ] as [string, string, string[]][]) {
      const branches = (defs[base]!.allOf as { if: Node; then: { $ref: string } }[]).map((b) => [
        (b.if.properties![tag] as { const: string }).const,
        b.then.$ref,
      ]);
      expect(branches).toEqual(kinds.map((k) => [k, `#/definitions/${base}_${k}`]));
    }
  });
});

describe('docs/network-format.md', () => {
  test('the full example is a valid network with the documented values', () => {
    const doc = readFileSync('docs/network-format.md', 'utf8');
    const example = /## Full example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const ir = parseNetwork(example!, 'docs/network-format.md.yaml');
    expect(ir.dynamics.dt).toBe(5e-5);
    expect(ir.populations.map((p) => p.name)).toEqual(['in', 'h1', 'out']);
  });

  test('every field of the schema is documented', () => {
    const doc = readFileSync('docs/network-format.md', 'utf8');
    const undocumented: string[] = [];
    for (const [, node] of walk(schema)) {
      for (const name of Object.keys(node.properties ?? {})) if (name !== '$schema' && !doc.includes(`\`${name}\``)) undocumented.push(name);
    }
    expect([...new Set(undocumented)]).toEqual([]);
  });
});

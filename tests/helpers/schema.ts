// Walking a published JSON Schema (network, hw-spec) in the tests that check it is documented and
// closed everywhere.

interface Described {
  description?: unknown;
  properties?: Record<string, Described>;
}

/**
 * Every schema node below `node` with its location ('#/properties/core'), not looking inside the
 * keys in `skip` (values such as examples or enum, or conditions such as if, that are no fields).
 */
export function* walkSchema<N extends object>(node: unknown, skip: readonly string[], at = '#'): Generator<[string, N]> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  yield [at, node as N];
  for (const [k, v] of Object.entries(node)) {
    if (skip.includes(k)) continue;
    if (k === 'properties' || k === 'definitions') for (const [name, sub] of Object.entries(v as object)) yield* walkSchema<N>(sub, skip, `${at}/${k}/${name}`);
    else if (Array.isArray(v)) for (const [i, sub] of v.entries()) yield* walkSchema<N>(sub, skip, `${at}/${k}/${i}`);
    else yield* walkSchema<N>(v, skip, `${at}/${k}`);
  }
}

/** The locations of the properties that have no description (editors show it on hover). */
export function undescribedProperties(schema: object, skip: readonly string[]): string[] {
  const missing: string[] = [];
  for (const [at, node] of walkSchema<Described>(schema, skip)) {
    for (const [name, p] of Object.entries(node.properties ?? {})) if (typeof p.description !== 'string' || !p.description) missing.push(`${at}/properties/${name}`);
  }
  return missing;
}

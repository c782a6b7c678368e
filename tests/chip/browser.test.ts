// The reference chip must run in a browser: nothing it loads at runtime (type-only imports are
// erased) may be a Node built-in.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** runtime import specifiers of a TypeScript file */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) if (!m[1]) specs.push(m[2]!);
  return specs;
}

it('emulator/chip loads no Node built-in, directly or through what it imports', () => {
  const seen = new Set<string>();
  const builtins: string[] = [];
  const visit = (file: string, from: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('node:')) builtins.push(`${spec} in ${file.slice(root.length + 1)} (reached from ${from})`);
      else if (spec.startsWith('.') && spec.endsWith('.js')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), file.slice(root.length + 1));
    }
  };
  visit(join(root, 'emulator/chip/index.ts'), 'emulator/chip/index.ts');
  expect(builtins).toEqual([]);
  expect(seen.size).toBeGreaterThan(8);
});

// The package root (the folder with package.json), found from this module both in the sources
// (compiler/common/) and in the build (dist/compiler/common/): shipped data such as the hw-spec
// presets and the examples is read relative to it, never to the working directory.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let rootCache: string | undefined;

/** The nearest folder above this module that holds package.json. */
export function packageRoot(): string {
  if (rootCache !== undefined) return rootCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (rootCache = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`nla: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/**
 * Path of a Wasm binary the build writes to build/ (`npm run build:wasm`); the environment
 * variable `override`, when set, names another file (tests and benchmarks of other builds).
 */
export function buildWasmPath(file: string, override: string): string {
  const chosen = process.env[override];
  if (chosen) return chosen;
  const path = join(packageRoot(), 'build', file);
  if (!existsSync(path)) throw new Error(`nla: ${path} not found; build it with \`npm run build:wasm\``);
  return path;
}

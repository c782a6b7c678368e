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

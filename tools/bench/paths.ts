// Locate the package root (the folder with package.json) from the sources or from dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the nla package root');
    dir = up;
  }
  return dir;
}

export function examplePath(name: string): string {
  return join(packageRoot(), 'examples', name);
}

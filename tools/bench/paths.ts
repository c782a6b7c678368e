// Paths of the shipped examples, relative to the package root (from the sources or from dist/).
import { join } from 'node:path';
import { packageRoot } from '../../compiler/common/package-root.js';

export function examplePath(name: string): string {
  return join(packageRoot(), 'examples', name);
}

// The only Node-specific file of the kernels: finds and reads build/nla.wasm, both from the TS
// sources (vitest: emulator/kernels/) and from the compiled output (dist/emulator/kernels/), by
// walking up from this file to the package root (the first directory holding package.json).
// NLA_WASM=/path/to/nla.wasm overrides the search.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of build/nla.wasm in the package containing this file. */
export function findKernelWasm(): string {
  const override = process.env.NLA_WASM;
  if (override) return override;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const file = join(dir, 'build', 'nla.wasm');
      if (!existsSync(file)) {
        throw new Error(`nla kernels: ${file} not found; build it with \`npm run build:wasm\``);
      }
      return file;
    }
    const up = dirname(dir);
    if (up === dir) {
      throw new Error(`nla kernels: no package.json above ${fileURLToPath(import.meta.url)}; cannot locate build/nla.wasm`);
    }
    dir = up;
  }
}

/** Bytes of build/nla.wasm. */
export async function loadKernelWasm(): Promise<ArrayBuffer> {
  const buf = await readFile(findKernelWasm());
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

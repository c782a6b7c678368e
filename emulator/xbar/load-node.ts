// The only Node-specific file of the crossbar kernels: finds and reads build/xbar.wasm, from the
// TS sources (vitest: emulator/xbar/) and from the compiled output (dist/emulator/xbar/), by
// walking up from this file to the package root (the first directory holding package.json).
// NLA_XBAR_WASM=/path/to/xbar.wasm overrides the search.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of build/xbar.wasm in the package containing this file. */
export function findXbarWasm(): string {
  const override = process.env.NLA_XBAR_WASM;
  if (override) return override;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const file = join(dir, 'build', 'xbar.wasm');
      if (!existsSync(file)) {
        throw new Error(`nla xbar: ${file} not found; build it with \`npm run build:wasm\``);
      }
      return file;
    }
    const up = dirname(dir);
    if (up === dir) {
      throw new Error(`nla xbar: no package.json above ${fileURLToPath(import.meta.url)}; cannot locate build/xbar.wasm`);
    }
    dir = up;
  }
}

/** Bytes of build/xbar.wasm. */
export async function loadXbarWasm(): Promise<ArrayBuffer> {
  const buf = await readFile(findXbarWasm());
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

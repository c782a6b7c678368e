// The only Node-specific file of the crossbar kernels: reads build/xbar.wasm from the package root
// (the TS sources under vitest and the compiled dist/ alike). NLA_XBAR_WASM overrides it.
import { readFile } from 'node:fs/promises';
import { buildWasmPath } from '../../compiler/common/package-root.js';

/** Absolute path of build/xbar.wasm in the package containing this file. */
export const findXbarWasm = (): string => buildWasmPath('xbar.wasm', 'NLA_XBAR_WASM');

/** Bytes of build/xbar.wasm. */
export async function loadXbarWasm(): Promise<ArrayBuffer> {
  const buf = await readFile(findXbarWasm());
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

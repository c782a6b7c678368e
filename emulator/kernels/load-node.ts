// The only Node-specific file of the kernels: reads build/nla.wasm from the package root (the TS
// sources under vitest and the compiled dist/ alike). NLA_WASM=/path/to/nla.wasm overrides it.
import { readFile } from 'node:fs/promises';
import { buildWasmPath } from '../../compiler/common/package-root.js';

/** Absolute path of build/nla.wasm in the package containing this file. */
export const findKernelWasm = (): string => buildWasmPath('nla.wasm', 'NLA_WASM');

/** Bytes of build/nla.wasm. */
export async function loadKernelWasm(): Promise<ArrayBuffer> {
  const buf = await readFile(findKernelWasm());
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

// The only Node-specific file of the Wasm chip: finds build/chip.wasm from the package root (the
// TS sources under vitest and the compiled dist/ alike), compiles it once per process, and makes
// Wasm chips with it. NLA_CHIP_WASM=/path/to/chip.wasm overrides the search. Not exported from
// emulator/chip/index.ts, which stays browser-safe.
import { readFileSync } from 'node:fs';
import { buildWasmPath } from '../../compiler/common/package-root.js';
import type { Image } from '../../compiler/image/types.js';
import type { ChipOptions } from './reference.js';
import { createWasmChip, type WasmChip } from './wasm.js';

export const findChipWasm = (): string => buildWasmPath('chip.wasm', 'NLA_CHIP_WASM');

let compiled: WebAssembly.Module | undefined;

/** build/chip.wasm, compiled on first use. */
export function chipWasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(findChipWasm()));
  return compiled;
}

/** createWasmChip with the package's build/chip.wasm. */
export function createNodeWasmChip(image: Image, options: ChipOptions = {}): WasmChip {
  return createWasmChip(image, { ...options, wasm: chipWasmModule() });
}

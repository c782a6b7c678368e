// Entry point of the f64 linear-algebra kernels: createKernels({ backend, capacityBytes }).
// No static Node imports: under Node the module bytes are read by load-node.ts (dynamic import);
// in a browser pass `wasm` (a compiled module, the bytes, or a URL to fetch).
import { createJsKernels } from './js.js';
import type { KernelBackend, Kernels } from './types.js';
import { compileKernelModule, createWasmKernels, instantiateWasmKernels } from './wasm.js';

export type { KernelBackend, Kernels } from './types.js';
export { ALLOC_ALIGN, allocBytes, capacityFor } from './types.js';
export { createJsKernels } from './js.js';
export { compileKernelModule, createWasmKernels, instantiateWasmKernels } from './wasm.js';

export type KernelWasmSource = WebAssembly.Module | BufferSource | URL;

export interface CreateKernelsOptions {
  backend: KernelBackend;
  /** bytes available to alloc() (each allocation is rounded up to ALLOC_ALIGN) */
  capacityBytes: number;
  /** wasm backend: the module (or its bytes / URL); default under Node: build/nla.wasm */
  wasm?: KernelWasmSource;
}

let defaultModule: Promise<WebAssembly.Module> | undefined;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The package's own kernel module, compiled once per process (Node only). */
export function defaultKernelModule(): Promise<WebAssembly.Module> {
  if (!defaultModule) {
    if (!isNode()) {
      return Promise.reject(
        new Error('nla kernels: outside Node, pass the wasm module, its bytes or its URL as `wasm`'),
      );
    }
    defaultModule = import('./load-node.js')
      .then((m) => m.loadKernelWasm())
      .then((bytes) => compileKernelModule(bytes));
    defaultModule.catch(() => {
      defaultModule = undefined; // let a later call retry (e.g. after building the wasm)
    });
  }
  return defaultModule;
}

async function resolveModule(src: KernelWasmSource | undefined): Promise<WebAssembly.Module> {
  if (src === undefined) return defaultKernelModule();
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof URL) {
    const res = await fetch(src);
    if (!res.ok) throw new Error(`nla kernels: fetching ${src.href} failed: ${res.status} ${res.statusText}`);
    return compileKernelModule(await res.arrayBuffer());
  }
  return compileKernelModule(src);
}

/** Create a Kernels instance (wasm: one fresh instance and memory per call, module compiled once). */
export async function createKernels(opts: CreateKernelsOptions): Promise<Kernels> {
  if (opts.backend === 'js') return createJsKernels(opts.capacityBytes);
  if (opts.backend === 'wasm') return instantiateWasmKernels(await resolveModule(opts.wasm), opts.capacityBytes);
  throw new Error(`nla kernels: unknown backend ${String((opts as { backend: unknown }).backend)}`);
}

/** Synchronous variant: the wasm backend needs an already compiled module. */
export function createKernelsSync(opts: {
  backend: KernelBackend;
  capacityBytes: number;
  module?: WebAssembly.Module;
}): Kernels {
  if (opts.backend === 'js') return createJsKernels(opts.capacityBytes);
  if (opts.backend === 'wasm') {
    if (!opts.module) {
      throw new Error('nla kernels: createKernelsSync({ backend: "wasm" }) needs a compiled `module` (see defaultKernelModule())');
    }
    return createWasmKernels(opts.module, opts.capacityBytes);
  }
  throw new Error(`nla kernels: unknown backend ${String((opts as { backend: unknown }).backend)}`);
}

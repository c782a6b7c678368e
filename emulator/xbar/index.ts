// Integer crossbar kernels of the chip emulator: createXbar({ backend, arena }).
// Kernels: assembly/xbar/index.ts (Wasm SIMD + scalar), js.ts (TypeScript twin); memory and
// buffers: arena.ts; interface, checks and backends: kernels.ts. No static Node imports: under
// Node the module bytes are read by load-node.ts (dynamic import); in a browser pass `wasm`.
import { XbarArena, type XbarArenaOptions } from './arena.js';
import { jsXbar, wasmXbar, type XbarBackend, type XbarExports, type XbarKernels } from './kernels.js';

export { XBAR_ALIGN, XBAR_RESERVE, XbarArena, XbarI16, XbarI32, xbarBytes, type XbarArenaOptions } from './arena.js';
export { sumFitsI32, type XbarBackend, type XbarKernels } from './kernels.js';
export * as xbarJs from './js.js';

export type XbarWasmSource = WebAssembly.Module | BufferSource | URL;

let defaultModule: Promise<WebAssembly.Module> | undefined;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The package's own build/xbar.wasm, compiled once per process (Node only). */
export function defaultXbarModule(): Promise<WebAssembly.Module> {
  if (!defaultModule) {
    if (!isNode()) {
      return Promise.reject(new Error('nla xbar: outside Node, pass the wasm module, its bytes or its URL as `wasm`'));
    }
    defaultModule = import('./load-node.js')
      .then((m) => m.loadXbarWasm())
      .then((bytes) => WebAssembly.compile(bytes));
    defaultModule.catch(() => {
      defaultModule = undefined; // let a later call retry (e.g. after building the wasm)
    });
  }
  return defaultModule;
}

async function resolveModule(src: XbarWasmSource | undefined): Promise<WebAssembly.Module> {
  if (src === undefined) return defaultXbarModule();
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof URL) {
    const res = await fetch(src);
    if (!res.ok) throw new Error(`nla xbar: fetching ${src.href} failed: ${res.status} ${res.statusText}`);
    return WebAssembly.compile(await res.arrayBuffer());
  }
  return WebAssembly.compile(src);
}

function imports(arena: XbarArena): WebAssembly.Imports {
  return {
    env: {
      memory: arena.memory,
      abort(msg: number, file: number, line: number, col: number): never {
        throw new Error(`nla xbar wasm: abort at ${line}:${col} (msg ${msg}, file ${file})`);
      },
    },
  };
}

export interface CreateXbarOptions {
  backend: XbarBackend;
  /** share an arena between instances (e.g. to run two backends on the same buffers) */
  arena?: XbarArena;
  /** for a new arena: its size (see XbarArenaOptions) */
  arenaOptions?: XbarArenaOptions;
}

/** Kernels of the given backend (wasm backends: one instance per call on the arena's memory). */
export async function createXbar(opts: CreateXbarOptions & { wasm?: XbarWasmSource }): Promise<XbarKernels> {
  const arena = opts.arena ?? new XbarArena(opts.arenaOptions);
  if (opts.backend === 'js') return jsXbar(arena);
  checkBackend(opts.backend);
  const instance = await WebAssembly.instantiate(await resolveModule(opts.wasm), imports(arena));
  return wasmXbar(instance.exports as unknown as XbarExports, arena, opts.backend);
}

/** Synchronous variant: wasm backends need an already compiled module (defaultXbarModule()). */
export function createXbarSync(opts: CreateXbarOptions & { module?: WebAssembly.Module }): XbarKernels {
  const arena = opts.arena ?? new XbarArena(opts.arenaOptions);
  if (opts.backend === 'js') return jsXbar(arena);
  checkBackend(opts.backend);
  if (!opts.module) {
    throw new Error(`nla xbar: createXbarSync({ backend: "${opts.backend}" }) needs a compiled \`module\` (see defaultXbarModule())`);
  }
  const instance = new WebAssembly.Instance(opts.module, imports(arena));
  return wasmXbar(instance.exports as unknown as XbarExports, arena, opts.backend);
}

function checkBackend(b: string): asserts b is 'simd' | 'scalar' {
  if (b !== 'simd' && b !== 'scalar') throw new Error(`nla xbar: unknown backend ${String(b)} (simd, scalar or js)`);
}

// Wasm SIMD backend (module built from assembly/index.ts). No Node APIs: runs in browsers too.
//
// Each Kernels instance owns one WebAssembly.Memory sized for its capacity at creation and
// created with maximum = initial, so it can never grow and views on it never detach. Arrays
// passed to the kernels must be views on that memory (alloc() results or their subarrays);
// their byteOffset is the pointer handed to Wasm.
import { ALLOC_ALIGN, Capacity, checkDims, checkShape, type Kernels } from './types.js';

const PAGE = 65536;

interface Exports {
  heapBase(): number;
  gemv(W: number, rows: number, cols: number, x: number, y: number, accumulate: number): void;
  gemv2(W: number, rows: number, cols: number, x1: number, x2: number, y1: number, y2: number, accumulate: number): void;
  gemvT(W: number, rows: number, cols: number, x: number, y: number, accumulate: number): void;
  ger(W: number, rows: number, cols: number, a: number, x: number, scale: number): void;
  gerGemv2(
    W: number, rows: number, cols: number, a: number, xOld: number, scale: number,
    x1: number, x2: number, y1: number, y2: number,
  ): void;
}

/** Bytes reserved below the heap for the module's static data (checked against heapBase()). */
const STATIC_RESERVE = PAGE;

function makeMemory(capacityBytes: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil((STATIC_RESERVE + capacityBytes) / PAGE));
  // maximum = initial: the memory can never grow, so views on it never detach
  return new WebAssembly.Memory({ initial: pages, maximum: pages });
}

function makeImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(msg: number, file: number, line: number, col: number): never {
        throw new Error(`nla kernels wasm: abort at ${line}:${col} (msg ${msg}, file ${file})`);
      },
    },
  };
}

/**
 * Wasm backend from an already compiled module (synchronous). Browsers may refuse synchronous
 * instantiation of large modules on the main thread; this one is about 4 KB.
 */
export function createWasmKernels(module: WebAssembly.Module, capacityBytes: number): Kernels {
  const cap = new Capacity(capacityBytes, 'wasm');
  const memory = makeMemory(capacityBytes);
  const instance = new WebAssembly.Instance(module, makeImports(memory));
  return wrap(instance, memory, cap);
}

/** Wasm backend, instantiating asynchronously (preferred in browsers). */
export async function instantiateWasmKernels(module: WebAssembly.Module, capacityBytes: number): Promise<Kernels> {
  const cap = new Capacity(capacityBytes, 'wasm');
  const memory = makeMemory(capacityBytes);
  const instance = await WebAssembly.instantiate(module, makeImports(memory));
  return wrap(instance, memory, cap);
}

export function compileKernelModule(bytes: BufferSource): Promise<WebAssembly.Module> {
  return WebAssembly.compile(bytes);
}

function wrap(instance: WebAssembly.Instance, memory: WebAssembly.Memory, cap: Capacity): Kernels {
  const ex = instance.exports as unknown as Exports;
  const buffer = memory.buffer;
  const heap = Math.ceil(ex.heapBase() / ALLOC_ALIGN) * ALLOC_ALIGN;
  if (heap > STATIC_RESERVE) {
    throw new Error(`nla kernels wasm: module static data (${heap} bytes) exceeds the reserved ${STATIC_RESERVE} bytes`);
  }

  const own = (name: string, what: string, arr: Float64Array): number => {
    if (arr.buffer !== buffer) {
      throw new Error(
        `nla kernels wasm ${name}: ${what} is not a view on this Kernels' memory ` +
          `(allocate it with kernels.alloc() of the same instance, or take a subarray of such an array)`,
      );
    }
    return arr.byteOffset;
  };

  const gemv = ex.gemv, gemv2 = ex.gemv2, gemvT = ex.gemvT, ger = ex.ger, gerGemv2 = ex.gerGemv2;

  return {
    backend: 'wasm',
    alloc(n: number): Float64Array {
      const at = heap + cap.take(n);
      // fresh memory is zeroed and no byte is handed out twice: no fill needed
      return new Float64Array(buffer, at, n);
    },
    gemv(W, rows, cols, x, y, accumulate) {
      checkDims('gemv', rows, cols);
      checkShape('gemv', 'W', W, rows * cols);
      checkShape('gemv', 'x', x, cols);
      checkShape('gemv', 'y', y, rows);
      gemv(own('gemv', 'W', W), rows, cols, own('gemv', 'x', x), own('gemv', 'y', y), accumulate ? 1 : 0);
    },
    gemv2(W, rows, cols, x1, x2, y1, y2, accumulate) {
      checkDims('gemv2', rows, cols);
      checkShape('gemv2', 'W', W, rows * cols);
      checkShape('gemv2', 'x1', x1, cols);
      checkShape('gemv2', 'x2', x2, cols);
      checkShape('gemv2', 'y1', y1, rows);
      checkShape('gemv2', 'y2', y2, rows);
      gemv2(
        own('gemv2', 'W', W), rows, cols,
        own('gemv2', 'x1', x1), own('gemv2', 'x2', x2), own('gemv2', 'y1', y1), own('gemv2', 'y2', y2),
        accumulate ? 1 : 0,
      );
    },
    gemvT(W, rows, cols, x, y, accumulate) {
      checkDims('gemvT', rows, cols);
      checkShape('gemvT', 'W', W, rows * cols);
      checkShape('gemvT', 'x', x, rows);
      checkShape('gemvT', 'y', y, cols);
      gemvT(own('gemvT', 'W', W), rows, cols, own('gemvT', 'x', x), own('gemvT', 'y', y), accumulate ? 1 : 0);
    },
    ger(W, rows, cols, a, x, scale) {
      checkDims('ger', rows, cols);
      checkShape('ger', 'W', W, rows * cols);
      checkShape('ger', 'a', a, rows);
      checkShape('ger', 'x', x, cols);
      ger(own('ger', 'W', W), rows, cols, own('ger', 'a', a), own('ger', 'x', x), scale);
    },
    gerGemv2(W, rows, cols, a, xOld, scale, x1, x2, y1, y2) {
      checkDims('gerGemv2', rows, cols);
      checkShape('gerGemv2', 'W', W, rows * cols);
      checkShape('gerGemv2', 'a', a, rows);
      checkShape('gerGemv2', 'xOld', xOld, cols);
      checkShape('gerGemv2', 'x1', x1, cols);
      checkShape('gerGemv2', 'x2', x2, cols);
      checkShape('gerGemv2', 'y1', y1, rows);
      checkShape('gerGemv2', 'y2', y2, rows);
      gerGemv2(
        own('gerGemv2', 'W', W), rows, cols, own('gerGemv2', 'a', a), own('gerGemv2', 'xOld', xOld), scale,
        own('gerGemv2', 'x1', x1), own('gerGemv2', 'x2', x2), own('gerGemv2', 'y1', y1), own('gerGemv2', 'y2', y2),
      );
    },
  };
}


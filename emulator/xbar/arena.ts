// The one WebAssembly.Memory of the crossbar kernels and its bump allocator. No Node APIs.
//
// Layout: [0, reserveBytes) belongs to the Wasm module's static data (heapBase() is checked
// against it; the module's x scratch for outer_i16 lives there); buffers follow, each aligned to
// XBAR_ALIGN bytes, in allocation order. Nothing is ever freed: allocate the crossbars and vectors
// once, then call the kernels on them (no allocation per call).
//
// Size the arena up front (capacityBytes, see xbarBytes()) so the memory never grows. If an
// allocation does not fit, the memory grows anyway; growth detaches every view on the old
// ArrayBuffer (length 0), so buffers hand out views through `.view`, which re-creates its typed
// array when memory.buffer has changed. Keep the XbarI16/XbarI32 objects, not their views, across
// allocations. The JS backend uses the same arena, so all backends share one layout.

/** Alignment in bytes of every buffer (one v128). */
export const XBAR_ALIGN = 16;
/** Bytes below the first buffer, for the Wasm module's static data (about 16 KiB used). */
export const XBAR_RESERVE = 65536;

const PAGE = 65536;

/** Bytes of arena capacity that buffers of these byte sizes take (each rounded up to XBAR_ALIGN). */
export function xbarBytes(...byteSizes: number[]): number {
  let total = 0;
  for (const b of byteSizes) total += Math.ceil(b / XBAR_ALIGN) * XBAR_ALIGN;
  return total;
}

abstract class XbarBuf<T extends Int16Array | Int32Array> {
  private cached: T;
  constructor(
    /** the arena this buffer lives in (kernels refuse buffers of another arena) */
    readonly arena: XbarArena,
    /** byte address in the arena's memory: the pointer handed to Wasm */
    readonly ptr: number,
    /** elements */
    readonly length: number,
  ) {
    // buffers are normally made by arena.allocI16/allocI32; a direct construction (a window on
    // part of another buffer) must stay above the module's static data
    if (!(Number.isSafeInteger(ptr) && ptr >= arena.base)) {
      throw new RangeError(`nla xbar: buffer address ${ptr} lies below the arena's first buffer (${arena.base})`);
    }
    this.cached = this.make(arena.memory.buffer);
  }
  protected abstract make(buffer: ArrayBuffer): T;
  /** bytes per element */
  abstract readonly bytesPerElement: number;
  /** Typed view of the buffer, valid until the memory grows (then this getter makes a new one). */
  get view(): T {
    const b = this.arena.memory.buffer;
    if (this.cached.buffer !== b) this.cached = this.make(b);
    return this.cached;
  }
  /** one past the last byte */
  get end(): number {
    return this.ptr + this.length * this.bytesPerElement;
  }
}

/** int16 buffer in an arena (weights, DAC codes). */
export class XbarI16 extends XbarBuf<Int16Array> {
  readonly bytesPerElement = 2;
  protected make(buffer: ArrayBuffer): Int16Array {
    return new Int16Array(buffer, this.ptr, this.length);
  }
}

/** int32 buffer in an arena (sums, outer-product factors). */
export class XbarI32 extends XbarBuf<Int32Array> {
  readonly bytesPerElement = 4;
  protected make(buffer: ArrayBuffer): Int32Array {
    return new Int32Array(buffer, this.ptr, this.length);
  }
}

export interface XbarArenaOptions {
  /** bytes for buffers, allocated up front (default 1 MiB); the memory grows past it only if needed */
  capacityBytes?: number;
  /** upper bound of the memory in bytes (default: the engine's limit) */
  maximumBytes?: number;
}

export class XbarArena {
  readonly memory: WebAssembly.Memory;
  /** byte address of the first buffer */
  readonly base = XBAR_RESERVE;
  private top = XBAR_RESERVE;

  constructor(opts: XbarArenaOptions = {}) {
    const capacity = opts.capacityBytes ?? 1 << 20;
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`nla xbar: capacityBytes must be a non-negative integer, got ${capacity}`);
    }
    const initial = Math.max(1, Math.ceil((XBAR_RESERVE + capacity) / PAGE));
    const desc: WebAssembly.MemoryDescriptor = { initial };
    if (opts.maximumBytes !== undefined) {
      const maximum = Math.floor(opts.maximumBytes / PAGE);
      if (!(maximum >= initial)) {
        throw new RangeError(`nla xbar: maximumBytes ${opts.maximumBytes} is below the initial size ${initial * PAGE}`);
      }
      desc.maximum = maximum;
    }
    this.memory = new WebAssembly.Memory(desc);
  }

  /** bytes handed out so far (alignment padding included) */
  get usedBytes(): number {
    return this.top - this.base;
  }

  /** A zeroed int16 buffer of n elements. */
  allocI16(n: number): XbarI16 {
    return new XbarI16(this, this.take(n, 2), n);
  }

  /** A zeroed int32 buffer of n elements. */
  allocI32(n: number): XbarI32 {
    return new XbarI32(this, this.take(n, 4), n);
  }

  private take(n: number, size: number): number {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`nla xbar: buffer length must be a non-negative integer, got ${n}`);
    }
    const at = this.top;
    const end = at + Math.ceil((n * size) / XBAR_ALIGN) * XBAR_ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // fresh pages are zeroed, and no byte is handed out twice: buffers need no fill
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (e) {
        throw new RangeError(
          `nla xbar: cannot grow the arena to ${end} bytes for a buffer of ${n} x ${size} bytes (${(e as Error).message})`,
        );
      }
    }
    this.top = end;
    return at;
  }
}

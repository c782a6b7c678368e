// The Wasm chip core (build/chip.wasm, from assembly/chip/) behind the same host interface as the
// reference (host.ts): createWasmChip(image, { seed, wasm }). Loading is the reference's own
// (load.ts: same checks, same errors); the layout is wasm-layout.ts; the host exchanges ports,
// probes, memory and counters with the core through typed-array views on its one memory, made
// once (the memory is sized at load and never grows; the views are remade should it ever have).
// No Node APIs: under Node, wasm-node.ts finds and compiles build/chip.wasm; in a browser pass
// the module or its bytes as `wasm`.
import { UserError } from '../../compiler/common/errors.js';
import { codeRange, type CodeRange, type HwSpec } from '../../compiler/hwspec/types.js';
import type { Image, PortMap, ProbeMap } from '../../compiler/image/types.js';
import { COST_CLASSES } from '../../compiler/isa/index.js';
import type { Signal } from '../../compiler/network/index.js';
import { ChipCounters, cycleSummary, energySummary, flatCounters, type CycleSummary, type EnergySummary } from './counters.js';
import { projectionWeights, readProbeCodes, requirePort, requireProbe, writePortCodes, type ChipEmulator } from './host.js';
import { loadChip, type LoadedChip } from './load.js';
import { noiseCoreKey, outerCoreKey, RUN_PURPOSE, runSeedOf } from './random.js';
import { RUNTIME_ERRORS, runSeedOption, runtimeErrorText, type ChipOptions } from './reference.js';
import { layoutConstants, planLayout, writeStatic, type ChipLayout, type LayoutConstants } from './wasm-layout.js';

export interface WasmChipOptions extends ChipOptions {
  /** build/chip.wasm, compiled or as bytes (compiled synchronously: fine in Node and in workers) */
  wasm?: WebAssembly.Module | BufferSource;
}

/** One core's state in the Wasm memory, as views (for tests and tools; do not keep them across a reset()). */
export interface WasmCoreView {
  readonly memory: Int32Array;
  /** rows x cols codes, row-major: i16 when the weight format fits, else i32 */
  readonly crossbar: Int16Array | Int32Array;
  cell(row: number, col: number): number;
}

/** The ChipEmulator of host.ts (what createChip returns, without its `reference`), and views for tests and tools. */
export interface WasmChip extends ChipEmulator {
  readonly image: Image;
  readonly spec: HwSpec;
  readonly loaded: LoadedChip;
  core(index: number): WasmCoreView;
  /** codes the host writes before a tick, per port id; codes the probes wrote, per probe id */
  portCodes(id: number): Int32Array;
  probeCodes(id: number): Int32Array;
  /** the reference's counter structure, filled from the core's counters */
  chipCounters(): ChipCounters;
  /** how this image runs: crossbar cells as i16 or i32, line sums in f64 or exactly in i64 or i32 (wasm-layout.ts) */
  readonly datapath: { readonly cells: 'i16' | 'i32'; readonly sums: 'f64' | 'i64' | 'i32' };
}

interface Exports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  init(config: number): void;
  tick(): number;
  resetTicks(): void;
  seedGenerator(at: number, seed: number, stream: number): void;
}

const PAGE = 65536;

function moduleOf(wasm: WasmChipOptions['wasm']): WebAssembly.Module {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (wasm === undefined) throw new Error('createWasmChip needs build/chip.wasm as `wasm` (under Node, createNodeWasmChip of emulator/chip/wasm-node.ts finds it)');
  return new WebAssembly.Module(wasm);
}

class WasmChipHost implements WasmChip {
  readonly name = 'chip-wasm';
  readonly spec: HwSpec;
  readonly loaded: LoadedChip;
  readonly datapath: WasmChip['datapath'];
  private readonly memory: WebAssembly.Memory;
  private readonly ex: Exports;
  private readonly L: LayoutConstants;
  private readonly layout: ChipLayout;
  private readonly runSeed: number;
  private readonly state: CodeRange;
  private readonly counters_: ChipCounters;
  private ticks = 0;
  private inputSaturations = 0;
  // views, remade when the memory's buffer changes
  private buffer!: ArrayBuffer;
  private f64!: Float64Array;
  private i32!: Int32Array;
  private ports = new Map<number, Int32Array>();
  private probes = new Map<number, Int32Array>();
  private cores: WasmCoreView[] = [];
  /** the first port of each kind and population, the first probe of each population and signal, as the reference finds them */
  private readonly portsByName = new Map<PortMap['kind'], Map<string, PortMap>>();
  private readonly probesByName = new Map<string, ProbeMap>();
  /** the learning-enable flags, if the image has them */
  private readonly plasticPort: PortMap | undefined;
  /**
   * Per port id, the values writePort last turned into its codes and how many it clamped. A host
   * often writes the same values tick after tick (MNIST holds a digit for 100 ticks); the codes are
   * a function of the values, and the core only reads ports, so identical values skip the
   * conversion (and still count their clamps). Dropped when anything else may write the codes:
   * reset(), and portCodes() handing the view out.
   */
  private readonly lastWritten = new Map<number, { values: Float64Array; saturations: number }>();

  constructor(
    readonly image: Image,
    options: WasmChipOptions,
  ) {
    // the reference's own parsing and checks, so that every load error reads the same
    this.spec = JSON.parse(image.hwSpecJson) as HwSpec;
    this.runSeed = runSeedOption(options);
    this.loaded = loadChip(image, this.spec);
    this.state = codeRange(this.spec.formats.state);
    // by kind, then population: no key to build on every write (a host writes ports every tick)
    for (const p of this.loaded.ports.values()) {
      const ofKind = this.portsByName.get(p.kind) ?? this.portsByName.set(p.kind, new Map()).get(p.kind)!;
      if (!ofKind.has(p.population)) ofKind.set(p.population, p);
    }
    for (const p of this.loaded.probes.values()) if (!this.probesByName.has(`${p.population}\0${p.signal}`)) this.probesByName.set(`${p.population}\0${p.signal}`, p);
    this.plasticPort = [...this.loaded.ports.values()].find((q) => q.kind === 'plastic');
    this.counters_ = new ChipCounters(this.spec, image.header.dt, this.loaded.cores.map((c) => c.index));
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(moduleOf(options.wasm), {
      env: {
        memory: this.memory,
        abort(msg: number, file: number, line: number, col: number): never {
          throw new Error(`nla chip wasm: abort at ${line}:${col} (msg ${msg}, file ${file})`);
        },
      },
    });
    this.ex = instance.exports as unknown as Exports;
    this.L = layoutConstants(instance.exports);
    this.layout = planLayout(this.loaded, this.ex.heapBase(), this.L);
    const sums = this.layout.sumMode === this.L.SUM_F64 ? 'f64' : this.layout.sumMode === this.L.SUM_I64 ? 'i64' : 'i32';
    this.datapath = { cells: this.layout.crossbarI16 ? 'i16' : 'i32', sums };
    // grow once, before any view exists; nothing grows it later
    const pages = Math.ceil(this.layout.bytes / PAGE);
    try {
      if (pages > this.memory.buffer.byteLength / PAGE) this.memory.grow(pages - this.memory.buffer.byteLength / PAGE);
    } catch (e) {
      throw new UserError(`the Wasm core needs ${(this.layout.bytes / 2 ** 20).toFixed(0)} MiB of memory for this image, and the engine refused it (${(e as Error).message}); run it with --backend reference or on a machine with more memory`);
    }
    writeStatic(this.loaded, this.layout, this.memory.buffer, this.L);
    this.ex.init(this.layout.config);
    this.reset();
  }

  /** Views on the current buffer (a grown memory detaches the old ones). */
  private views(): void {
    if (this.buffer === this.memory.buffer) return;
    const buffer = (this.buffer = this.memory.buffer);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.ports = new Map([...this.loaded.ports].map(([id, p]) => [id, new Int32Array(buffer, this.layout.ports.get(id)!, p.size)]));
    this.probes = new Map([...this.loaded.probes].map(([id, p]) => [id, new Int32Array(buffer, this.layout.probes.get(id)!, p.size)]));
    const { rows, cols } = this.spec.core.crossbar;
    this.cores = this.layout.cores.map((c) => {
      const crossbar = this.layout.crossbarI16 ? new Int16Array(buffer, c.crossbar, rows * cols) : new Int32Array(buffer, c.crossbar, rows * cols);
      return { memory: new Int32Array(buffer, c.memory, c.memoryWords), crossbar, cell: (row: number, col: number) => crossbar[row * cols + col]! };
    });
  }

  get tick(): number {
    return this.ticks;
  }

  core(index: number): WasmCoreView {
    this.views();
    const k = this.loaded.cores.findIndex((c) => c.index === index);
    if (k < 0) throw new UserError(`the image has no core ${index} (cores: ${this.loaded.cores.map((c) => c.index).join(', ')})`);
    return this.cores[k]!;
  }

  portCodes(id: number): Int32Array {
    // the caller may write the codes
    this.lastWritten.delete(id);
    return this.portView(id);
  }

  private portView(id: number): Int32Array {
    this.views();
    return this.ports.get(id)!;
  }

  probeCodes(id: number): Int32Array {
    this.views();
    return this.probes.get(id)!;
  }

  private writePort(kind: PortMap['kind'], population: string, values: ArrayLike<number>): void {
    const p = requirePort(this.portsByName.get(kind)?.get(population), kind, population);
    const last = this.lastWritten.get(p.id);
    if (last && sameValues(last.values, values)) {
      this.inputSaturations += last.saturations;
      return;
    }
    const saturations = writePortCodes(p, values, this.portView(p.id), this.state);
    this.inputSaturations += saturations;
    this.lastWritten.set(p.id, { values: Float64Array.from(values), saturations });
  }

  setInput(population: string, values: Float64Array): void {
    this.writePort('input', population, values);
  }

  setTarget(population: string, values: Float64Array, nudge: Float64Array): void {
    this.writePort('target', population, values);
    this.writePort('nudge', population, nudge);
  }

  setPlastic(on: boolean): void {
    if (this.plasticPort) this.portView(this.plasticPort.id).fill(on ? 1 : 0);
  }

  /** As the reference: zeroes the counters, keeps the state and the tick count. */
  start(): void {
    this.views();
    for (const c of this.layout.cores) this.f64.fill(0, c.counters / 8, (c.counters + this.layout.counterBytes) / 8);
    this.counters_.reset();
    this.inputSaturations = 0;
  }

  step(): void {
    let err: number;
    try {
      err = this.ex.tick();
    } catch (e) {
      // load.ts checked every operand, so a trap is a bug of the core, not of the image
      if (e instanceof WebAssembly.RuntimeError) throw new UserError(`chip tick ${this.ticks}: the Wasm core stopped with '${e.message}' (internal error: the image passed every load check; please report it, and run it with --backend reference meanwhile)`);
      throw e;
    }
    this.views();
    if (err !== this.L.ERR_NONE) throw this.runtimeError(err);
    this.counters_.endTick(this.f64[(this.layout.config + this.L.CFG_CRITICAL!) / 8]!);
    this.ticks++;
  }

  /** The reference's UserError for the error the core reported. */
  private runtimeError(code: number): UserError {
    const L = this.L;
    const at = (slot: number) => this.i32[(this.layout.config + slot) / 4]!;
    const core = this.loaded.cores[at(L.CFG_ERR_CORE!)]!;
    const instr = at(L.CFG_ERR_INSTR!);
    if (code === L.ERR_RAN_OFF_END) return new UserError(runtimeErrorText(this.ticks, core, core.instrAt.length, RUNTIME_ERRORS.ranOffEnd(core.instrAt.length)));
    const li = core.program[instr]!;
    if (code === L.ERR_HALTED_WHILE_WAITING) {
      const waiting = this.loaded.cores[at(L.CFG_ERR_OTHER_CORE!)]!;
      const message = RUNTIME_ERRORS.haltedWhileWaiting(waiting.index, waiting.program[at(L.CFG_ERR_OTHER_INSTR!)]!.word, at(L.CFG_ERR_PHASE!));
      return new UserError(runtimeErrorText(this.ticks, core, li.word, message));
    }
    if (code === L.ERR_ROUTE_RACE) {
      const route = li.route!;
      return new UserError(runtimeErrorText(this.ticks, core, li.word, RUNTIME_ERRORS.routeRace(route.id, route)));
    }
    return new UserError(`chip tick ${this.ticks}: the Wasm core reported error ${code}, which this host does not know; rebuild build/chip.wasm`);
  }

  probe(population: string, signal: Signal, out: Float64Array): void {
    const p = requireProbe(this.probesByName.get(`${population}\0${signal}`), population, signal);
    readProbeCodes(p, this.probeCodes(p.id), out);
  }

  chipCounters(): ChipCounters {
    this.views();
    const L = this.L;
    this.layout.cores.forEach((c, k) => {
      const f = (slot: number) => this.f64[(c.counters + slot) / 8]!;
      const cc = this.counters_.cores[k]!;
      cc.instructions = f(L.CNT_INSTRUCTIONS!);
      cc.cycles = f(L.CNT_CYCLES!);
      cc.energyPj = f(L.CNT_ENERGY!);
      cc.events.stateSaturations = f(L.CNT_STATE_SAT!);
      cc.events.weightSaturations = f(L.CNT_WEIGHT_SAT!);
      cc.events.adcClips = f(L.CNT_ADC_CLIPS!);
      cc.events.dacClips = f(L.CNT_DAC_CLIPS!);
      cc.events.stochasticDraws = f(L.CNT_DRAWS!);
      COST_CLASSES.forEach((_, i) => {
        const t = cc.byClass[i]!;
        const base = L.CNT_CLASSES! + i * L.CNT_CLASS_BYTES!;
        t.executions = f(base);
        t.events = f(base + 8);
        t.cycles = f(base + 16);
        t.energyPj = f(base + 24);
      });
    });
    return this.counters_;
  }

  counters(): Record<string, number> {
    return { ...flatCounters(this.chipCounters()), saturation_input: this.inputSaturations };
  }

  energy(): EnergySummary {
    return energySummary(this.chipCounters());
  }

  cycles(): CycleSummary {
    return cycleSummary(this.chipCounters());
  }

  weights(projection: string): Float64Array {
    return projectionWeights(this.image, projection, (core) => this.core(core));
  }

  /** Back to the image: memory, crossbars, delay lines, ports, probes, generators, counters, tick 0. */
  reset(): void {
    this.views();
    const buffer = this.memory.buffer;
    const seed = runSeedOf(this.spec.seed ?? 0, this.runSeed);
    this.layout.cores.forEach((c, k) => {
      const view = this.cores[k]!;
      view.memory.fill(0);
      for (const m of c.loaded.source.memory) view.memory.set(m.values, m.addr);
      view.crossbar.set(c.loaded.source.crossbar);
      this.ex.seedGenerator(c.generators + this.L.RNG_ROUNDING!, seed, (2 * c.loaded.index + RUN_PURPOSE.rounding) >>> 0);
    });
    const dv = new DataView(buffer);
    for (const c of this.layout.cores) {
      dv.setUint32(c.generators + this.L.RNG_NOISE_KEY!, noiseCoreKey(this.spec, this.runSeed, c.loaded.index), true);
      dv.setUint32(c.generators + this.L.RNG_NOISE_COUNT!, 0, true);
      dv.setUint32(c.generators + this.L.RNG_OUTER_KEY!, outerCoreKey(this.spec, this.runSeed, c.loaded.index), true);
      dv.setUint32(c.generators + this.L.RNG_OUTER_COUNT!, 0, true);
    }
    for (const [id, r] of this.layout.routes) {
      new Int32Array(buffer, r.slots, (this.loaded.routes.get(id)!.delay + 1) * r.slotWords).fill(0);
      dv.setBigInt64(r.record + this.L.RT_SEND_TICK!, -1n, true);
      dv.setBigInt64(r.record + this.L.RT_RECV_TICK!, -1n, true);
      dv.setInt32(r.record + this.L.RT_SEND_PHASE!, -1, true);
      dv.setInt32(r.record + this.L.RT_RECV_PHASE!, -1, true);
    }
    for (const v of this.ports.values()) v.fill(0);
    this.lastWritten.clear();
    for (const v of this.probes.values()) v.fill(0);
    this.ex.resetTicks();
    this.start();
    this.ticks = 0;
  }
}

/**
 * Whether b holds the values of a, element by element (===): equal values give equal codes
 * (+0 and -0 round to the same code; NaN never compares equal, so it is always converted).
 */
function sameValues(a: Float64Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** The Wasm chip core behind the host interface of createChip; `seed` is the run seed (default 0). */
export function createWasmChip(image: Image, options: WasmChipOptions = {}): WasmChip {
  return new WasmChipHost(image, options);
}

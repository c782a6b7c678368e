// Lays out a loaded chip (load.ts) in the Wasm core's memory: plans every region (the record
// formats are assembly/chip/layout.ts, whose constants the module exports), then writes what
// never changes (spec constants, decoded programs, tables, routes, mismatch) once. What a reset
// restores (memory, crossbars, delay lines, ports, probes, generators, counters) is written by
// the host through views on the regions planned here.
import { codeRange, type HwSpec } from '../../compiler/hwspec/types.js';
import { COST_CLASSES } from '../../compiler/isa/index.js';
import type { LoadedChip, LoadedCore, LoadedInstr } from './load.js';
import { adcMismatch } from './random.js';

/** The layout constants assembly/chip/layout.ts exports (CFG_*, CORE_*, INS_*, ...). */
export type LayoutConstants = Readonly<Record<string, number>>;

/** Reads every exported constant of the module; asking for one it lacks is an error (a stale build). */
export function layoutConstants(exports: WebAssembly.Exports): LayoutConstants {
  const values: Record<string, number> = {};
  for (const [name, v] of Object.entries(exports)) if (v instanceof WebAssembly.Global) values[name] = Number(v.value);
  return new Proxy(values, {
    get(t, name) {
      if (typeof name === 'string' && !(name in t)) throw new Error(`build/chip.wasm exports no layout constant ${name}; rebuild it (npm run build:wasm)`);
      return t[name as string];
    },
  });
}

export interface CoreRegions {
  readonly loaded: LoadedCore;
  /** byte addresses */
  readonly record: number;
  readonly memory: number;
  readonly memoryWords: number;
  readonly crossbar: number;
  readonly program: number;
  readonly counters: number;
  readonly generators: number;
  readonly mismatch: number;
  readonly diagonal: number;
  readonly loops: number;
}

export interface RouteRegions {
  readonly record: number;
  readonly slots: number;
  readonly slotWords: number;
}

export interface ChipLayout {
  readonly bytes: number;
  readonly config: number;
  readonly scratch: number;
  readonly coreTable: number;
  readonly cores: readonly CoreRegions[];
  readonly routes: ReadonlyMap<number, RouteRegions>;
  /** port and probe id -> address of its population vector (i32 words) */
  readonly ports: ReadonlyMap<number, number>;
  readonly probes: ReadonlyMap<number, number>;
  /** (core index, slot) -> LUT_ record */
  readonly luts: ReadonlyMap<string, number>;
  /** crossbar cells are i16 (else i32) */
  readonly crossbarI16: boolean;
  /** SUM_F64, SUM_I64 or SUM_I32 */
  readonly sumMode: number;
  /** every initial cell lies in the weight format's range (then it stays there) */
  readonly cellsInRange: boolean;
  readonly counterBytes: number;
}

const ALIGN = 16;

class Bump {
  constructor(public at: number) {}
  take(bytes: number): number {
    const a = Math.ceil(this.at / ALIGN) * ALIGN;
    this.at = a + bytes;
    return a;
  }
}

function maxAbs(r: { min: number; max: number }): number {
  return Math.max(Math.abs(r.min), Math.abs(r.max));
}

/**
 * How the core may compute line sums. The reference sums W * drive in f64; when the DAC model
 * gives whole-number drives and no partial sum can exceed 2^53, every f64 addition is exact and
 * an integer sum is the same number (SUM_I64), in i32 when it cannot exceed 2^31 - 1 (SUM_I32).
 */
function sumModeOf(spec: HwSpec, chip: LoadedChip, L: LayoutConstants): number {
  const { gain, offset, range } = spec.dac;
  if (![gain, offset, range.min, range.max].every(Number.isInteger)) return L.SUM_F64!;
  const drive = Math.abs(gain) * Math.max(Math.abs(range.min + offset), Math.abs(range.max + offset));
  // cells stay within the larger of the weight format and the image's own codes (satW clamps updates)
  let weight = maxAbs(codeRange(spec.formats.weight));
  for (const c of chip.cores) for (const w of c.source.crossbar) weight = Math.max(weight, Math.abs(w));
  const bound = drive * weight * Math.max(spec.core.crossbar.rows, spec.core.crossbar.cols);
  if (bound <= 2 ** 31 - 1) return L.SUM_I32!;
  if (bound <= 2 ** 53) return L.SUM_I64!;
  return L.SUM_F64!;
}

/** i16 cells when every code the weight format allows and every initial code fits an int16 */
function fitsI16(spec: HwSpec, chip: LoadedChip): boolean {
  const w = codeRange(spec.formats.weight);
  if (w.min < -32768 || w.max > 32767) return false;
  return chip.cores.every((c) => c.source.crossbar.every((x) => x >= -32768 && x <= 32767));
}

export function planLayout(chip: LoadedChip, heapBase: number, L: LayoutConstants): ChipLayout {
  const { spec } = chip;
  const { rows, cols } = spec.core.crossbar;
  const crossbarI16 = fitsI16(spec, chip);
  const counterBytes = L.CNT_CLASSES! + COST_CLASSES.length * L.CNT_CLASS_BYTES!;
  const b = new Bump(heapBase);
  const config = b.take(L.CFG_BYTES!);
  const scratch = b.take(L.SCRATCH_BYTES!);
  const coreTable = b.take(chip.cores.length * L.CORE_BYTES!);
  const luts = new Map<string, number>();
  const cores = chip.cores.map((loaded, k): CoreRegions => {
    const loopCount = loaded.program.filter((li) => li.instr.op === 'loop').length;
    const regions = {
      loaded,
      record: coreTable + k * L.CORE_BYTES!,
      memory: b.take(loaded.source.memoryWords * 4),
      memoryWords: loaded.source.memoryWords,
      // and 16 bytes: transposed reads step over i16 cells eight at a time, up to 7 past the last
      crossbar: b.take(rows * cols * (crossbarI16 ? 2 : 4) + 16),
      program: b.take(loaded.program.length * L.INS_BYTES!),
      counters: b.take(counterBytes),
      generators: b.take(L.RNG_BYTES!),
      mismatch: b.take((2 * cols + 2 * rows) * 8),
      diagonal: loaded.diagonal.size > 0 ? b.take(rows * cols) : 0,
      loops: b.take(Math.max(1, loopCount) * L.LOOP_BYTES!),
    };
    for (const t of loaded.source.luts) {
      const at = b.take(L.LUT_BYTES! + t.entries.length * 4);
      luts.set(`${loaded.index}:${t.slot}`, at);
    }
    return regions;
  });
  const routes = new Map<number, RouteRegions>();
  for (const [id, r] of chip.routes) {
    const record = b.take(L.RT_BYTES!);
    routes.set(id, { record, slots: b.take((r.delay + 1) * r.length * 4), slotWords: r.length });
  }
  const ports = new Map([...chip.ports].map(([id, p]) => [id, b.take(p.size * 4)] as const));
  const probes = new Map([...chip.probes].map(([id, p]) => [id, b.take(p.size * 4)] as const));
  const w = codeRange(spec.formats.weight);
  const cellsInRange = chip.cores.every((c) => c.source.crossbar.every((x) => x >= w.min && x <= w.max));
  return { bytes: b.at, config, scratch, coreTable, cores, routes, ports, probes, luts, crossbarI16, sumMode: sumModeOf(spec, chip, L), cellsInRange, counterBytes };
}

const ROUNDING: Record<string, string> = { nearest_even: 'ROUND_NEAREST_EVEN', floor: 'ROUND_FLOOR', stochastic: 'ROUND_STOCHASTIC' };

/** Writes everything that never changes: the config block, the core table, programs, tables, routes, mismatch. */
export function writeStatic(chip: LoadedChip, layout: ChipLayout, buffer: ArrayBuffer, L: LayoutConstants): void {
  const dv = new DataView(buffer);
  const { spec } = chip;
  const f64 = (at: number, v: number) => dv.setFloat64(at, v, true);
  const i32 = (at: number, v: number) => dv.setInt32(at, v, true);
  const c = layout.config;
  const state = codeRange(spec.formats.state);
  const weight = codeRange(spec.formats.weight);
  f64(c + L.CFG_STATE_MIN!, state.min);
  f64(c + L.CFG_STATE_MAX!, state.max);
  f64(c + L.CFG_WEIGHT_MIN!, weight.min);
  f64(c + L.CFG_WEIGHT_MAX!, weight.max);
  f64(c + L.CFG_DAC_MIN!, spec.dac.range.min);
  f64(c + L.CFG_DAC_MAX!, spec.dac.range.max);
  f64(c + L.CFG_DAC_GAIN!, spec.dac.gain);
  f64(c + L.CFG_DAC_OFFSET!, spec.dac.offset);
  f64(c + L.CFG_ADC_MIN!, spec.adc.range.min);
  f64(c + L.CFG_ADC_MAX!, spec.adc.range.max);
  f64(c + L.CFG_ADC_GAIN!, spec.adc.gain);
  f64(c + L.CFG_ADC_OFFSET!, spec.adc.offset);
  f64(c + L.CFG_READ_STD!, spec.noise.read_std_lsb);
  i32(c + L.CFG_NOISE!, spec.noise.enabled ? 1 : 0);
  i32(c + L.CFG_ROUND_STATE!, L[ROUNDING[spec.rounding.state]!]!);
  i32(c + L.CFG_ROUND_ADC!, L[ROUNDING[spec.rounding.adc]!]!);
  i32(c + L.CFG_SUM_MODE!, layout.sumMode);
  i32(c + L.CFG_XBAR_I16!, layout.crossbarI16 ? 1 : 0);
  i32(c + L.CFG_CELLS_IN_RANGE!, layout.cellsInRange ? 1 : 0);
  i32(c + L.CFG_XBAR_ROWS!, spec.core.crossbar.rows);
  i32(c + L.CFG_XBAR_COLS!, spec.core.crossbar.cols);
  i32(c + L.CFG_NCORES!, layout.cores.length);
  i32(c + L.CFG_CORES!, layout.coreTable);
  i32(c + L.CFG_SCRATCH!, layout.scratch);

  for (const core of layout.cores) {
    const r = core.record;
    i32(r + L.CORE_MEM!, core.memory);
    i32(r + L.CORE_XBAR!, core.crossbar);
    i32(r + L.CORE_PROG!, core.program);
    i32(r + L.CORE_NINSTR!, core.loaded.program.length);
    i32(r + L.CORE_COUNTERS!, core.counters);
    i32(r + L.CORE_RNG!, core.generators);
    i32(r + L.CORE_MISMATCH!, core.mismatch);
    i32(r + L.CORE_DIAG!, core.diagonal);
    i32(r + L.CORE_LOOPS!, core.loops);
    // each line's ADC gain as the reference's first product, adc.gain (1 + g): the same double
    const m = adcMismatch(spec, core.loaded.index);
    const gainOf = (g: number) => spec.adc.gain * (1 + g);
    new Float64Array(buffer, core.mismatch, m.colGain.length * 2 + m.rowGain.length * 2).set([...m.colGain.map(gainOf), ...m.colOffset, ...m.rowGain.map(gainOf), ...m.rowOffset]);
    if (core.diagonal) {
      const mask = new Uint8Array(buffer, core.diagonal, spec.core.crossbar.rows * spec.core.crossbar.cols);
      for (const cell of core.loaded.diagonal) mask[cell] = 1;
    }
    for (const t of core.loaded.source.luts) {
      const at = layout.luts.get(`${core.loaded.index}:${t.slot}`)!;
      i32(at + L.LUT_XMIN!, t.xMin);
      i32(at + L.LUT_SHIFT!, t.shift);
      i32(at + L.LUT_N!, t.entries.length);
      i32(at + L.LUT_OUT_SHIFT!, t.outShift);
      i32(at + L.LUT_ENTRIES!, at + L.LUT_BYTES!);
      let step = 0;
      for (let k = 1; k < t.entries.length; k++) step = Math.max(step, Math.abs(t.entries[k]! - t.entries[k - 1]!));
      i32(at + L.LUT_STEP_MAX!, Math.min(step, 0x7fffffff));
      new Int32Array(buffer, at + L.LUT_BYTES!, t.entries.length).set(t.entries);
    }
    core.loaded.program.forEach((li, k) => writeInstr(dv, core.program + k * L.INS_BYTES!, li, k, core, layout, L));
  }
  for (const [id, r] of chip.routes) {
    const at = layout.routes.get(id)!;
    i32(at.record + L.RT_LENGTH!, r.length);
    i32(at.record + L.RT_DELAY!, r.delay);
    i32(at.record + L.RT_SLOTS!, at.slots);
  }
}

function writeInstr(dv: DataView, at: number, li: LoadedInstr, k: number, core: CoreRegions, layout: ChipLayout, L: LayoutConstants): void {
  const words = core.loaded.source.program;
  const { instrAt } = core.loaded;
  dv.setBigUint64(at + L.INS_W0!, BigInt.asUintN(64, words[li.word]!), true);
  dv.setBigUint64(at + L.INS_W1!, li.next - li.word > 1 ? BigInt.asUintN(64, words[li.word + 1]!) : 0n, true);
  dv.setInt32(at + L.INS_NEXT!, k + 1, true);
  const i = li.instr;
  // targets were checked to start an instruction: the core counts in instructions, not words
  const target = i.op === 'jmp' || i.op === 'jz' ? i.target : i.op === 'loop' ? i.end : undefined;
  dv.setInt32(at + L.INS_TARGET!, target === undefined ? -1 : instrAt[target]!, true);
  let ref = 0;
  if (li.lut) ref = layout.luts.get(`${core.loaded.index}:${li.lut.slot}`)!;
  else if (li.route) ref = layout.routes.get(li.route.id)!.record;
  else if (li.port) ref = layout.ports.get(li.port.id)! + 4 * li.segment!.offset;
  else if (li.probe) ref = layout.probes.get(li.probe.id)! + 4 * li.segment!.offset;
  dv.setInt32(at + L.INS_REF!, ref, true);
  if (li.charges.length > L.MAX_CHARGES!) throw new Error(`${i.op} charges ${li.charges.length} cost classes; the Wasm core's records hold ${L.MAX_CHARGES}`);
  dv.setInt32(at + L.INS_NCHARGES!, li.charges.length, true);
  li.charges.forEach((c, j) => {
    const ch = at + L.INS_CHARGES! + j * L.CHG_BYTES!;
    dv.setInt32(ch + L.CHG_CLASS!, c.cls, true);
    dv.setFloat64(ch + L.CHG_EVENTS!, c.events, true);
    dv.setFloat64(ch + L.CHG_CYCLES!, c.cycles, true);
    dv.setFloat64(ch + L.CHG_ENERGY!, c.energyPj, true);
  });
}

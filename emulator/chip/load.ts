// Loading an Image into the reference chip: decode every program once, resolve every id operand
// (route, port, probe, lookup table) to what it names, price every instruction, and reject any
// operand the chip could not execute, before the first tick, with a UserError naming the core, the
// word and the operand. After this, execution needs no bounds checks of its own.
import { UserError } from '../../compiler/common/errors.js';
import type { HwSpec } from '../../compiler/hwspec/types.js';
import type { Image, ImageCore, LutSlot, MatrixMap, PortMap, ProbeMap, Route, Segment } from '../../compiler/image/types.js';
import { COST_CLASSES, costOf, decodeProgram, evalFormula, parseFormula, print, specByMnemonic, wordsOf, type CostClass, type Instr, type InstrSpec } from '../../compiler/isa/index.js';

/** The cost of one execution in one class, precomputed at load. */
export interface Charge {
  /** index into COST_CLASSES */
  cls: number;
  events: number;
  cycles: number;
  energyPj: number;
}

/** One decoded instruction and everything its operands name. */
export interface LoadedInstr {
  readonly instr: Instr;
  readonly spec: InstrSpec;
  /** word address of its first word */
  readonly word: number;
  /** word address of the next instruction */
  readonly next: number;
  readonly charges: readonly Charge[];
  /** the route of send / recv */
  readonly route?: Route;
  /** the segment on this core of the port (in, tgt) or probe (probe) it names */
  readonly segment?: Segment;
  readonly port?: PortMap;
  readonly probe?: ProbeMap;
  /** the table of vlut / std */
  readonly lut?: LutSlot;
}

export interface LoadedCore {
  readonly index: number;
  /**
   * At most this much work in one tick: the sum over instructions of (1 + the events of one
   * execution, all cost classes) times the product of the counts of the loops around it.
   */
  readonly workPerTick: number;
  readonly source: ImageCore;
  readonly program: readonly LoadedInstr[];
  /** word address -> instruction index, -1 inside a two-word instruction */
  readonly instrAt: Int32Array;
  /** crossbar cells (row * cols + col) on the diagonal of a noSelf matrix: plasticity keeps them 0 */
  readonly diagonal: ReadonlySet<number>;
}

export interface LoadedChip {
  readonly spec: HwSpec;
  /** ascending core index: the order cores run in between barriers */
  readonly cores: readonly LoadedCore[];
  readonly routes: ReadonlyMap<number, Route>;
  readonly ports: ReadonlyMap<number, PortMap>;
  readonly probes: ReadonlyMap<number, ProbeMap>;
}

function byId<T extends { id: number }>(items: readonly T[], what: string): Map<number, T> {
  const m = new Map<number, T>();
  for (const x of items) {
    if (m.has(x.id)) throw new UserError(`image: two ${what}s have id ${x.id}; ids must be unique`);
    m.set(x.id, x);
  }
  return m;
}

/** Crossbar cells of this core where a noSelf matrix has pre index == post index. */
function diagonalCells(core: number, matrices: readonly MatrixMap[], crossbarCols: number): Set<number> {
  const cells = new Set<number>();
  for (const M of matrices) {
    if (!M.noSelf) continue;
    for (const b of M.blocks) {
      if (b.core !== core) continue;
      for (let p = 0; p < b.m; p++) {
        const q = b.pre0 + p - b.post0; // column offset of post index == pre index
        if (q >= 0 && q < b.n) cells.add((b.xrow + p) * crossbarCols + b.xcol + q);
      }
    }
  }
  return cells;
}

function chargesOf(instr: Instr, ispec: InstrSpec, spec: HwSpec, hops: number): Charge[] {
  const cost = costOf(instr, spec, hops);
  return (Object.keys(ispec.charges) as CostClass[]).map((cls) => {
    const c = cost.byClass[cls];
    return { cls: COST_CLASSES.indexOf(cls), events: c.count, cycles: c.cycles, energyPj: c.energyPj };
  });
}

class CoreLoader {
  private readonly words: number;
  private readonly instrAt: Int32Array;

  constructor(
    private readonly chip: Omit<LoadedChip, 'cores'>,
    private readonly core: ImageCore,
    private readonly decoded: Instr[],
  ) {
    this.words = core.program.length;
    this.instrAt = new Int32Array(this.words).fill(-1);
    let w = 0;
    decoded.forEach((instr, k) => {
      this.instrAt[w] = k;
      w += wordsOf(instr);
    });
  }

  fail(word: number, instr: Instr, message: string): never {
    throw new UserError(`image core ${this.core.index}, word ${word} (${print(instr)}): ${message}`);
  }

  load(diagonal: ReadonlySet<number>): LoadedCore {
    const { spec } = this.chip;
    const program: LoadedInstr[] = [];
    let word = 0;
    for (const instr of this.decoded) {
      const ispec = specByMnemonic(instr.op)!;
      const refs = this.resolve(instr, ispec, word);
      program.push({ instr, spec: ispec, word, next: word + wordsOf(instr), charges: chargesOf(instr, ispec, spec, refs.route?.hops ?? 1), ...refs });
      word += wordsOf(instr);
    }
    this.checkControlFlow(program);
    return { index: this.core.index, workPerTick: this.workPerTick(program), source: this.core, program, instrAt: this.instrAt, diagonal };
  }

  /** LoadedCore.workPerTick (the loops nest, checkControlFlow has made sure); refused beyond MAX_WORK_PER_TICK. */
  private workPerTick(program: readonly LoadedInstr[]): number {
    const open: { end: number; count: number }[] = [];
    let times = 1;
    let work = 0;
    for (const li of program) {
      while (open.length && li.word >= open[open.length - 1]!.end) times /= Math.max(1, open.pop()!.count);
      work += times * (1 + li.charges.reduce((s, c) => s + c.events, 0));
      if (li.instr.op === 'loop') {
        open.push({ end: li.instr.end, count: li.instr.count });
        times *= Math.max(1, li.instr.count);
      }
      if (work > MAX_WORK_PER_TICK) {
        this.fail(
          li.word,
          li.instr,
          `with the loops around it, one tick of this program may do ${work > 1e15 ? 'more than 1e15' : work.toExponential(2)} element operations, more than the ${MAX_WORK_PER_TICK.toExponential(2)} the emulator accepts (about a second per tick); reduce the loop counts`,
        );
      }
    }
    return work;
  }

  private field(instr: Instr, name: string): number {
    return (instr as unknown as Record<string, number>)[name]!;
  }

  /** Bounds of vectors and crossbar blocks, and the objects that id operands name. */
  private resolve(instr: Instr, ispec: InstrSpec, word: number): Omit<LoadedInstr, 'instr' | 'spec' | 'word' | 'next' | 'charges'> {
    const { spec } = this.chip;
    const value = (name: string) => this.field(instr, name);
    for (const v of ispec.vectors) {
      const addr = value(v.addr);
      const len = typeof v.len === 'number' ? v.len : evalFormula(parseFormula(v.len), value);
      if (addr + len > this.core.memoryWords) {
        this.fail(word, instr, `operand ${v.addr} covers words ${addr} .. ${addr + len - 1}, but the core has ${this.core.memoryWords} words of vector memory (memoryWords)`);
      }
    }
    if (ispec.crossbar) {
      const x = ispec.crossbar;
      const { rows, cols } = spec.core.crossbar;
      if (value(x.row) + value(x.rows) > rows) this.fail(word, instr, `operands ${x.row}, ${x.rows}: crossbar rows ${value(x.row)} .. ${value(x.row) + value(x.rows) - 1} lie outside the ${rows} rows of the crossbar`);
      if (value(x.col) + value(x.cols) > cols) this.fail(word, instr, `operands ${x.col}, ${x.cols}: crossbar columns ${value(x.col)} .. ${value(x.col) + value(x.cols) - 1} lie outside the ${cols} columns of the crossbar`);
    }
    const out: { route?: Route; segment?: Segment; port?: PortMap; probe?: ProbeMap; lut?: LutSlot } = {};
    for (const f of ispec.fields) {
      const id = value(f.name);
      switch (f.kind) {
        case 'lut': {
          out.lut = this.core.luts.find((l) => l.slot === id);
          if (!out.lut) this.fail(word, instr, `operand ${f.name}: lookup-table slot ${id} is not loaded on this core (slots: ${this.core.luts.map((l) => l.slot).join(', ') || 'none'})`);
          const { entries, xMin, shift } = out.lut;
          if (entries.length < 2) this.fail(word, instr, `lookup table ${id} has ${entries.length} entries; interpolation needs at least 2`);
          // the bounds the image format enforces, for images built in memory too
          if (!Number.isInteger(out.lut.shift) || out.lut.shift < 0 || out.lut.shift > 31) this.fail(word, instr, `lookup table ${id} has entry spacing 2^${out.lut.shift}; the shift must be 0 .. 31`);
          if (!Number.isInteger(out.lut.outShift) || Math.abs(out.lut.outShift) > 63) this.fail(word, instr, `lookup table ${id} has outShift ${out.lut.outShift}; it must be -63 .. 63`);
          // the interpolation computes with exact integers in doubles
          if (Math.abs(xMin) + (entries.length - 1) * 2 ** shift > Number.MAX_SAFE_INTEGER) this.fail(word, instr, `lookup table ${id} spans more than 2^53 codes`);
          break;
        }
        case 'route': {
          const r = this.chip.routes.get(id);
          if (!r) this.fail(word, instr, `operand ${f.name}: the image has no route ${id}`);
          const end = instr.op === 'send' ? r.srcCore : r.dstCore;
          if (end !== this.core.index) this.fail(word, instr, `route ${id} ${instr.op === 'send' ? 'starts' : 'ends'} on core ${end}, not on this core`);
          if (value('len') > r.length) this.fail(word, instr, `${value('len')} words do not fit route ${id}, which carries ${r.length}`);
          out.route = r;
          break;
        }
        case 'port': {
          const p = this.chip.ports.get(id);
          if (!p) this.fail(word, instr, `operand ${f.name}: the image has no port ${id}`);
          if ((p.kind === 'target') !== (instr.op === 'tgt')) this.fail(word, instr, `port ${id} is a '${p.kind}' port; tgt reads target ports, in reads the others`);
          out.port = p;
          out.segment = this.segmentOn(p, `port ${id}`, word, instr);
          break;
        }
        case 'probe': {
          const p = this.chip.probes.get(id);
          if (!p) this.fail(word, instr, `operand ${f.name}: the image has no probe ${id}`);
          out.probe = p;
          out.segment = this.segmentOn(p, `probe ${id}`, word, instr);
          break;
        }
        case 'target': {
          if (id <= word) this.fail(word, instr, `operand ${f.name}: target ${id} is not after the instruction (jumps go forward)`);
          if (id >= this.words || this.instrAt[id] === -1) this.fail(word, instr, `operand ${f.name}: target ${id} is not the first word of an instruction of this ${this.words}-word program`);
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  /** The one segment of a port or probe on this core, long enough for the instruction. */
  private segmentOn(map: PortMap | ProbeMap, what: string, word: number, instr: Instr): Segment {
    const here = map.segments.filter((g) => g.core === this.core.index);
    if (here.length !== 1) this.fail(word, instr, `${what} has ${here.length} segments on this core; an instruction can address exactly one`);
    const g = here[0]!;
    if (g.offset + g.length > map.size) this.fail(word, instr, `the segment of ${what} on this core ends at element ${g.offset + g.length}, beyond its ${map.size}-element population vector`);
    const len = this.field(instr, 'len');
    if (len > g.length) this.fail(word, instr, `${len} words exceed the ${g.length}-word segment of ${what} on this core`);
    return g;
  }

  /**
   * Loops nest (an inner body ends no later than the outer one) and no jump enters or leaves a
   * loop body, except to its end (which starts the next iteration): the sequencer then needs no
   * more than a stack of loop counters, and since jumps go forward every program terminates.
   */
  private checkControlFlow(program: readonly LoadedInstr[]): void {
    const loops: { start: number; end: number }[] = [];
    for (const li of program) {
      if (li.instr.op === 'loop') loops.push({ start: li.word, end: li.instr.end });
    }
    const enclosing = (word: number) => loops.filter((l) => l.start < word && word < l.end);
    for (const li of program) {
      const { instr, word } = li;
      const target = instr.op === 'jmp' || instr.op === 'jz' ? instr.target : instr.op === 'loop' ? instr.end : undefined;
      if (target === undefined) continue;
      const inner = enclosing(word);
      const outer = inner.length ? inner.reduce((a, b) => (a.start > b.start ? a : b)) : undefined;
      if (outer && target > outer.end) {
        this.fail(word, instr, `target ${target} lies beyond the end (${outer.end}) of the loop at word ${outer.start} that contains it; loops nest and jumps stay inside their loop`);
      }
      const entered = loops.find((l) => l.start !== word && l.start < target && target < l.end && !(l.start < word && word < l.end));
      if (entered) {
        const body = `the body of the loop at word ${entered.start} (words ${entered.start + 1} .. ${entered.end - 1})`;
        if (instr.op === 'loop') this.fail(word, instr, `the end ${target} of this loop lies inside ${body}; loops must nest`);
        this.fail(word, instr, `target ${target} lies inside ${body}; enter a loop through its loop instruction`);
      }
    }
  }
}

/** Element operations (LoadedCore.workPerTick) one tick of one core may do at most. */
export const MAX_WORK_PER_TICK = 2 ** 30;
/** 32-bit words the emulators may allocate for one image (memories, crossbars, delay lines, port and probe vectors): 1 GiB. */
export const MAX_CHIP_WORDS = 2 ** 28;

/**
 * What the emulators allocate, checked before they do: a UserError naming the largest part when
 * the image would need more than MAX_CHIP_WORDS words (sizes in a malformed or hand-made image
 * can be absurd; the image reader bounds most of them, images built in memory are not read).
 */
function checkSizes(image: Image, spec: HwSpec): void {
  const { rows, cols } = spec.core.crossbar;
  const parts: [string, number][] = [];
  const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : Infinity);
  for (const c of image.cores) parts.push([`core ${c.index} (memoryWords ${c.memoryWords} + crossbar ${rows} x ${cols})`, count(c.memoryWords) + count(rows) * count(cols)]);
  for (const r of image.routes) parts.push([`route ${r.id} (${r.delay + 1} slots of ${r.length} words)`, (count(r.delay) + 1) * count(r.length)]);
  for (const p of image.ports) parts.push([`${p.kind} port ${p.id} of '${p.population}' (${p.size} elements)`, count(p.size)]);
  for (const p of image.probes) parts.push([`probe ${p.id} of '${p.population}.${p.signal}' (${p.size} elements)`, count(p.size)]);
  const total = parts.reduce((s, [, n]) => s + n, 0);
  if (total <= MAX_CHIP_WORDS) return;
  const [largest] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
  const size = Number.isFinite(total) ? `${(total / 2 ** 18).toFixed(0)} MiB` : 'an invalid amount of memory';
  throw new UserError(`image: running it needs ${size} of chip state (largest part: ${largest}), more than the ${MAX_CHIP_WORDS / 2 ** 18} MiB the emulator allows; the image is corrupt or not meant for this emulator`);
}

/** Decode, resolve and check every core of `image` for the hw-spec `spec` the image carries. */
export function loadChip(image: Image, spec: HwSpec): LoadedChip {
  checkSizes(image, spec);
  const base = { spec, routes: byId(image.routes, 'route'), ports: byId(image.ports, 'port'), probes: byId(image.probes, 'probe') };
  const { rows, cols } = spec.core.crossbar;
  const seen = new Set<number>();
  const cores = [...image.cores]
    .sort((a, b) => a.index - b.index)
    .map((core) => {
      if (seen.has(core.index)) throw new UserError(`image: core ${core.index} appears twice`);
      seen.add(core.index);
      if (core.crossbar.length !== rows * cols) throw new UserError(`image core ${core.index}: the crossbar has ${core.crossbar.length} cells, the hw-spec's is ${rows} x ${cols}`);
      for (const m of core.memory) {
        if (m.addr + m.values.length > core.memoryWords) throw new UserError(`image core ${core.index}: memory init '${m.name}' ends at word ${m.addr + m.values.length}, beyond memoryWords = ${core.memoryWords}`);
      }
      let decoded: Instr[];
      try {
        decoded = decodeProgram(core.program);
      } catch (e) {
        throw new UserError(`image core ${core.index}: ${(e as Error).message}`);
      }
      return new CoreLoader(base, core, decoded).load(diagonalCells(core.index, image.matrices, cols));
    });
  for (const r of image.routes) {
    if (!seen.has(r.srcCore) || !seen.has(r.dstCore)) throw new UserError(`image route ${r.id}: connects core ${r.srcCore} to core ${r.dstCore}, which the image does not have`);
  }
  return { ...base, cores };
}

// The datapath of one core: vector memory, crossbar, lookup tables, DACs and ADCs, and the
// semantics of every instruction that computes (docs/isa.md, one handler per mnemonic, written as
// the table's semantics read). Control flow, routes and ports belong to the chip (reference.ts).
// Every handler reads its inputs as copies before it writes, so dst may overlap any source.
import { codeRange, type CodeRange, type HwSpec } from '../../compiler/hwspec/types.js';
import type { InstrFor, Mnemonic } from '../../compiler/isa/index.js';
import type { LutSlot } from '../../compiler/image/types.js';
import { clamp, exactProduct, roundReal, shiftRound, topBits, uniformBits, type Dither, type Exact } from './arith.js';
import type { RangeEvents } from './counters.js';
import type { LoadedCore, LoadedInstr } from './load.js';
import { adcMismatch, noiseReadKey, outerExecutionKey, outerRowKey, outerThinExponent, outerThinnedChanges, outerWord, readNoise, type AdcMismatch, type CoreGenerators } from './random.js';

/** The instructions the chip's sequencer executes itself (control flow, routes, ports, probes). */
export const SEQUENCER_MNEMONICS = ['halt', 'nop', 'barrier', 'jmp', 'jz', 'loop', 'send', 'recv', 'in', 'tgt', 'probe'] as const;
export type SequencerMnemonic = (typeof SEQUENCER_MNEMONICS)[number];
export type DatapathMnemonic = Exclude<Mnemonic, SequencerMnemonic>;

type Handler<M extends DatapathMnemonic> = (d: Datapath, i: InstrFor<M>, li: LoadedInstr) => void;

export class Datapath {
  readonly memory: Int32Array;
  readonly crossbar: Int32Array;
  private readonly crossbarCols: number;
  private readonly state: CodeRange;
  private readonly weight: CodeRange;
  private readonly mismatch: AdcMismatch;
  /** stochastic rounding draws from the core's rounding generator, and counts them */
  readonly dither: Dither;
  /** outer.sr instructions executed since the chip was created or reset: n of the counter-based draws (random.ts) */
  private outerExecutions = 0;
  /** crossbar reads executed since the chip was created or reset: m of the read noise's counter-based draws */
  private reads = 0;

  constructor(
    readonly loaded: LoadedCore,
    readonly spec: HwSpec,
    readonly generators: CoreGenerators,
    readonly events: RangeEvents,
  ) {
    this.memory = new Int32Array(loaded.source.memoryWords);
    for (const m of loaded.source.memory) this.memory.set(m.values, m.addr);
    this.crossbar = Int32Array.from(loaded.source.crossbar);
    this.crossbarCols = spec.core.crossbar.cols;
    this.state = codeRange(spec.formats.state);
    this.weight = codeRange(spec.formats.weight);
    this.mismatch = adcMismatch(spec, loaded.index);
    this.dither = {
      bits: (s: number): Exact => {
        events.stochasticDraws++;
        return uniformBits(generators.rounding, s);
      },
    };
  }

  execute(li: LoadedInstr): void {
    const handler = DATAPATH[li.instr.op as DatapathMnemonic] as Handler<DatapathMnemonic>;
    handler(this, li.instr as InstrFor<DatapathMnemonic>, li);
  }

  // ---- memory ----

  /** A copy of words [addr, addr + len): inputs are read before anything is written. */
  read(addr: number, len: number): Int32Array {
    return this.memory.slice(addr, addr + len);
  }

  write(addr: number, values: ArrayLike<number>): void {
    this.memory.set(values, addr);
  }

  /** dst[i] = f(i) for i < len, every f(i) computed before the first write */
  map(dst: number, len: number, f: (i: number) => number): void {
    const out = new Array<number>(len);
    for (let i = 0; i < len; i++) out[i] = f(i);
    this.write(dst, out);
  }

  cell(row: number, col: number): number {
    return this.crossbar[row * this.crossbarCols + col]!;
  }

  // ---- the notation of docs/isa.md ----

  sat(v: number): number {
    return clamp(v, this.state.min, this.state.max, () => this.events.stateSaturations++);
  }

  satW(v: number): number {
    return clamp(v, this.weight.min, this.weight.max, () => this.events.weightSaturations++);
  }

  /** v / 2^s rounded with rounding.state */
  rnd(v: Exact, s: number): number {
    return shiftRound(v, s, this.spec.rounding.state, this.dither);
  }

  /** v * 2^s for s >= 0 (exact: a double times a power of two), rnd(v, -s) for s < 0 */
  scl(v: number, s: number): number {
    return s >= 0 ? v * 2 ** s : this.rnd(v, -s);
  }

  /** the drive of one crossbar input line, in DAC LSB */
  dac(code: number): number {
    const { gain, offset, range } = this.spec.dac;
    return gain * (clamp(code, range.min, range.max, () => this.events.dacClips++) + offset);
  }

  /**
   * The ADC code of the analog line sum `s` on column line `line` (forward reads) or row line
   * (transposed): gain and offset, the line's fixed-pattern errors, read noise (`noise`, a standard
   * variate, scaled by read_std_lsb when the spec has noise), rounding.adc,
   * clip to adc.range. Evaluated left to right as written (the Wasm core must do the same).
   */
  adc(s: number, line: number, transposed: boolean, noise: number): number {
    const { gain, offset, range } = this.spec.adc;
    const g = transposed ? this.mismatch.rowGain[line]! : this.mismatch.colGain[line]!;
    const o = transposed ? this.mismatch.rowOffset[line]! : this.mismatch.colOffset[line]!;
    const n = this.spec.noise.enabled ? this.spec.noise.read_std_lsb * noise : 0;
    const a = gain * (1 + g) * s + offset + o + n;
    return clamp(roundReal(a, this.spec.rounding.adc), range.min, range.max, () => this.events.adcClips++);
  }

  /** lut[slot](x): clamped, interpolated between entries 2^shift codes apart, scaled to state */
  lut(t: LutSlot, x: number): number {
    const n = t.entries.length;
    const step = 2 ** t.shift;
    const xc = Math.min(Math.max(x, t.xMin), t.xMin + (n - 1) * step);
    const i = Math.min(Math.floor((xc - t.xMin) / step), n - 2);
    const f = xc - t.xMin - i * step; // = step at the top end, where y = e[n-1]
    const lo = t.entries[i]!;
    const y = lo + this.rnd(exactProduct(t.entries[i + 1]! - lo, f), t.shift);
    return this.sat(this.scl(y, t.outShift));
  }

  /** v + rnd(k * sat(target - v), sh), saturated: lpf, leak and std relax v toward a target */
  relax(v: number, target: number, k: number, sh: number): number {
    return this.sat(v + this.rnd(exactProduct(k, this.sat(target - v)), sh));
  }

  /**
   * The crossbar read of mvm, mvm.acc, mvmt, mvmt.acc: inputs through the DACs, analog line sums
   * in f64 in increasing input order, outputs through the ADCs and scaled by sho.
   */
  crossbarRead(i: InstrFor<'mvm' | 'mvm.acc' | 'mvmt' | 'mvmt.acc'>, transposed: boolean, accumulate: boolean): void {
    const [inLen, outLen] = transposed ? [i.cols, i.rows] : [i.rows, i.cols];
    const drive = Array.from(this.read(i.src, inLen), (x) => this.dac(this.scl(x, i.shi)));
    const before = this.read(i.dst, outLen);
    // the read noise of output line o: counter-based, from this read's key
    const read = noiseReadKey(this.generators.noiseKey, this.reads++);
    this.map(i.dst, outLen, (o) => {
      let s = 0;
      for (let k = 0; k < inLen; k++) s += (transposed ? this.cell(i.row + o, i.col + k) : this.cell(i.row + k, i.col + o)) * drive[k]!;
      const y = this.scl(this.adc(s, transposed ? i.row + o : i.col + o, transposed, readNoise(read, o)), i.sho);
      return this.sat(accumulate ? before[o]! + y : y);
    });
  }

  /**
   * outer.rn / outer.sr: W += round(a[r] * x[c], sh), saturated to the weight format, row by row.
   * Cells on the diagonal of a noSelf matrix are not updated (no draw) and stay 0.
   */
  outer(i: InstrFor<'outer.rn' | 'outer.sr'>, stochastic: boolean): void {
    const a = this.read(i.a, i.rows);
    const x = this.read(i.x, i.cols);
    // outer.sr: counter-based draws, a pure function of (core, execution, row, column)
    const execution = stochastic ? outerExecutionKey(this.generators.outerKey, this.outerExecutions++) : 0;
    let rowKey = 0;
    let c = 0;
    // the draws of cell (r, c): words 0 (and 1) of the cell
    const cell: Dither = {
      bits: (s: number): Exact => {
        this.events.stochasticDraws++;
        return topBits(outerWord(rowKey, c, 0), s <= 32 ? 0 : outerWord(rowKey, c, 1), s);
      },
    };
    // outer.sr rows with small products: thinned draws (random.ts)
    const xMax = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let r = 0; r < i.rows; r++) {
      rowKey = outerRowKey(execution, r);
      const m = stochastic ? outerThinExponent(Math.abs(a[r]!), xMax, i.sh) : -1;
      const ar = a[r]!;
      const changes = m < 0 ? undefined : new Set(Math.abs(ar) * xMax === 0 ? [] : outerThinnedChanges(rowKey, i.cols, i.sh, m, (k) => Math.abs(ar * x[k]!)));
      for (c = 0; c < i.cols; c++) {
        const at = (i.row + r) * this.crossbarCols + i.col + c;
        if (this.loaded.diagonal.has(at)) {
          this.crossbar[at] = 0;
          continue;
        }
        if (changes) this.events.stochasticDraws++;
        const dw = changes ? (changes.has(c) ? Math.sign(ar * x[c]!) : 0) : shiftRound(exactProduct(ar, x[c]!), i.sh, stochastic ? 'stochastic' : 'nearest_up', cell);
        this.crossbar[at] = this.satW(this.crossbar[at]! + dw);
      }
    }
  }
}

/** Elementwise a (op) b over len words. */
function elementwise(d: Datapath, dst: number, a: number, b: number, len: number, f: (x: number, y: number) => number): void {
  const A = d.read(a, len);
  const B = d.read(b, len);
  d.map(dst, len, (k) => f(A[k]!, B[k]!));
}

function unary(d: Datapath, dst: number, a: number, len: number, f: (x: number) => number): void {
  const A = d.read(a, len);
  d.map(dst, len, (k) => f(A[k]!));
}

/** One handler per datapath mnemonic: the type makes a missing one a compile error. */
export const DATAPATH: { readonly [M in DatapathMnemonic]: Handler<M> } = {
  vcopy: (d, i) => unary(d, i.dst, i.a, i.len, (x) => x),
  vset: (d, i) => d.map(i.dst, i.len, () => d.sat(i.imm)),
  seti: (d, i) => d.write(i.dst, [i.imm]),
  vadd: (d, i) => elementwise(d, i.dst, i.a, i.b, i.len, (x, y) => d.sat(x + y)),
  vsub: (d, i) => elementwise(d, i.dst, i.a, i.b, i.len, (x, y) => d.sat(x - y)),
  vmul: (d, i) => elementwise(d, i.dst, i.a, i.b, i.len, (x, y) => d.sat(d.rnd(exactProduct(x, y), i.sh))),
  vmuli: (d, i) => unary(d, i.dst, i.a, i.len, (x) => d.sat(d.rnd(exactProduct(x, i.imm), i.sh))),
  vaxpy: (d, i) => elementwise(d, i.dst, i.a, i.b, i.len, (x, y) => d.sat(x + d.rnd(exactProduct(i.imm, y), i.sh))),
  vshl: (d, i) => unary(d, i.dst, i.a, i.len, (x) => d.sat(x * 2 ** i.sh)),
  vshr: (d, i) => unary(d, i.dst, i.a, i.len, (x) => d.sat(d.rnd(x, i.sh))),
  vclip: (d, i) => unary(d, i.dst, i.a, i.len, (x) => Math.min(Math.max(x, i.lo), i.hi)),
  vlut: (d, i, li) => unary(d, i.dst, i.a, i.len, (x) => d.lut(li.lut!, x)),
  lpf: (d, i) => elementwise(d, i.x, i.x, i.in, i.len, (x, target) => d.relax(x, target, i.k, i.sh)),
  leak: (d, i) => {
    const U = d.read(i.u, i.len);
    const drive = d.read(i.drive, i.len);
    const k = d.read(i.kvec, i.len);
    d.map(i.u, i.len, (n) => d.relax(U[n]!, drive[n]!, k[n]!, i.sh));
  },
  std: (d, i, li) => elementwise(d, i.v, i.v, i.rbar, i.len, (v, rbar) => d.relax(v, d.lut(li.lut!, rbar), i.k, i.sh)),
  mvm: (d, i) => d.crossbarRead(i, false, false),
  'mvm.acc': (d, i) => d.crossbarRead(i, false, true),
  mvmt: (d, i) => d.crossbarRead(i, true, false),
  'mvmt.acc': (d, i) => d.crossbarRead(i, true, true),
  'outer.rn': (d, i) => d.outer(i, false),
  'outer.sr': (d, i) => d.outer(i, true),
};

// Random valid images for the differential test: from one seed, a small chip (1 to 3 cores, a
// small crossbar, a spec variant that reaches every arithmetic path: each rounding mode, noise,
// mismatch, fractional DAC models, 20-bit weights (i32 cells), 32-bit state, weight codes beyond
// the format) and per core a structured program of random instructions: every datapath
// instruction of the ISA table with operands drawn from its field kinds within the load checks,
// loops (nested, count 0 included), jz and jmp over blocks, routes with and without delay, ports,
// probes, barriers. The programs go through assembly text and tests/chip/helpers.ts, as
// `nla asm` would build them.
import { Rng } from '../../compiler/common/rng.js';
import { codeRange, loadHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import type { Image, LutSlot, MatrixMap, PortMap, ProbeMap, Route } from '../../compiler/image/index.js';
import { evalFormula, fieldRange, parseFormula, print, SPECS, wordsOf, type FieldSpec, type Instr, type InstrSpec } from '../../compiler/isa/index.js';
import { DATAPATH } from '../../emulator/chip/index.js';
import { asmImage, type TestImage } from '../chip/helpers.js';

export const MEMORY_WORDS = 96;
/** words 88.. are often zero: flags for jz */
const FLAGS = 88;

export interface SpecVariant {
  preset: 'default' | 'bss2-like' | 'high-precision';
  noise: boolean;
  mismatch: boolean;
  state: 'nearest_even' | 'floor' | 'stochastic';
  adc: 'nearest_even' | 'floor';
  /** gain 1.5, offset 0.25: drives that are not whole numbers (f64 line sums) */
  fractionalDac: boolean;
  /** 20-bit weights: i32 cells */
  wideWeights: boolean;
  /** 32-bit state words */
  wideState: boolean;
}

class Draw {
  constructor(readonly rng: Rng) {}
  int(lo: number, hi: number): number {
    return lo + this.rng.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.rng.uniform() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.rng.int(xs.length)]!;
  }
  /** a value of [min, max], mostly small, sometimes an extreme */
  value(min: number, max: number): number {
    const u = this.rng.uniform();
    const clamp = (v: number) => Math.min(max, Math.max(min, v));
    if (u < 0.4) return clamp(this.int(-64, 64));
    if (u < 0.7) return clamp(this.int(-(2 ** 15), 2 ** 15));
    if (u < 0.9) return this.int(min, max);
    return this.pick([min, max, clamp(0), clamp(-1), clamp(1)]);
  }
}

const DATAPATH_SPECS: readonly InstrSpec[] = SPECS.filter((s) => s.mnemonic in DATAPATH);

/** What a core's program may use. */
interface CoreContext {
  core: number;
  luts: number[];
  /** route ids this core may send or receive on in phase p */
  sends: (phase: number) => Route[];
  recvs: (phase: number) => Route[];
  ports: { port: PortMap; length: number }[];
  probes: { probe: ProbeMap; length: number }[];
}

type Item = Instr | { block: 'loop'; count: number; body: Item[] } | { block: 'jz' | 'jmp'; flag: number; body: Item[] };

export class RandomImage {
  private readonly d: Draw;
  private readonly rows: number;
  private readonly cols: number;
  readonly spec: HwSpec;

  constructor(
    seed: number,
    readonly variant: SpecVariant,
  ) {
    this.d = new Draw(new Rng(seed, 99));
    this.rows = this.d.int(3, 20);
    this.cols = this.d.int(3, 20);
    this.spec = structuredClone(loadHwSpec(variant.preset));
    this.adjust(this.spec);
  }

  private adjust(s: HwSpec): void {
    const v = this.variant;
    s.seed = this.d.int(0, 2 ** 31);
    s.core.crossbar = { rows: this.rows, cols: this.cols };
    s.noise = { enabled: v.noise, read_std_lsb: v.noise ? 1.5 : s.noise.read_std_lsb };
    s.mismatch = { ...s.mismatch, enabled: v.mismatch, adc_gain_std: 0.05, adc_offset_std_lsb: 0.7 };
    s.rounding = { ...s.rounding, state: v.state, adc: v.adc };
    if (v.fractionalDac) s.dac = { ...s.dac, gain: 1.5, offset: 0.25 };
    if (v.wideWeights) s.formats.weight = { bits: 20, frac_bits: 12, signed: true };
    if (v.wideState) s.formats.state = { bits: 32, frac_bits: 20, signed: true };
    // a gain that keeps line sums near the ADC range, so that codes are mostly not clipped
    s.adc = { ...s.adc, gain: this.d.pick([1, 0.25, 2 ** -6, s.adc.gain]) };
  }

  private field(f: FieldSpec, values: Map<string, number>, ctx: CoreContext): number {
    const { min, max } = fieldRange(f);
    switch (f.kind) {
      case 'imm':
        return this.d.value(min, max);
      case 'shift':
        return this.d.chance(0.5) ? this.d.int(0, 12) : this.d.chance(0.6) ? this.d.int(0, 40) : this.d.int(0, max);
      case 'sshift':
        return this.d.chance(0.6) ? this.d.int(-8, 8) : this.d.int(min, max);
      case 'lut':
        return this.d.pick(ctx.luts);
      case 'len':
        if (f.name === 'rows') return this.d.int(0, this.rows);
        if (f.name === 'cols') return this.d.int(0, this.cols);
        return this.d.chance(0.05) ? 0 : this.d.int(1, 16);
      case 'xrow':
        return this.d.int(0, this.rows - values.get('rows')!);
      case 'xcol':
        return this.d.int(0, this.cols - values.get('cols')!);
      default:
        throw new Error(`no random value for a ${f.kind} operand`);
    }
  }

  /** one datapath instruction with operands inside the load checks */
  private datapath(ctx: CoreContext): Instr {
    const spec = this.d.pick(DATAPATH_SPECS);
    const values = new Map<string, number>();
    const vaddrs = spec.fields.filter((f) => f.kind === 'vaddr');
    // lengths before the blocks and addresses that depend on them
    const order = [...spec.fields].sort((a, b) => Number(b.kind === 'len') - Number(a.kind === 'len'));
    for (const f of order) if (f.kind !== 'vaddr') values.set(f.name, this.field(f, values, ctx));
    for (const f of vaddrs) {
      const v = spec.vectors.find((x) => x.addr === f.name)!;
      const len = typeof v.len === 'number' ? v.len : evalFormula(parseFormula(v.len), (n) => values.get(n)!);
      values.set(f.name, this.d.chance(0.2) ? this.d.int(0, 4) : this.d.int(0, MEMORY_WORDS - len));
    }
    return { op: spec.mnemonic, ...Object.fromEntries(values) } as Instr;
  }

  private sequencer(ctx: CoreContext, phase: number): Instr | undefined {
    const k = this.d.int(0, 4);
    if (k === 0 && ctx.sends(phase).length) {
      const r = this.d.pick(ctx.sends(phase));
      return { op: 'send', route: r.id, src: this.d.int(0, MEMORY_WORDS - r.length), len: this.d.int(0, r.length) };
    }
    if (k === 1 && ctx.recvs(phase).length) {
      const r = this.d.pick(ctx.recvs(phase));
      return { op: 'recv', route: r.id, dst: this.d.int(0, MEMORY_WORDS - r.length), len: this.d.int(0, r.length) };
    }
    if (k === 2 && ctx.ports.length) {
      const { port, length } = this.d.pick(ctx.ports);
      const len = this.d.int(0, length);
      return { op: port.kind === 'target' ? 'tgt' : 'in', port: port.id, dst: this.d.int(0, MEMORY_WORDS - len), len };
    }
    if (k === 3 && ctx.probes.length) {
      const { probe, length } = this.d.pick(ctx.probes);
      const len = this.d.int(0, length);
      return { op: 'probe', probe: probe.id, src: this.d.int(0, MEMORY_WORDS - len), len };
    }
    return k === 4 ? { op: 'nop' } : undefined;
  }

  private block(ctx: CoreContext, phase: number, depth: number, n: number): Item[] {
    const items: Item[] = [];
    for (let i = 0; i < n; i++) {
      const u = this.d.rng.uniform();
      if (depth < 2 && u < 0.1) items.push({ block: 'loop', count: this.d.int(0, 3), body: this.block(ctx, phase, depth + 1, this.d.int(1, 4)) });
      else if (depth < 2 && u < 0.18) items.push({ block: this.d.chance(0.7) ? 'jz' : 'jmp', flag: this.d.int(FLAGS, MEMORY_WORDS - 1), body: this.block(ctx, phase, depth + 1, this.d.int(1, 3)) });
      else items.push((u < 0.4 && this.sequencer(ctx, phase)) || this.datapath(ctx));
    }
    return items;
  }

  /** word addresses resolved: loop ends and jump targets are the word after their block */
  private flatten(items: Item[], at: { word: number }, out: Instr[]): void {
    for (const it of items) {
      if (!('block' in it)) {
        out.push(it);
        at.word += wordsOf(it);
        continue;
      }
      const head = out.length;
      out.push({ op: 'nop' }); // placeholder, one word like loop, jz and jmp
      at.word += 1;
      this.flatten(it.body, at, out);
      out[head] = it.block === 'loop' ? { op: 'loop', count: it.count, end: at.word } : it.block === 'jz' ? { op: 'jz', flag: it.flag, target: at.word } : { op: 'jmp', target: at.word };
    }
  }

  build(): { image: Image; text: string; ports: PortMap[] } {
    const d = this.d;
    const ncores = d.int(1, 3);
    const phases = d.int(1, 3);
    const routes: Route[] = [];
    const sendPhase = new Map<number, number>();
    for (let src = 0; src < ncores; src++) {
      for (let dst = 0; dst < ncores; dst++) {
        if (src === dst || d.chance(0.4)) continue;
        const r: Route = { id: routes.length, srcCore: src, dstCore: dst, length: d.int(1, 8), hops: d.int(1, 3), delay: d.int(0, 3) };
        routes.push(r);
        // a route without delay sends in one phase and receives in the others: no race
        if (r.delay === 0) sendPhase.set(r.id, d.int(0, phases - 1));
      }
    }
    const segments = (n: number) => {
      let offset = 0;
      return Array.from({ length: n }, (_, core) => {
        const length = d.int(1, 8);
        const g = { core, offset, length, fracBits: d.int(0, 8) };
        offset += length;
        return g;
      });
    };
    const portOf = (id: number, kind: PortMap['kind']): PortMap => {
      const segs = segments(ncores);
      return { id, kind, population: `p${id}`, size: segs.reduce((s, g) => s + g.length, 0), segments: segs };
    };
    const ports = [portOf(0, 'input'), portOf(1, 'target'), portOf(2, 'nudge')];
    const probes: ProbeMap[] = [0, 1].map((id) => {
      const segs = segments(ncores);
      return { id, population: `q${id}`, signal: 'u', size: segs.reduce((s, g) => s + g.length, 0), segments: segs };
    });
    const t: TestImage = { memoryWords: MEMORY_WORDS, routes, ports, probes, luts: {}, memory: {}, weights: {}, preset: this.variant.preset, spec: (s) => Object.assign(s, structuredClone(this.spec)) };
    const lutOut = codeRange(this.spec.formats.lut_out);
    const state = codeRange(this.spec.formats.state);
    const weight = codeRange(this.spec.formats.weight);
    const matrices: MatrixMap[] = [];
    if (d.chance(0.5)) {
      const m = d.int(1, this.rows);
      const n = d.int(1, this.cols);
      matrices.push({ name: 'rec', rows: 8, cols: 8, scale: 1, plastic: true, noSelf: true, blocks: [{ core: 0, pre0: d.int(0, 3), post0: d.int(0, 3), m, n, xrow: d.int(0, this.rows - m), xcol: d.int(0, this.cols - n) }] });
    }
    t.matrices = matrices;
    const texts: string[] = [];
    for (let core = 0; core < ncores; core++) {
      const luts: LutSlot[] = [0, 1].map((slot) => {
        const n = d.int(2, 8);
        return { slot, name: `t${slot}`, xMin: d.value(state.min, state.max), shift: d.chance(0.7) ? d.int(0, 8) : d.int(0, 31), entries: Int32Array.from({ length: n }, () => d.value(lutOut.min, lutOut.max)), outShift: d.chance(0.8) ? d.int(-12, 12) : d.int(-63, 63) };
      });
      t.luts![core] = luts;
      t.memory![core] = {
        0: Array.from({ length: FLAGS }, () => (d.chance(0.03) ? d.value(-(2 ** 31), 2 ** 31 - 1) : d.value(state.min, state.max))),
        [FLAGS]: Array.from({ length: MEMORY_WORDS - FLAGS }, () => (d.chance(0.6) ? 0 : d.int(-3, 3))),
      };
      // some images (built in memory, never read from a file) carry codes beyond the weight format
      const wild = d.chance(0.15) ? 0.05 : 0;
      const cells: [number, number, number][] = [];
      for (let r = 0; r < this.rows; r++) for (let c = 0; c < this.cols; c++) cells.push([r, c, d.chance(wild) ? d.int(-(2 ** 20), 2 ** 20) : d.value(weight.min, weight.max)]);
      t.weights![core] = cells;
      const ctx: CoreContext = {
        core,
        luts: luts.map((l) => l.slot),
        sends: (p) => routes.filter((r) => r.srcCore === core && (r.delay > 0 || sendPhase.get(r.id) === p)),
        recvs: (p) => routes.filter((r) => r.dstCore === core && (r.delay > 0 || sendPhase.get(r.id) !== p)),
        ports: ports.map((port) => ({ port, length: port.segments[core]!.length })),
        probes: probes.map((probe) => ({ probe, length: probe.segments[core]!.length })),
      };
      const items: Item[] = [];
      for (let p = 0; p < phases; p++) {
        items.push(...this.block(ctx, p, 0, d.int(1, 8)));
        items.push({ op: p === phases - 1 ? 'halt' : 'barrier' });
      }
      const instrs: Instr[] = [];
      this.flatten(items, { word: 0 }, instrs);
      texts.push(`.core ${core}\n${instrs.map((i) => print(i)).join('\n')}`);
    }
    const text = texts.join('\n');
    return { image: asmImage(text, t), text, ports };
  }
}

/** Random port codes (raw int32 words, as a host could never write them, included) for one tick. */
export function randomPortCodes(rng: Rng, size: number): Int32Array {
  return Int32Array.from({ length: size }, () => (rng.uniform() < 0.9 ? rng.int(2001) - 1000 : (rng.nextU32() | 0)));
}

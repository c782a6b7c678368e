// THE instruction set of the NLA core. Everything else about the ISA (encoder, decoder,
// assembler, disassembler, the table's self-check, the Wasm core's opcode constants and field
// extractors in assembly/isa.generated.ts, docs/isa.md) is derived from the data in this file,
// and so is the cost model: COST_CLASSES are the keys of every hw-spec's `costs`.
// After changing it run `npm run build:ts && npm run gen:isa`; tests/isa/generated.test.ts fails until then.
import type { HwSpec } from '../hwspec/types.js';
import { IsaError } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Encoding constants
// ---------------------------------------------------------------------------------------------

export const ENCODING = {
  /** bits per instruction word; programs are arrays of words, little-endian in images */
  wordBits: 64,
  /** the opcode is bits [lsb, lsb + width) of the first word */
  opcode: { lsb: 0, width: 8 },
  /** bits [lsb, lsb + width) of the second word of a two-word instruction hold this marker */
  continuation: { lsb: 64, width: 8, value: 0xff },
  /** opcodes no instruction may use: 0x00 (an all-zero word traps) and the continuation marker */
  reservedOpcodes: [0x00, 0xff],
  /** the most words one instruction may take */
  maxWords: 2,
  /** the widest field: every value fits an i32 / u32 in the Wasm core and a JS number exactly */
  maxFieldWidth: 32,
} as const;

// ---------------------------------------------------------------------------------------------
// Operand kinds: what a field means, how it is written in assembly text
// ---------------------------------------------------------------------------------------------

export const OPERAND_KINDS = ['vaddr', 'len', 'xrow', 'xcol', 'imm', 'shift', 'sshift', 'lut', 'route', 'port', 'probe', 'count', 'target'] as const;
export type OperandKind = (typeof OPERAND_KINDS)[number];

export interface KindInfo {
  /** text in front of the number in assembly ('' = a bare number) */
  readonly prefix: string;
  /** values are two's complement */
  readonly signed: boolean;
  /**
   * the number always carries its sign (`sh+2`, `sh-3`), so that a kind can share its prefix
   * with another kind (`sshift` with `shift`) and still be told apart by its text alone
   */
  readonly explicitSign: boolean;
  /** a label name may stand for the value (assembler resolves it to a word address) */
  readonly label: boolean;
  /** what the value means (one line, for docs and error messages) */
  readonly meaning: string;
  /** a typical value, used in docs and in "expected ..." messages */
  readonly example: number;
}

function kind(prefix: string, meaning: string, example: number, flags: Partial<Pick<KindInfo, 'signed' | 'explicitSign' | 'label'>> = {}): KindInfo {
  return { prefix, meaning, example, signed: false, explicitSign: false, label: false, ...flags };
}

export const KIND_INFO: { readonly [K in OperandKind]: KindInfo } = {
  vaddr: kind('@', 'vector memory address (word offset)', 128),
  len: kind('', 'number of elements', 16),
  xrow: kind('r', 'crossbar row offset', 0),
  xcol: kind('c', 'crossbar column offset', 0),
  imm: kind('#', 'signed immediate (raw fixed-point word)', -5, { signed: true }),
  shift: kind('sh', 'shift amount in bits', 8),
  sshift: kind('sh', 'signed scale exponent: scl(x, s) = x * 2^s for s >= 0, rnd(x, -s) for s < 0', -3, { signed: true, explicitSign: true }),
  lut: kind('lut', 'lookup-table slot of the image', 3),
  route: kind('route', 'route id of the image', 2),
  port: kind('port', 'input or target port id of the image', 0),
  probe: kind('probe', 'probe id of the image', 1),
  count: kind('x', 'repeat count', 4),
  target: kind('$', 'program word address (or a label)', 12, { label: true }),
};

// ---------------------------------------------------------------------------------------------
// Cost classes: the keys of a hw-spec's `costs`, each {fixed_cycles, cycles_per_element,
// energy_pj_per_event}. An instruction charges one or more classes with a count of events.
// ---------------------------------------------------------------------------------------------

/** The event each cost class counts (the hw-spec schema and docs describe the same events). */
export const COST_CLASS_EVENTS = {
  mvm: 'one multiply-accumulate of a crossbar read (forward or transposed)',
  mvm_dac: 'one crossbar input driven (a row forward, a column transposed)',
  mvm_adc: 'one crossbar output converted (a column forward, a row transposed)',
  vector_op: 'one element of digital vector arithmetic',
  lut: 'one element looked up (and interpolated) in a table',
  lpf: 'one element of a low-pass filter step',
  leak: 'one neuron circuit integrated for one step',
  outer_update: 'one weight updated by plasticity',
  std_update: 'one depressing synapse row updated',
  send: 'one routed word over one hop',
  recv: 'one word received',
  io: 'one word through the input, target or probe ports',
  barrier: 'one tick barrier on one core',
  halt: 'one halt',
  control: 'one control instruction (nop, jmp, jz, loop) executed',
} as const;
export type CostClass = keyof typeof COST_CLASS_EVENTS;
export const COST_CLASSES = Object.keys(COST_CLASS_EVENTS) as readonly CostClass[];

/**
 * Classes whose event is a word over one hop: the route's hop count multiplies their events and
 * energy, not their cycles (the sending core injects each word once; the route adds
 * hops * mesh.hop_latency_ns of latency, which whoever knows the route accounts for).
 */
export const PER_HOP_CLASSES: readonly CostClass[] = ['send'];

// ---------------------------------------------------------------------------------------------
// Notation used by semanticsDoc
// ---------------------------------------------------------------------------------------------

export const NOTATION: readonly { readonly symbol: string; readonly meaning: string }[] = [
  { symbol: 'v[i]', meaning: 'word i of the vector at address v; every loop runs i = 0 .. len-1 (or over the crossbar block)' },
  { symbol: 'sat(v)', meaning: 'clamp v to the code range of the hw-spec formats.state (vector words are int32; formats.state.bits <= 32)' },
  { symbol: 'satW(v)', meaning: 'clamp v to the code range of the hw-spec formats.weight' },
  { symbol: 'rnd(v, s)', meaning: 'v / 2^s rounded with the hw-spec rounding.state mode (nearest_even, floor or stochastic); s = 0 gives v' },
  { symbol: 'rn(v, s)', meaning: 'floor((v + 2^(s-1)) / 2^s): round to nearest, ties toward +infinity (s = 0 gives v)' },
  { symbol: 'sr(v, s)', meaning: 'floor((v + q) / 2^s), q uniform in [0, 2^s) from the seeded generator of the core (stochastic rounding)' },
  { symbol: 'scl(v, s)', meaning: 'v * 2^s (exact) for s >= 0, rnd(v, -s) for s < 0: the meaning of an sshift operand' },
  { symbol: 'DAC(x)', meaning: 'clamp x to the hw-spec dac.range, then the DAC model (dac.gain, dac.offset): the drive of one crossbar line' },
  { symbol: 'ADC(y)', meaning: 'the hw-spec ADC model of a line sum y: adc.gain, adc.offset, read noise, mismatch, rounding.adc, clamp to adc.range' },
  {
    symbol: 'lut[s](x)',
    meaning:
      'interpolated lookup in slot s of the image, which holds xMin (a state code), shift, n >= 2 entries e[0..n) (formats.lut_out codes) and outShift. ' +
      'x is clamped to [xMin, xMin + (n-1) * 2^shift]; i = min((x - xMin) >> shift, n - 2); f = x - xMin - i * 2^shift (so f = 2^shift at the top end and y = e[n-1]); ' +
      'y = e[i] + rnd((e[i+1] - e[i]) * f, shift); the result is sat(scl(y, outShift))',
  },
  { symbol: 'W[r][c]', meaning: 'crossbar weight at row r, column c of this core' },
  { symbol: 'a * b', meaning: 'exact product (int32 * int32 fits in 64 bits); differences are saturated with sat() before a product' },
  { symbol: 'reads, writes', meaning: 'an instruction reads all its inputs before it writes (dst may equal a source)' },
];

// ---------------------------------------------------------------------------------------------
// The shape of a table entry
// ---------------------------------------------------------------------------------------------

export interface FieldSpec<N extends string = string> {
  readonly name: N;
  readonly kind: OperandKind;
  /** lowest bit in the instruction (0..63 first word, 64..127 second word) */
  readonly lsb: number;
  readonly width: number;
  readonly signed: boolean;
}

/** A vector operand: the address field, its length (a field name or a fixed count), how it is used. */
export interface VectorSpec {
  readonly addr: string;
  readonly len: string | number;
  readonly access: 'r' | 'w' | 'rw';
}

/** A crossbar sub-block operand: rows [row, row + rows), columns [col, col + cols). */
export interface CrossbarSpec {
  readonly row: string;
  readonly col: string;
  readonly rows: string;
  readonly cols: string;
  readonly access: 'r' | 'rw';
}

/** How an instruction changes the program counter (absent: falls through to the next instruction). */
export type FlowSpec =
  | { readonly kind: 'halt' }
  | { readonly kind: 'barrier' }
  | { readonly kind: 'jump'; readonly target: string }
  | { readonly kind: 'branch'; readonly target: string }
  | { readonly kind: 'loop'; readonly count: string; readonly end: string };

/**
 * Cost class -> number of its events in one execution, as a formula: a sum of products of field
 * names and integers, e.g. 'rows*cols', 'len', '1'.
 */
export type Charges = { readonly [C in CostClass]?: string };

export interface InstrSpec<M extends string = string, F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly mnemonic: M;
  readonly opcode: number;
  /** in assembly operand order */
  readonly fields: F;
  readonly vectors: readonly VectorSpec[];
  readonly crossbar?: CrossbarSpec;
  readonly flow?: FlowSpec;
  readonly charges: Charges;
  readonly description: string;
  readonly semanticsDoc: string;
}

/** A table row as written below: vectors in the short form 'dst:w a:r' or 'dst[cols]:w' (length defaults to the field `len`). */
type Row<M extends string, F extends readonly FieldSpec[]> = Omit<InstrSpec<M, F>, 'vectors'> & { readonly vectors: string };

function field<const N extends string>(name: N, kind: OperandKind, lsb: number, width: number): FieldSpec<N> {
  return { name, kind, lsb, width, signed: KIND_INFO[kind].signed };
}

function parseVectors(text: string, mnemonic: string): VectorSpec[] {
  return text
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t) => {
      const m = /^([A-Za-z_]\w*)(?:\[(\w+)\])?:(rw|r|w)$/.exec(t);
      if (!m) throw new IsaError(`${mnemonic}: vector operand '${t}' is not 'name:access' or 'name[len]:access'`);
      const len = m[2] ?? 'len';
      return { addr: m[1]!, len: /^[0-9]+$/.test(len) ? Number(len) : len, access: m[3] as VectorSpec['access'] };
    });
}

function def<const M extends string, const F extends readonly FieldSpec[]>(row: Row<M, F>): InstrSpec<M, F> {
  return { ...row, vectors: parseVectors(row.vectors, row.mnemonic) };
}

// Field layout used throughout (bits): opcode [0,8); first vector [8,24); len [24,36);
// second vector [36,52); small fields [52,58) and [58,64); second word: marker [64,72),
// third vector [72,88), immediates after it. No field crosses a word boundary, so the Wasm
// core extracts each with one shift and mask of one word.
const dst = field('dst', 'vaddr', 8, 16);
const len = field('len', 'len', 24, 12);
const a = field('a', 'vaddr', 36, 16);
const b = field('b', 'vaddr', 72, 16);
const sh = field('sh', 'shift', 52, 6);
const k32 = field('k', 'imm', 72, 32);

const XBAR_FIELDS = [field('row', 'xrow', 40, 12), field('col', 'xcol', 52, 12), field('rows', 'len', 72, 12), field('cols', 'len', 84, 12)] as const;
const XBAR_BLOCK = { row: 'row', col: 'col', rows: 'rows', cols: 'cols' } as const;

/** mvm, mvm.acc, mvmt, mvmt.acc: the forward or transposed crossbar read, written or accumulated. */
function crossbarProduct<const M extends string>(mnemonic: M, opcode: number, transposed: boolean, accumulate: boolean, description: string) {
  // forward: input on the rows (DACs), output on the columns (ADCs); transposed: the other way round
  const [inLen, outLen, inIdx, outIdx] = transposed ? (['cols', 'rows', 'c', 'r'] as const) : (['rows', 'cols', 'r', 'c'] as const);
  const sum = `ADC(sum_${inIdx} W[row+r][col+c] * DAC(scl(src[${inIdx}], shi)))`;
  return def({
    mnemonic,
    opcode,
    fields: [field('dst', 'vaddr', 8, 16), field('src', 'vaddr', 24, 16), ...XBAR_FIELDS, field('shi', 'sshift', 96, 6), field('sho', 'sshift', 102, 6)],
    vectors: `dst[${outLen}]:${accumulate ? 'rw' : 'w'} src[${inLen}]:r`,
    crossbar: { ...XBAR_BLOCK, access: 'r' },
    charges: { mvm: 'rows*cols', mvm_dac: inLen, mvm_adc: outLen },
    description,
    semanticsDoc: `dst[${outIdx}] = sat(${accumulate ? `dst[${outIdx}] + ` : ''}scl(${sum}, sho))`,
  });
}

/** outer.rn, outer.sr: plasticity on a crossbar block with the given rounding. */
function outerProduct<const M extends string>(mnemonic: M, opcode: number, rounding: 'rn' | 'sr', description: string) {
  return def({
    mnemonic,
    opcode,
    fields: [field('a', 'vaddr', 8, 16), field('x', 'vaddr', 24, 16), ...XBAR_FIELDS, field('sh', 'shift', 96, 6)],
    vectors: 'a[rows]:r x[cols]:r',
    crossbar: { ...XBAR_BLOCK, access: 'rw' },
    charges: { outer_update: 'rows*cols' },
    description,
    semanticsDoc: `W[row+r][col+c] = satW(W[row+r][col+c] + ${rounding}(a[r] * x[c], sh))`,
  });
}

/** in, tgt, recv: a vector arriving from outside the vector memory (a port or a route). */
function arrival<const M extends string, const N extends string>(mnemonic: M, opcode: number, source: FieldSpec<N>, charges: Charges, description: string, semanticsDoc: string) {
  return def({ mnemonic, opcode, fields: [source, dst, len], vectors: 'dst:w', charges, description, semanticsDoc });
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

export const TABLE = [
  // ---- control ----
  def({ mnemonic: 'halt', opcode: 0x01, fields: [], vectors: '', flow: { kind: 'halt' }, charges: { halt: '1' },
    description: "End this core's program for the current tick", semanticsDoc: 'stop; the next tick starts again at word 0' }),
  def({ mnemonic: 'nop', opcode: 0x02, fields: [], vectors: '', charges: { control: '1' },
    description: 'Do nothing', semanticsDoc: 'pc = pc + 1' }),
  def({ mnemonic: 'barrier', opcode: 0x03, fields: [], vectors: '', flow: { kind: 'barrier' }, charges: { barrier: '1' },
    description: 'Wait until every core of the chip has reached its barrier of the same rank in this tick', semanticsDoc: 'wait for all cores; then pc = pc + 1' }),
  def({ mnemonic: 'jmp', opcode: 0x04, fields: [field('target', 'target', 8, 16)], vectors: '', flow: { kind: 'jump', target: 'target' }, charges: { control: '1' },
    description: 'Jump forward to a word address', semanticsDoc: 'pc = target' }),
  def({ mnemonic: 'jz', opcode: 0x05, fields: [field('flag', 'vaddr', 8, 16), field('target', 'target', 24, 16)], vectors: 'flag[1]:r', flow: { kind: 'branch', target: 'target' }, charges: { control: '1' },
    description: 'Jump forward if a vector word is zero (e.g. a learning-enable flag written by IN)', semanticsDoc: 'if flag[0] == 0 then pc = target else pc = pc + 1' }),
  def({ mnemonic: 'loop', opcode: 0x06, fields: [field('count', 'count', 8, 16), field('end', 'target', 24, 16)], vectors: '', flow: { kind: 'loop', count: 'count', end: 'end' }, charges: { control: '1' },
    description: 'Run the body (the words after LOOP up to end) count times; micro-iterations of the implicit relaxation',
    semanticsDoc: 'repeat words [pc+1, end) count times (count 0 skips them); a jump to end continues with the next iteration' }),

  // ---- digital vector unit ----
  def({ mnemonic: 'vcopy', opcode: 0x10, fields: [dst, a, len], vectors: 'dst:w a:r', charges: { vector_op: 'len' },
    description: 'Copy a vector', semanticsDoc: 'dst[i] = a[i]' }),
  def({ mnemonic: 'vset', opcode: 0x11, fields: [dst, len, field('imm', 'imm', 36, 28)], vectors: 'dst:w', charges: { vector_op: 'len' },
    description: 'Fill a vector with a constant', semanticsDoc: 'dst[i] = sat(imm)' }),
  def({ mnemonic: 'seti', opcode: 0x12, fields: [dst, field('imm', 'imm', 24, 32)], vectors: 'dst[1]:w', charges: { vector_op: '1' },
    description: 'Load a 32-bit constant or mask into one word', semanticsDoc: 'dst[0] = imm (raw bits, not saturated)' }),
  def({ mnemonic: 'vadd', opcode: 0x13, fields: [dst, a, b, len], vectors: 'dst:w a:r b:r', charges: { vector_op: 'len' },
    description: 'Saturating vector add', semanticsDoc: 'dst[i] = sat(a[i] + b[i])' }),
  def({ mnemonic: 'vsub', opcode: 0x14, fields: [dst, a, b, len], vectors: 'dst:w a:r b:r', charges: { vector_op: 'len' },
    description: 'Saturating vector subtract', semanticsDoc: 'dst[i] = sat(a[i] - b[i])' }),
  def({ mnemonic: 'vmul', opcode: 0x15, fields: [dst, a, b, len, sh], vectors: 'dst:w a:r b:r', charges: { vector_op: 'len' },
    description: 'Fixed-point elementwise multiply with a rounding right shift', semanticsDoc: 'dst[i] = sat(rnd(a[i] * b[i], sh))' }),
  def({ mnemonic: 'vmuli', opcode: 0x16, fields: [dst, a, len, field('imm', 'imm', 72, 32), sh], vectors: 'dst:w a:r', charges: { vector_op: 'len' },
    description: 'Fixed-point multiply by an immediate (scale, learning rate, beta)', semanticsDoc: 'dst[i] = sat(rnd(a[i] * imm, sh))' }),
  def({ mnemonic: 'vaxpy', opcode: 0x17, fields: [dst, a, b, len, field('imm', 'imm', 88, 32), sh], vectors: 'dst:w a:r b:r', charges: { vector_op: 'len' },
    description: 'Add a scaled vector (a + k b, e.g. a bias update or a prospective term)', semanticsDoc: 'dst[i] = sat(a[i] + rnd(imm * b[i], sh))' }),
  def({ mnemonic: 'vshl', opcode: 0x18, fields: [dst, a, len, sh], vectors: 'dst:w a:r', charges: { vector_op: 'len' },
    description: 'Saturating left shift (change of fixed-point format)', semanticsDoc: 'dst[i] = sat(a[i] * 2^sh)' }),
  def({ mnemonic: 'vshr', opcode: 0x19, fields: [dst, a, len, sh], vectors: 'dst:w a:r', charges: { vector_op: 'len' },
    description: 'Rounding arithmetic right shift (change of fixed-point format)', semanticsDoc: 'dst[i] = sat(rnd(a[i], sh))' }),
  def({ mnemonic: 'vclip', opcode: 0x1a, fields: [dst, a, len, field('lo', 'imm', 72, 28), field('hi', 'imm', 100, 28)], vectors: 'dst:w a:r', charges: { vector_op: 'len' },
    description: 'Clamp every element to [lo, hi]', semanticsDoc: 'dst[i] = min(max(a[i], lo), hi)' }),
  def({ mnemonic: 'vlut', opcode: 0x1b, fields: [dst, a, len, field('lut', 'lut', 52, 6)], vectors: 'dst:w a:r', charges: { lut: 'len' },
    description: "Interpolated lookup-table nonlinearity (rho, rho', rho'', STD-matched rho, v_inf, ...)", semanticsDoc: 'dst[i] = lut[lut](a[i])' }),

  // ---- neuron dynamics ----
  def({ mnemonic: 'lpf', opcode: 0x20, fields: [field('x', 'vaddr', 8, 16), field('in', 'vaddr', 36, 16), len, k32, sh], vectors: 'x:rw in:r', charges: { lpf: 'len' },
    description: 'Low-pass filter with an immediate rate k / 2^sh (e.g. rbar_in, k = dt / tau_in)', semanticsDoc: 'x[i] = sat(x[i] + rnd(k * sat(in[i] - x[i]), sh))' }),
  def({ mnemonic: 'leak', opcode: 0x21, fields: [field('u', 'vaddr', 8, 16), field('drive', 'vaddr', 36, 16), field('kvec', 'vaddr', 72, 16), len, sh], vectors: 'u:rw drive:r kvec:r', charges: { leak: 'len' },
    description: 'Leaky integration with per-neuron rates kvec / 2^sh (dt / tau with mismatch)', semanticsDoc: 'u[i] = sat(u[i] + rnd(kvec[i] * sat(drive[i] - u[i]), sh))' }),
  def({ mnemonic: 'std', opcode: 0x22, fields: [field('v', 'vaddr', 8, 16), field('rbar', 'vaddr', 36, 16), len, field('lut', 'lut', 58, 6), k32, sh], vectors: 'v:rw rbar:r', charges: { std_update: 'len', lut: 'len' },
    description: 'Short-term-depression vesicle pools of depressing rows relax toward v_inf(rbar) (lut = v_inf)', semanticsDoc: 'v[i] = sat(v[i] + rnd(k * sat(lut[lut](rbar[i]) - v[i]), sh))' }),

  // ---- crossbar ----
  crossbarProduct('mvm', 0x30, false, false, 'Forward matrix-vector product on a crossbar block: input on rows (DACs), output on columns (ADCs)'),
  crossbarProduct('mvm.acc', 0x31, false, true, 'Forward matrix-vector product added to dst (partial sums of a matrix tiled over row blocks)'),
  crossbarProduct('mvmt', 0x32, true, false, 'Transposed matrix-vector product on a crossbar block: input on columns, output on rows (errors)'),
  crossbarProduct('mvmt.acc', 0x33, true, true, 'Transposed matrix-vector product added to dst'),
  outerProduct('outer.rn', 0x34, 'rn', 'Outer-product plasticity on a crossbar block, round to nearest (eta is folded into a by vmuli)'),
  outerProduct('outer.sr', 0x35, 'sr', 'Outer-product plasticity on a crossbar block, stochastic rounding (keeps small updates in expectation)'),

  // ---- routes and ports ----
  def({ mnemonic: 'send', opcode: 0x40, fields: [field('route', 'route', 36, 12), field('src', 'vaddr', 8, 16), len], vectors: 'src:r', charges: { send: 'len' },
    description: 'Send a vector on a route to another core (arrives after the route delay)', semanticsDoc: 'route[route] <- src[0 .. len)' }),
  arrival('recv', 0x41, field('route', 'route', 36, 12), { recv: 'len' }, 'Take the vector at the output of a route delay line', 'dst[0 .. len) = delayed(route[route])'),
  arrival('in', 0x42, field('port', 'port', 36, 12), { io: 'len' }, "Read this tick's value of an input port (stimulus rates)", 'dst[0 .. len) = input[port]'),
  arrival('tgt', 0x43, field('port', 'port', 36, 12), { io: 'len' }, "Read this tick's value of a target port (u* of nudged outputs)", 'dst[0 .. len) = target[port]'),
  def({ mnemonic: 'probe', opcode: 0x44, fields: [field('probe', 'probe', 36, 12), field('src', 'vaddr', 8, 16), len], vectors: 'src:r', charges: { io: 'len' },
    description: 'Record a vector for the host', semanticsDoc: 'probe[probe] <- src[0 .. len)' }),
] as const;

// ---------------------------------------------------------------------------------------------
// Types derived from the table
// ---------------------------------------------------------------------------------------------

type AnySpec = (typeof TABLE)[number];
export type Mnemonic = AnySpec['mnemonic'];

type FieldNamesOf<S> = S extends { readonly fields: readonly (infer F)[] } ? (F extends { readonly name: infer N extends string } ? N : never) : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type InstrOf<S> = S extends { readonly mnemonic: infer M } ? Simplify<{ readonly op: M } & { readonly [K in FieldNamesOf<S>]: number }> : never;

/** One decoded instruction: its mnemonic and one integer per field, e.g. `{ op: 'vadd', dst: 0, a: 16, b: 32, len: 16 }`. */
export type Instr = InstrOf<AnySpec>;
/** The instruction with mnemonic M. */
export type InstrFor<M extends Mnemonic> = Extract<Instr, { readonly op: M }>;

/** Any instruction-shaped object (what generic code handles before it is checked against the table). */
export interface LooseInstr {
  readonly op: string;
  readonly [field: string]: string | number;
}

// ---------------------------------------------------------------------------------------------
// Lookups derived from the table
// ---------------------------------------------------------------------------------------------

export const SPECS: readonly InstrSpec[] = TABLE;
export const MNEMONICS: readonly Mnemonic[] = TABLE.map((s) => s.mnemonic);
/** Every opcode the table defines, in table order: the emulator must dispatch each (its handler test iterates this). */
export const OPCODES: readonly number[] = TABLE.map((s) => s.opcode);

const byMnemonic = new Map<string, InstrSpec>(SPECS.map((s) => [s.mnemonic, s]));
const byOpcode = new Map<number, InstrSpec>(SPECS.map((s) => [s.opcode, s]));

export function specByMnemonic(m: string): InstrSpec | undefined {
  return byMnemonic.get(m);
}

export function specByOpcode(op: number): InstrSpec | undefined {
  return byOpcode.get(op);
}

/** Number of 64-bit words the instruction takes (2 if any field lies in the second word). */
export function instrWords(spec: InstrSpec): number {
  let top = ENCODING.opcode.lsb + ENCODING.opcode.width;
  for (const f of spec.fields) top = Math.max(top, f.lsb + f.width);
  return Math.ceil(top / ENCODING.wordBits);
}

/** The values a field can hold. */
export function fieldRange(f: FieldSpec): { min: number; max: number } {
  return f.signed ? { min: -(2 ** (f.width - 1)), max: 2 ** (f.width - 1) - 1 } : { min: 0, max: 2 ** f.width - 1 };
}

// ---------------------------------------------------------------------------------------------
// Formulas (charges, vector lengths): sums of products of field names and integers
// ---------------------------------------------------------------------------------------------

/** A formula as a sum of products; each factor is a field name or an integer. */
export type Formula = readonly (readonly (string | number)[])[];

export function parseFormula(text: string): Formula {
  const t = text.replace(/\s+/g, '');
  if (!/^\w+(\*\w+)*(\+\w+(\*\w+)*)*$/.test(t)) {
    throw new IsaError(`formula '${text}' is not a sum of products of field names and integers (e.g. 'rows*cols' or 'len + 1')`);
  }
  return t.split('+').map((term) => term.split('*').map((f) => (/^[0-9]+$/.test(f) ? Number(f) : f)));
}

/** The field names a formula uses. */
export function formulaNames(f: Formula): string[] {
  return f.flat().filter((x): x is string => typeof x === 'string');
}

export function evalFormula(f: Formula, values: (name: string) => number): number {
  let sum = 0;
  for (const term of f) {
    let p = 1;
    for (const factor of term) p *= typeof factor === 'number' ? factor : values(factor);
    sum += p;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// The cost model: one execution of an instruction charges each of its classes
//   cycles = fixed_cycles + ceil(cycles_per_element * count),  energy = energy_pj_per_event * count
// and costs the sum over its classes.
// ---------------------------------------------------------------------------------------------

/** Cycles of `count` events of class `cls` in one instruction (the class is charged, so its fixed cycles count even for 0 events). */
export function costCycles(spec: HwSpec, cls: CostClass, count: number): number {
  const c = spec.costs[cls];
  return c.fixed_cycles + Math.ceil(c.cycles_per_element * count);
}

/** Dynamic energy (pJ) of `count` events of class `cls`. */
export function costEnergyPj(spec: HwSpec, cls: CostClass, count: number): number {
  return spec.costs[cls].energy_pj_per_event * count;
}

const parsedCharges = new Map<InstrSpec, [CostClass, Formula][]>();

function chargesOf(spec: InstrSpec): [CostClass, Formula][] {
  let c = parsedCharges.get(spec);
  if (!c) {
    c = (Object.entries(spec.charges) as [CostClass, string][]).map(([cls, text]) => [cls, parseFormula(text)]);
    parsedCharges.set(spec, c);
  }
  return c;
}

/**
 * Events per charged class of one execution of `instr`, without a hw-spec. Counts of
 * PER_HOP_CLASSES are per hop (a route of h hops causes h times as many).
 */
export function chargeCounts(instr: Instr | LooseInstr): Partial<Record<CostClass, number>> {
  const spec = specByMnemonic(instr.op);
  if (!spec) throw new IsaError(`cannot cost unknown instruction '${instr.op}'`);
  const value = (name: string): number => {
    const v = (instr as LooseInstr)[name];
    if (typeof v !== 'number') throw new IsaError(`cannot cost ${instr.op}: its field '${name}' is not a number`);
    return v;
  };
  const counts: Partial<Record<CostClass, number>> = {};
  for (const [cls, f] of chargesOf(spec)) counts[cls] = evalFormula(f, value);
  return counts;
}

export interface ClassCost {
  /** events (word-hops for PER_HOP_CLASSES) */
  count: number;
  cycles: number;
  energyPj: number;
}

export interface InstrCost {
  cycles: number;
  energyPj: number;
  /** every class; the ones the instruction does not charge are all zero */
  byClass: Record<CostClass, ClassCost>;
}

/**
 * Cycles and dynamic energy of one execution of `instr` on `spec`. `hops` (default 1) is the
 * route length of a send: it multiplies the events and energy of PER_HOP_CLASSES, not their cycles.
 */
export function costOf(instr: Instr | LooseInstr, spec: HwSpec, hops = 1): InstrCost {
  if (!Number.isInteger(hops) || hops < 0) throw new IsaError(`hops must be a whole number >= 0, got ${hops}`);
  const counts = chargeCounts(instr);
  const byClass = Object.fromEntries(COST_CLASSES.map((c) => [c, { count: 0, cycles: 0, energyPj: 0 }])) as Record<CostClass, ClassCost>;
  let cycles = 0;
  let energyPj = 0;
  for (const [cls, n] of Object.entries(counts) as [CostClass, number][]) {
    const count = PER_HOP_CLASSES.includes(cls) ? n * hops : n;
    const c = { count, cycles: costCycles(spec, cls, n), energyPj: costEnergyPj(spec, cls, count) };
    byClass[cls] = c;
    cycles += c.cycles;
    energyPj += c.energyPj;
  }
  return { cycles, energyPj, byClass };
}

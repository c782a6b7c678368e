// Parsers of the section bodies after 'SPEC' (read.ts has checked every checksum and parsed the
// spec). Each checks counts and lengths against the spec's geometry and the bytes left before it
// allocates, checks cross-references (cores exist, blocks inside the crossbar, ...), and must
// consume its section exactly. Byte layouts: docs/image-format.md.
import { canonicalJson, type HwSpec } from '../hwspec/index.js';
import type { ImageCore, LutSlot, MatrixMap, MemoryInit, PortMap, ProbeMap, Route, Segment } from './types.js';
import { MATRIX_FLAGS, PORT_KINDS } from './layout.js';
import { GEOMETRY, type Cursor } from './cursor.js';

/** What the section parsers share: the spec, stored code widths and the cores read from 'CORE'. */
export interface Ctx {
  spec: HwSpec;
  widths: { weight: number; state: number; lut_out: number };
  cores: ImageCore[];
  byIndex: Map<number, ImageCore>;
}

/** Scales 2^-fracBits beyond this are no fixed-point format the spec can describe (frac_bits <= 64). */
const MAX_FRAC = 64;

export function readCores(c: Cursor, ctx: Ctx): void {
  const { mesh, core } = ctx.spec;
  const meshCores = mesh.cols * mesh.rows;
  const n = c.u32('core count');
  c.zeros(4);
  c.limit(n, meshCores, 'core count', `mesh (cols*rows)`);
  c.count(n, 16, 'core entries');
  for (let k = 0; k < n; k++) {
    c.at = `core entry ${k}`;
    const index = c.u32('core index');
    if (index >= meshCores) c.fail(`core index ${index} is outside the ${mesh.cols}x${mesh.rows} mesh (0..${meshCores - 1})`, GEOMETRY);
    if (ctx.byIndex.has(index)) c.fail(`core ${index} appears twice`);
    c.at = `core ${index}`;
    const memoryWords = c.u32('memoryWords');
    c.limit(memoryWords, core.vector_memory_words, 'memoryWords', 'core.vector_memory_words');
    const length = c.u32('program length');
    if (length > core.program_words) c.fail(`program length ${length} words exceeds the spec's core.program_words ${core.program_words}`, GEOMETRY);
    c.zeros(4);
    c.need(length * 8, 'program');
    const program = new Array<bigint>(length);
    for (let i = 0; i < length; i++) program[i] = c.u64('program word');
    const entry: ImageCore = { index, program, memoryWords, memory: [], crossbar: new Int32Array(0), luts: [] };
    ctx.cores.push(entry);
    ctx.byIndex.set(index, entry);
  }
  c.done();
}

/**
 * The common head of WGHT, MEMI and LUTS: the stored code width (must be the one the spec's
 * format needs) and one entry per core, in the order of 'CORE'. Calls `body` per core.
 */
function perCore(c: Cursor, ctx: Ctx, format: 'weight' | 'state' | 'lut_out', body: (core: ImageCore) => void): void {
  const width = c.u8('code width');
  const f = ctx.spec.formats[format];
  if (width !== ctx.widths[format]) c.fail(`code width ${width} bytes, but ${f.bits}-bit formats.${format} codes are stored in ${ctx.widths[format]}`);
  c.zeros(3);
  const n = c.u32('core count');
  if (n !== ctx.cores.length) c.fail(`${n} core entries, but section 'CORE' has ${ctx.cores.length}`);
  for (const core of ctx.cores) {
    c.at = `core ${core.index}`;
    const index = c.u32('core index');
    if (index !== core.index) c.fail(`entry is for core ${index}, but the entry at this position in section 'CORE' is core ${core.index}`);
    body(core);
  }
  c.done();
}

export function readWeights(c: Cursor, ctx: Ctx): void {
  const { rows, cols } = ctx.spec.core.crossbar;
  perCore(c, ctx, 'weight', (core) => {
    const cells = c.u32('crossbar size');
    if (cells !== rows * cols) c.fail(`crossbar of ${cells} codes, but the spec's crossbar is ${rows}x${cols} = ${rows * cols}`, GEOMETRY);
    core.crossbar = c.codes(cells, ctx.widths.weight, ctx.spec.formats.weight, 'weight', 'crossbar');
  });
}

export function readMemory(c: Cursor, ctx: Ctx): void {
  perCore(c, ctx, 'state', (core) => {
    const n = c.u32('memory init count');
    c.count(n, 12, 'memory inits');
    const at = c.at;
    for (let j = 0; j < n; j++) {
      c.at = `${at} memory init ${j}`;
      const addr = c.u32('addr');
      const length = c.u32('length');
      const name = c.str('name');
      if (addr + length > core.memoryWords) {
        c.fail(`'${name}' covers words ${addr}..${addr + length - 1}, outside the core's ${core.memoryWords} memoryWords`, GEOMETRY);
      }
      const values = c.codes(length, ctx.widths.state, ctx.spec.formats.state, 'state', 'values');
      core.memory.push({ addr, values, name });
    }
    c.at = at;
    // two initial values for one word would be ambiguous
    const sorted = core.memory.filter((m) => m.values.length > 0).sort((a, b) => a.addr - b.addr);
    for (let j = 1; j < sorted.length; j++) {
      const [a, b] = [sorted[j - 1]!, sorted[j]!] as [MemoryInit, MemoryInit];
      if (a.addr + a.values.length > b.addr) c.fail(`memory inits '${a.name}' (words ${a.addr}..${a.addr + a.values.length - 1}) and '${b.name}' (from word ${b.addr}) overlap`);
    }
  });
}

export function readLuts(c: Cursor, ctx: Ctx): void {
  const { core: hw, formats } = ctx.spec;
  const state = formats.state;
  const stateMin = -(2 ** (state.bits - 1));
  const stateMax = 2 ** (state.bits - 1) - 1;
  perCore(c, ctx, 'lut_out', (core) => {
    const n = c.u32('lut count');
    c.limit(n, hw.lut_slots, 'lut count', 'core.lut_slots');
    c.count(n, 24, 'luts');
    const at = c.at;
    const seen = new Set<number>();
    for (let j = 0; j < n; j++) {
      c.at = `${at} lut ${j}`;
      const slot = c.u32('slot');
      if (slot >= hw.lut_slots) c.fail(`slot ${slot} is outside the spec's core.lut_slots (0..${hw.lut_slots - 1})`, GEOMETRY);
      if (seen.has(slot)) c.fail(`slot ${slot} is used twice on this core`);
      seen.add(slot);
      c.at = `${at} lut slot ${slot}`;
      const xMin = c.i32In('xMin', stateMin, stateMax);
      // spacing 2^shift state codes: at most 2^31 for a 32-bit state
      const shift = c.i32In('shift', 0, 31);
      const outShift = c.i32In('outShift', -63, 63);
      const name = c.str('name');
      const entries = c.u32('entry count');
      if (entries !== hw.lut_entries) c.fail(`${entries} entries, but the spec's core.lut_entries is ${hw.lut_entries}`, GEOMETRY);
      const lut: LutSlot = { slot, name, xMin, shift, entries: c.codes(entries, ctx.widths.lut_out, formats.lut_out, 'lut_out', 'entries'), outShift };
      core.luts.push(lut);
    }
    c.at = at;
  });
}

export function readRoutes(c: Cursor, ctx: Ctx): Route[] {
  const { mesh, core: hw } = ctx.spec;
  const n = c.u32('route count');
  c.count(n, 24, 'routes');
  const routes: Route[] = [];
  const ids = new Set<number>();
  for (let k = 0; k < n; k++) {
    c.at = `route entry ${k}`;
    const id = c.u32('id');
    if (ids.has(id)) c.fail(`route id ${id} appears twice`);
    ids.add(id);
    c.at = `route ${id}`;
    const [srcCore, dstCore, length, hops, delay] = [c.u32('srcCore'), c.u32('dstCore'), c.u32('length'), c.u32('hops'), c.u32('delay')];
    const src = coreAt(c, ctx, srcCore, 'source');
    const dst = coreAt(c, ctx, dstCore, 'destination');
    if (srcCore === dstCore) c.fail(`goes from core ${srcCore} to itself`);
    const distance = Math.abs((srcCore % mesh.cols) - (dstCore % mesh.cols)) + Math.abs(Math.floor(srcCore / mesh.cols) - Math.floor(dstCore / mesh.cols));
    if (hops !== distance) c.fail(`${hops} hops, but cores ${srcCore} and ${dstCore} are ${distance} apart in the ${mesh.cols}x${mesh.rows} mesh`);
    c.limit(delay, hw.delay_line_depth, 'delay', 'core.delay_line_depth');
    const room = Math.min(src.memoryWords, dst.memoryWords);
    if (length > room) c.fail(`sends ${length} words, more than the ${room} memoryWords of core ${src.memoryWords < dst.memoryWords ? srcCore : dstCore}`, GEOMETRY);
    routes.push({ id, srcCore, dstCore, length, hops, delay });
  }
  c.done();
  return routes;
}

function coreAt(c: Cursor, ctx: Ctx, index: number, role: string): ImageCore {
  const core = ctx.byIndex.get(index);
  if (!core) c.fail(`${role} core ${index} is not in the image (section 'CORE' has ${describeCores(ctx)})`);
  return core;
}

function describeCores(ctx: Ctx): string {
  if (ctx.cores.length === 0) return 'no cores';
  const list = ctx.cores.slice(0, 8).map((k) => k.index).join(', ');
  return `cores ${list}${ctx.cores.length > 8 ? ', ...' : ''}`;
}

function readSegments(c: Cursor, ctx: Ctx, size: number): Segment[] {
  const n = c.u32('segment count');
  c.count(n, 16, 'segments');
  const at = c.at;
  const out: Segment[] = [];
  for (let j = 0; j < n; j++) {
    c.at = `${at} segment ${j}`;
    const [core, offset, length] = [c.u32('core'), c.u32('offset'), c.u32('length')];
    const fracBits = c.i32In('fracBits', -MAX_FRAC, MAX_FRAC);
    const held = coreAt(c, ctx, core, 'its');
    if (offset + length > size) c.fail(`elements ${offset}..${offset + length - 1} lie beyond the population size ${size}`);
    if (length > held.memoryWords) c.fail(`${length} elements do not fit the ${held.memoryWords} memoryWords of core ${core}`, GEOMETRY);
    out.push({ core, offset, length, fracBits });
  }
  c.at = at;
  return out;
}

export function readPorts(c: Cursor, ctx: Ctx): PortMap[] {
  const n = c.u32('port count');
  c.count(n, 20, 'ports');
  const ports: PortMap[] = [];
  const ids = new Set<number>();
  for (let k = 0; k < n; k++) {
    c.at = `port entry ${k}`;
    const id = c.u32('id');
    if (ids.has(id)) c.fail(`port id ${id} appears twice`);
    ids.add(id);
    c.at = `port ${id}`;
    const kindCode = c.u8('kind');
    const kind = PORT_KINDS[kindCode];
    if (kind === undefined) c.fail(`kind code ${kindCode} is not one of ${PORT_KINDS.map((k, i) => `${i} (${k})`).join(', ')}`);
    c.zeros(3);
    const population = c.str('population');
    const size = c.u32('size');
    ports.push({ id, kind, population, size, segments: readSegments(c, ctx, size) });
  }
  c.done();
  return ports;
}

export function readProbes(c: Cursor, ctx: Ctx): ProbeMap[] {
  const n = c.u32('probe count');
  c.count(n, 20, 'probes');
  const probes: ProbeMap[] = [];
  const ids = new Set<number>();
  for (let k = 0; k < n; k++) {
    c.at = `probe entry ${k}`;
    const id = c.u32('id');
    if (ids.has(id)) c.fail(`probe id ${id} appears twice`);
    ids.add(id);
    c.at = `probe ${id}`;
    const population = c.str('population');
    const signal = c.str('signal');
    const size = c.u32('size');
    probes.push({ id, population, signal, size, segments: readSegments(c, ctx, size) });
  }
  c.done();
  return probes;
}

export function readMatrices(c: Cursor, ctx: Ctx): MatrixMap[] {
  const { rows: xRows, cols: xCols } = ctx.spec.core.crossbar;
  const n = c.u32('matrix count');
  c.count(n, 28, 'matrices');
  const matrices: MatrixMap[] = [];
  const names = new Set<string>();
  // Which block holds each crossbar cell (0 = free), per core, made when a block first lands on
  // the core: the cores and their crossbars have been read, so this is bounded by the spec and
  // by the file, and each cell is visited at most once before an overlap stops the loop.
  const owner = new Map<number, Uint32Array>();
  const blockNames: string[] = [''];
  for (let k = 0; k < n; k++) {
    c.at = `matrix entry ${k}`;
    const name = c.str('name');
    if (names.has(name)) c.fail(`matrix '${name}' appears twice`);
    names.add(name);
    c.at = `matrix '${name}'`;
    const rows = c.u32('rows');
    const cols = c.u32('cols');
    const scale = c.f64('scale');
    if (!(Number.isFinite(scale) && scale > 0)) c.fail(`scale ${scale} is not a positive number of codes per unit weight`);
    const flags = c.u8('flags');
    if (flags & ~(MATRIX_FLAGS.plastic | MATRIX_FLAGS.noSelf)) c.fail(`unknown flag bits ${flags} (version 1 knows 1 = plastic, 2 = noSelf)`);
    const noSelf = (flags & MATRIX_FLAGS.noSelf) !== 0;
    if (noSelf && rows !== cols) c.fail(`noSelf (no synapse from a neuron to itself) on a ${rows}x${cols} matrix, which is not square`);
    c.zeros(3);
    const nb = c.u32('block count');
    c.count(nb, 28, 'blocks');
    const blocks: MatrixMap['blocks'] = [];
    for (let j = 0; j < nb; j++) {
      c.at = `matrix '${name}' block ${j}`;
      const [core, pre0, post0, m, nn, xrow, xcol] = [c.u32('core'), c.u32('pre0'), c.u32('post0'), c.u32('m'), c.u32('n'), c.u32('xrow'), c.u32('xcol')];
      coreAt(c, ctx, core, 'its');
      if (pre0 + m > cols) c.fail(`presynaptic ${pre0}..${pre0 + m - 1} lie beyond the matrix's ${cols} columns`);
      if (post0 + nn > rows) c.fail(`postsynaptic ${post0}..${post0 + nn - 1} lie beyond the matrix's ${rows} rows`);
      if (xrow + m > xRows || xcol + nn > xCols) {
        c.fail(`crossbar rows ${xrow}..${xrow + m - 1} x cols ${xcol}..${xcol + nn - 1} lie outside the spec's ${xRows}x${xCols} crossbar`, GEOMETRY);
      }
      if (m > 0 && nn > 0) {
        let cells = owner.get(core);
        if (!cells) owner.set(core, (cells = new Uint32Array(xRows * xCols)));
        const id = blockNames.push(`block ${j} of matrix '${name}'`) - 1;
        for (let r = xrow; r < xrow + m; r++) {
          for (let q = r * xCols + xcol, end = q + nn; q < end; q++) {
            if (cells[q] !== 0) c.fail(`overlaps ${blockNames[cells[q]!]} on core ${core} at crossbar row ${r}, col ${q - r * xCols}`);
            cells[q] = id;
          }
        }
      }
      if (noSelf) {
        // the diagonal W[i][i], i in both the pre and the post range of the block, must be 0
        const crossbar = ctx.byIndex.get(core)!.crossbar;
        for (let i = Math.max(pre0, post0); i < Math.min(pre0 + m, post0 + nn); i++) {
          const [r, q] = [xrow + i - pre0, xcol + i - post0];
          const w = crossbar[r * xCols + q]!;
          if (w !== 0) c.fail(`noSelf, but the self-synapse W[${i}][${i}] (core ${core}, crossbar row ${r}, col ${q}) holds code ${w}, not 0`);
        }
      }
      blocks.push({ core, pre0, post0, m, n: nn, xrow, xcol });
    }
    matrices.push({ name, rows, cols, scale, plastic: (flags & MATRIX_FLAGS.plastic) !== 0, noSelf, blocks });
  }
  c.done();
  return matrices;
}

export function readMetadata(c: Cursor): Record<string, unknown> {
  const text = c.text(c.left, 'metadata');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    c.fail(`metadata is not JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) c.fail('metadata is not a JSON object');
  // the writer's form only (see readTable in read.ts): keys sorted, no whitespace
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch {
    c.fail('metadata is nested too deeply to be read'); // JSON.parse is iterative, canonicalJson recursive
  }
  if (canonical !== text) c.fail('metadata is not in canonical JSON form (keys sorted, no whitespace)');
  c.done();
  return value as Record<string, unknown>;
}

// Pass `encode`: scheduled, quantized Machine -> Image. Each task becomes one or two instructions
// of the ISA table (plastic ones behind a `jz` on the core's learning-enable flag), real constants
// become immediates with shifts, weights become crossbar codes, transfer functions become
// interpolated lookup tables over the range the calibration saw, and buffers with initial values
// become memory inits. Everything here is a function of its inputs: same input, same bytes.
import { UserError } from '../common/errors.js';
import { codeRange, hwSpecHash, canonicalJson, type HwSpec } from '../hwspec/index.js';
import { encodeProgram, wordsOf, type LooseInstr } from '../isa/index.js';
import { tableValue } from '../network/activations.js';
import type { NetworkIR } from '../network/ir.js';
import type { Machine, Task } from '../ir/machine.js';
import type { LutFn } from '../ir/program.js';
import { IMAGE_FLAGS, IMAGE_FORMAT_VERSION, type Image, type ImageCore, type LutSlot } from '../image/types.js';

export const COMPILER_VERSION = '0.1.0';

/** imm * 2^-sh ~ k with |imm| < 2^bits: the most precise pair; sh in 0..63 */
export function immediate(k: number, bits: number): { imm: number; sh: number; error: number } {
  if (k === 0) return { imm: 0, sh: 0, error: 0 };
  const sh = Math.max(0, Math.min(63, Math.floor(bits - 1 - Math.log2(Math.abs(k)))));
  const imm = Math.round(k * 2 ** sh);
  if (Math.abs(imm) >= 2 ** bits) throw new UserError(`the constant ${k} does not fit a ${bits}-bit immediate`);
  return { imm, sh, error: Math.abs(imm * 2 ** -sh - k) / Math.abs(k) };
}

function lutName(fn: LutFn): string {
  return fn.activation === 'std_vinf' ? 'std_vinf' : `${fn.activation}${"'".repeat(fn.derivative)}`;
}

function lutKey(fn: LutFn): string {
  return JSON.stringify([fn.activation, fn.derivative, fn.clipMax, fn.stdA, fn.stdD]);
}

export function encode(m: Machine, spec: HwSpec, net: NetworkIR): Image {
  const q = m.program.quant;
  const s = m.schedule;
  if (!q || !s) throw new Error("encode needs the outputs of 'quantize' and 'schedule'");
  const F = q.stateFrac;
  const code = (x: number) => Math.round(x * 2 ** F);
  // products in the vector unit are accumulator-wide: the immediate gets what the state leaves
  const immBits = Math.max(8, Math.min(31, spec.formats.accumulator.bits - spec.formats.state.bits));
  const warnings = [...q.warnings];
  const imm = (k: number, what: string) => {
    const r = immediate(k, immBits);
    if (r.error > 0.01) warnings.push(`${what}: the constant ${k.toPrecision(4)} is represented as ${r.imm}/2^${r.sh} (${(r.error * 100).toFixed(1)}% off)`);
    return r;
  };
  const wf = spec.formats.weight;
  const wRange = codeRange(wf);
  const lutOut = spec.formats.lut_out;
  const lutRange = codeRange(lutOut);
  const n = spec.core.lut_entries;

  // ---- lookup tables: one slot per transfer function used on a core ----
  const slotOf = new Map<string, number>(); // `${core}|${key}` -> slot
  const luts: LutSlot[][] = Array.from({ length: m.cores }, () => []);
  const lutDomain = new Map<string, number>(); // `${core}|${key}` -> max |x|
  const usesTable = (t: Task): t is Extract<Task, { t: 'vec' }> => t.t === 'vec' && (t.op === 'lut' || t.op === 'std');
  for (const t of m.tasks) {
    if (!usesTable(t)) continue;
    const src = m.buffers[t.a!]!.home?.vector;
    const k = `${t.core}|${lutKey(t.fn!)}`;
    lutDomain.set(k, Math.max(lutDomain.get(k) ?? 0, src === undefined ? 1 : q.vectors[src]!.reach));
  }
  for (const t of m.tasks) {
    if (!usesTable(t)) continue;
    const k = `${t.core}|${lutKey(t.fn!)}`;
    if (slotOf.has(k)) continue;
    const slot = luts[t.core]!.length;
    if (slot >= spec.core.lut_slots) {
      const names = [...new Set(m.tasks.filter((x) => usesTable(x) && x.core === t.core).map((x) => lutName((x as { fn: LutFn }).fn)))];
      throw new UserError(
        `core ${t.core} needs ${names.length} lookup tables (${names.join(', ')}), hw-spec '${spec.name}' has core.lut_slots = ${spec.core.lut_slots}. Use one activation per core's populations, or a spec with more lookup-table slots`,
      );
    }
    slotOf.set(k, slot);
    // the domain: the calibrated range with headroom, as a power of two of state codes
    const reach = Math.max(1, lutDomain.get(k)! * 1.25) * 2 ** F;
    const shift = Math.max(0, Math.ceil(Math.log2((2 * reach) / (n - 1))));
    const xMin = -(2 ** shift) * Math.floor((n - 1) / 2);
    const entries = new Int32Array(n);
    for (let e = 0; e < n; e++) {
      const x = (xMin + e * 2 ** shift) * 2 ** -F;
      const y = Math.round(tableValue(t.fn!, x) * 2 ** lutOut.frac_bits);
      entries[e] = Math.max(lutRange.min, Math.min(lutRange.max, y));
    }
    luts[t.core]!.push({ slot, name: lutName(t.fn!), xMin, shift, entries, outShift: F - lutOut.frac_bits });
  }

  // ---- instructions ----
  const flagAddr = new Map<number, number>();
  const plasticPort = m.ports.findIndex((p) => p.kind === 'plastic');
  if (plasticPort >= 0) for (const g of m.ports[plasticPort]!.segments) flagAddr.set(g.core, s.addr[g.buffer]!);
  const at = (b: number) => s.addr[b]!;
  const len = (b: number) => m.buffers[b]!.length;
  const outerRound = spec.rounding.weight_update === 'stochastic' ? 'outer.sr' : 'outer.rn';
  const unsignedDac = spec.dac.range.min >= 0;
  const adcOffsets = spec.adc.offset !== 0 || (spec.mismatch.enabled && spec.mismatch.adc_offset_std_lsb > 0);
  // scratch vectors after each core's buffers, for the two-read products of an unsigned DAC
  const memoryWords = [...s.memoryWords];
  const scratchAt = new Map<number, { neg: number; out: number }>();
  // (as long as the longest input a product drives: a slice, or the copies of a replicated block's input)
  const S = Math.max(m.program.tiling!.sliceSize, ...m.blocks.map((B) => Math.max(B.m * (B.replicas ?? 1), B.n * (B.colReplicas ?? 1))));
  const scratch = (core: number) => {
    if (!scratchAt.has(core)) {
      scratchAt.set(core, { neg: memoryWords[core]!, out: memoryWords[core]! + S });
      memoryWords[core]! += 2 * S;
      if (memoryWords[core]! > spec.core.vector_memory_words)
        throw new UserError(`core ${core} needs ${memoryWords[core]} words of vector memory with the scratch of its two-read crossbar products (the DAC of hw-spec '${spec.name}' is unsigned), the spec has ${spec.core.vector_memory_words}. Use a spec with more vector memory`);
    }
    return scratchAt.get(core)!;
  };

  const instrsOf = (task: Task): LooseInstr[] => {
    const what = task.from >= 0 ? `op ${task.from} (${m.program.ops[task.from]!.op})` : task.t;
    switch (task.t) {
      case 'port':
        return [{ op: m.ports[task.port]!.kind === 'target' ? 'tgt' : 'in', port: task.port, dst: at(task.dst), len: len(task.dst) }];
      case 'probe':
        return [{ op: 'probe', probe: task.probe, src: at(task.src), len: len(task.src) }];
      case 'send':
        return [{ op: 'send', route: task.route, src: at(task.src), len: len(task.src) }];
      case 'recv':
        return [{ op: 'recv', route: task.route, dst: at(task.dst), len: len(task.dst) }];
      case 'mvm': {
        const B = m.blocks[task.block]!;
        const { shi, sho } = q.mvm[task.from]!;
        const base = task.transpose ? 'mvmt' : 'mvm';
        // k copies of the block (pass replicate) sum k times the product: the output shift takes log2 k
        const k = task.replicas ?? 1;
        const block = { row: B.xrow, col: B.xcol, rows: task.transpose ? B.m : B.m * k, cols: task.transpose ? B.n * k : B.n, shi, sho: sho - Math.log2(k) };
        const first: LooseInstr = { op: `${base}${task.accumulate ? '.acc' : ''}`, dst: at(task.dst), src: at(task.src), ...block };
        const src = m.program.ops[task.from] as { x: number };
        // a transposed read carries an error; an ADC offset (fixed per line) would stay in it as a
        // constant error that the plasticity integrates. A signed DAC reads x and -x at half the
        // output scale and subtracts: (W x + o) / 2 - (-W x + o) / 2 = W x, the offset cancels
        const differential = !unsignedDac && task.transpose && adcOffsets && block.sho > -32;
        if (!differential && (!unsignedDac || q.vectors[src.x]!.min >= 0)) return [first];
        // an unsigned DAC clips negative inputs: read the positive part, then the negative part
        // (which cancels the offsets too)
        const { neg, out } = scratch(task.core);
        const read = differential ? { ...block, sho: block.sho - 1 } : block;
        return [
          { op: 'vmuli', dst: neg, a: at(task.src), len: len(task.src), imm: -1, sh: 0 },
          { ...first, sho: read.sho },
          { op: base, dst: out, src: neg, ...read },
          { op: 'vsub', dst: at(task.dst), a: at(task.dst), b: out, len: len(task.dst) },
        ];
      }
      case 'outer': {
        // W_code += rate * scale * a x: a is pre-scaled by K = rate * scale * 2^(sh - 2F), then (a x) >> sh
        const B = m.blocks[task.block]!;
        const rate = m.program.matrices[B.matrix]!.rate * q.matrices[B.matrix]!.scale;
        let sh = 2 * F + Math.floor(Math.log2(0.5 / rate));
        if (sh > 63 || sh < 0) {
          warnings.push(`plasticity of '${m.program.matrices[B.matrix]!.name}': the update scale ${rate.toPrecision(3)} needs a shift of ${sh}; clamped to ${Math.max(0, Math.min(63, sh))}`);
          sh = Math.max(0, Math.min(63, sh));
        }
        const K = imm(rate * 2 ** (sh - 2 * F), `plasticity of '${m.program.matrices[B.matrix]!.name}'`);
        return [
          { op: 'vmuli', dst: at(task.tmp), a: at(task.a), len: B.m, imm: K.imm, sh: K.sh },
          { op: outerRound, a: at(task.tmp), x: at(task.x), row: B.xrow, col: B.xcol, rows: B.m, cols: B.n, sh },
        ];
      }
      case 'vec': {
        const d = at(task.dst);
        const l = len(task.dst);
        const a = task.a === undefined ? 0 : at(task.a);
        const b = task.b === undefined ? 0 : at(task.b);
        switch (task.op) {
          case 'set':
            return [{ op: 'vset', dst: d, len: l, imm: code(task.value!) }];
          case 'copy':
            return [{ op: 'vcopy', dst: d, a, len: l }];
          case 'tile': {
            // one copy, then each vcopy doubles what is there: log2(k) + 1 instructions, k * len words
            const n = len(task.a!);
            const out: LooseInstr[] = [{ op: 'vcopy', dst: d, a, len: n }];
            for (let have = n; have < l; have *= 2) out.push({ op: 'vcopy', dst: d + have, a: d, len: have });
            return out;
          }
          case 'add':
          case 'sub':
            return [{ op: task.op === 'add' ? 'vadd' : 'vsub', dst: d, a, b, len: l }];
          case 'mul':
            return [{ op: 'vmul', dst: d, a, b, len: l, sh: F }];
          case 'scale': {
            const k = imm(task.k!, what);
            return [{ op: 'vmuli', dst: d, a, len: l, imm: k.imm, sh: k.sh }];
          }
          case 'axpy': {
            const k = imm(task.k!, what);
            return [{ op: 'vaxpy', dst: d, a, b, len: l, imm: k.imm, sh: k.sh }];
          }
          case 'lut':
            return [{ op: 'vlut', dst: d, a, len: l, lut: slotOf.get(`${task.core}|${lutKey(task.fn!)}`)! }];
          case 'lpf':
          case 'leak': {
            const k = imm(task.k!, what);
            return [{ op: 'lpf', x: d, in: a, len: l, k: k.imm, sh: k.sh }];
          }
          case 'std': {
            const k = imm(task.k!, what);
            return [{ op: 'std', v: d, rbar: a, len: l, lut: slotOf.get(`${task.core}|${lutKey(task.fn!)}`)!, k: k.imm, sh: k.sh }];
          }
        }
      }
    }
  };

  const programs: LooseInstr[][] = s.order.map((seq, core) => {
    const out: LooseInstr[] = [];
    let words = 0;
    const push = (i: LooseInstr) => {
      out.push(i);
      words += wordsOf(i);
    };
    for (const id of seq) {
      if (id < 0) {
        push({ op: 'barrier' });
        continue;
      }
      const task = m.tasks[id]!;
      const body = instrsOf(task);
      if (task.plastic) {
        const bodyWords = body.reduce((w, i) => w + wordsOf(i), 0);
        push({ op: 'jz', flag: flagAddr.get(core)!, target: words + wordsOf({ op: 'jz', flag: 0, target: 0 }) + bodyWords });
      }
      body.forEach(push);
    }
    push({ op: 'halt' });
    if (words > spec.core.program_words)
      throw new UserError(
        `core ${core} needs ${words} program words, hw-spec '${spec.name}' has core.program_words = ${spec.core.program_words}. Use a spec with longer programs or more cores${(m.replication?.blocks.length ?? 0) > 0 ? ' (replicated crossbar blocks add the instructions that copy their inputs: --no-replicate removes them)' : ''}`,
      );
    return out;
  });

  // ---- crossbars and memory ----
  const cores: ImageCore[] = programs.map((prog, core) => ({
    index: core,
    program: encodeProgram(prog),
    memoryWords: memoryWords[core]!,
    memory: [],
    crossbar: new Int32Array(spec.core.crossbar.rows * spec.core.crossbar.cols),
    luts: luts[core]!,
  }));
  for (const B of m.blocks) {
    const M = m.program.matrices[B.matrix]!;
    const scale = q.matrices[B.matrix]!.scale;
    const X = cores[B.core]!.crossbar;
    // with copies (pass replicate): a grid of them, replicas down and colReplicas across
    for (let copyR = 0; copyR < (B.replicas ?? 1); copyR++)
      for (let copyC = 0; copyC < (B.colReplicas ?? 1); copyC++)
        for (let r = 0; r < B.m; r++)
          for (let c = 0; c < B.n; c++) {
            const w = M.init[(B.post0 + c) * M.cols + B.pre0 + r]!;
            X[(B.xrow + copyR * B.m + r) * spec.core.crossbar.cols + B.xcol + copyC * B.n + c] = Math.max(wRange.min, Math.min(wRange.max, Math.round(w * scale)));
          }
  }
  m.buffers.forEach((b, id) => {
    const values = new Int32Array(b.length);
    const sRange = codeRange(spec.formats.state);
    let any = false;
    for (let i = 0; i < b.length; i++) {
      const v = typeof b.init === 'number' ? b.init : b.init[i]!;
      values[i] = Math.max(sRange.min, Math.min(sRange.max, code(v)));
      any ||= values[i] !== 0;
    }
    if (any) cores[b.core]!.memory.push({ addr: s.addr[id]!, values, name: b.name });
  });

  const plastic = m.tasks.some((t) => t.t === 'outer' || t.plastic);
  const segments = (segs: { core: number; offset: number; length: number }[]) => segs.map((g) => ({ core: g.core, offset: g.offset, length: g.length, fracBits: F }));
  return {
    header: { formatVersion: IMAGE_FORMAT_VERSION, hwSpecName: spec.name, hwSpecHash: hwSpecHash(spec), dt: m.program.dt, flags: plastic ? IMAGE_FLAGS.plastic : 0 },
    hwSpecJson: canonicalJson(spec),
    cores,
    routes: m.routes.map((r, id) => ({ id, srcCore: r.src, dstCore: r.dst, length: r.length, hops: r.hops, delay: r.delay })),
    ports: m.ports.map((p, id) => ({ id, kind: p.kind, population: p.population, size: p.size, segments: segments(p.segments) })),
    probes: m.probes.map((p, id) => ({ id, population: p.population, signal: p.signal, size: p.size, segments: segments(p.segments) })),
    matrices: m.program.matrices.map((M, i) => ({
      name: M.name,
      rows: M.rows,
      cols: M.cols,
      scale: q.matrices[i]!.scale,
      plastic: M.rate !== 0,
      noSelf: M.noSelf,
      blocks: m.blocks.filter((B) => B.matrix === i).map((B) => ({ core: B.core, pre0: B.pre0, post0: B.post0, m: B.m, n: B.n, xrow: B.xrow, xcol: B.xcol })),
    })),
    metadata: {
      network: net.name,
      networkSha256: net.sourceHash,
      compiler: `nla ${COMPILER_VERSION}`,
      scheme: m.program.scheme,
      levels: s.levels,
      calibrationTicks: q.calibrationTicks,
      replication: replicationMetadata(m),
      tensors: m.program.vectors.map((v, i) => ({ name: v.name, ...q.vectors[i]! })),
      warnings,
    },
  };
}

/** what pass replicate decided, for the image metadata: the cap and every block written more than once */
export interface ReplicationMetadata {
  maxReplicas: number;
  /** replicas: copies down the rows (forward reads); colReplicas: across the columns (transposed reads); limit, colLimit: what stopped more */
  blocks: { projection: string; core: number; pre0: number; post0: number; m: number; n: number; xrow: number; xcol: number; replicas: number; limit: string; colReplicas: number; colLimit: string }[];
}

function replicationMetadata(m: Machine): ReplicationMetadata {
  const r = m.replication ?? { maxReplicas: 1, blocks: [] };
  return {
    maxReplicas: r.maxReplicas,
    blocks: r.blocks.map(({ block, replicas, limit, colReplicas, colLimit }) => {
      const B = m.blocks[block]!;
      return { projection: m.program.matrices[B.matrix]!.name, core: B.core, pre0: B.pre0, post0: B.post0, m: B.m, n: B.n, xrow: B.xrow, xcol: B.xcol, replicas, limit, colReplicas, colLimit };
    }),
  };
}

// Pass `replicate`: raise small line sums into the ADC's range with idle crossbar lines. An ADC
// gain sized for long lines (hxtorch's 0.002 per LSB product suits 128-row sums) leaves a product
// over a few lines a handful of ADC codes. Written k times along the summed direction (the same
// codes) and driven by k copies of its input, a block sums k times the product on each output
// line: k times the signal for the same ADC step, read noise and offset. Forward reads sum over
// rows, so their copies go one under the other (`replicas`); transposed reads (errors) sum over
// columns, so theirs go side by side (`colReplicas`); a block with both is a grid of copies, and
// each read uses its own band of it. k is a power of two, so the output shift absorbs it exactly
// (sho - log2 k). Per non-plastic block and direction, k is the largest power of two that
//   - keeps the line sum of a saturated DAC, with the headroom quantize uses (HEADROOM), inside
//     the ADC's range: HEADROOM x (largest sum of |weight code| over one output line) x (largest
//     DAC input) x k x ADC gain <= ADC range. The bound holds whatever the inputs do (the DAC clamps
//     them, and plastic blocks, whose weights move, are not copied). A calibrated range would not:
//     with the calibrated output range (x 1.25) of the chain's products, a 2000-tick run after the
//     default 200-tick calibration clipped the ADC 2767 times on high-precision; and the errors of
//     transposed reads carry quantization noise on the chip that no f64 calibration sees;
//   - fits the crossbar of the block's core: the blocks of a core (with their copies) are packed
//     again as place_route packs them (bottom-left, in block order); while they do not all fit,
//     the direction of the block with the most copies (then the largest area) gives up half,
//   - is at most maxReplicas (compile option; 1 switches the pass off),
//   - keeps the output shift inside its field (sho - log2 k >= -32).
// Plastic blocks are never copied (stochastic rounding would make the copies drift apart, and
// their weights move past any bound made at compile time). The copies of an input are a 'tile' task on the block's core, made once per new
// value of the input (encode: one vcopy, then doubling vcopies), before the first read that needs
// them; the copies and the extra DAC drives are instructions like any other, counted and charged
// by the emulator and the static estimate.
import { UserError } from '../common/errors.js';
import type { HwSpec } from '../hwspec/index.js';
import { taskOperands, type Block, type Buffer, type Machine, type Replication, type Task } from '../ir/machine.js';
import { Crossbar } from './place-route.js';
import { HEADROOM } from './quantize.js';

export const DEFAULT_MAX_REPLICAS = 32;
/** the most copies a compile option may ask for (the instruction's row and column counts have 12 bits) */
export const MAX_REPLICAS_LIMIT = 4096;

export interface ReplicateOptions {
  /** largest number of copies of a block in each direction (a power of two; 1 switches replication off; default 32) */
  maxReplicas?: number;
}

/** checks a --max-replicas value: a power of two in 1 .. 4096 */
export function checkMaxReplicas(k: number, what = 'maxReplicas'): number {
  if (!Number.isInteger(k) || k < 1 || k > MAX_REPLICAS_LIMIT || (k & (k - 1)) !== 0)
    throw new UserError(`${what}: ${k} is not a power of two from 1 to ${MAX_REPLICAS_LIMIT} (the most copies of a crossbar block; 1 switches replication off)`);
  return k;
}

type Mvm = Extract<Task, { t: 'mvm' }>;
type Limit = Replication['limit'];
type Want = { j: number; limit: Limit };

/** log2 of the copies one read may sum, and what bounds it (crossbar space aside) */
function readWant(m: Machine, spec: HwSpec, task: Mvm, jCap: number): Want {
  const q = m.program.quant!;
  const B = m.blocks[task.block]!;
  const M = m.program.matrices[B.matrix]!;
  const scale = q.matrices[B.matrix]!.scale;
  // output lines: columns forward (sum over the block's m rows), rows transposed (over its n columns)
  const [outs, ins] = task.transpose ? [B.m, B.n] : [B.n, B.m];
  let lineCodes = 0; // the largest sum of |weight code| over one output line
  for (let o = 0; o < outs; o++) {
    let s = 0;
    for (let i = 0; i < ins; i++) s += Math.abs(Math.round(scale * (task.transpose ? M.init[(B.post0 + i) * M.cols + B.pre0 + o]! : M.init[(B.post0 + o) * M.cols + B.pre0 + i]!)));
    lineCodes = Math.max(lineCodes, s);
  }
  // the largest input code the DAC passes (an unsigned DAC reads the negative part in a second pass)
  const dacReach = spec.dac.range.min >= 0 ? spec.dac.range.max : Math.max(spec.dac.range.max, -spec.dac.range.min);
  const adcMax = Math.min(spec.adc.range.max, -spec.adc.range.min);
  const codes = HEADROOM * lineCodes * Math.abs(spec.dac.gain) * (dacReach + Math.abs(spec.dac.offset)) * spec.adc.gain;
  const bounds: Want[] = [
    { j: codes > 0 ? Math.floor(Math.log2(adcMax / codes)) : 0, limit: 'adc' }, // no weights: nothing to raise
    { j: q.mvm[task.from]!.sho + 32, limit: 'shift' },
    { j: jCap, limit: 'cap' },
  ];
  return bounds.reduce((a, b) => (b.j < a.j ? b : a));
}

export function replicate(m: Machine, spec: HwSpec, opts: ReplicateOptions = {}): Machine {
  const maxReplicas = checkMaxReplicas(opts.maxReplicas ?? DEFAULT_MAX_REPLICAS);
  const q = m.program.quant;
  if (maxReplicas === 1 || !q) return { ...m, replication: { maxReplicas, blocks: [] } };
  const jCap = Math.log2(maxReplicas);

  // ---- what each read wants; a block's target per direction is its most demanding read ----
  const readJ = new Map<number, number>(); // task index -> log2 copies wanted
  const target = m.blocks.map(() => [undefined, undefined] as (Want | undefined)[]); // [forward, transposed]
  m.tasks.forEach((t, k) => {
    if (t.t !== 'mvm' || m.program.matrices[m.blocks[t.block]!.matrix]!.rate !== 0) return;
    const w = readWant(m, spec, t, jCap);
    readJ.set(k, Math.max(0, w.j));
    const d = Number(t.transpose);
    const cur = target[t.block]![d];
    if (!cur || w.j > cur.j) target[t.block]![d] = w;
  });

  // ---- crossbar space: each core's blocks, with their copies, packed again; halve until they fit ----
  const { rows, cols } = spec.core.crossbar;
  const copies = m.blocks.map((B, b) => [0, 1].map((d) => {
    let k = 2 ** Math.max(0, target[b]![d]?.j ?? 0);
    while (k > 1 && k * (d === 0 ? B.m : B.n) > (d === 0 ? rows : cols)) k /= 2;
    return k;
  })); // [row copies, column copies]
  const squeezed = m.blocks.map((B, b) => [0, 1].map((d) => copies[b]![d]! < 2 ** Math.max(0, target[b]![d]?.j ?? 0)));
  const at = m.blocks.map((B) => ({ r: B.xrow, c: B.xcol }));
  for (let core = 0; core < m.cores; core++) {
    const mine = m.blocks.flatMap((B, b) => (B.core === core ? [b] : []));
    if (!mine.some((b) => copies[b]![0]! * copies[b]![1]! > 1)) continue; // place_route's packing stands
    for (;;) {
      const xbar = new Crossbar(rows, cols);
      const places = mine.map((b) => xbar.fit(copies[b]![0]! * m.blocks[b]!.m, copies[b]![1]! * m.blocks[b]!.n));
      if (places.every((p) => p !== undefined)) {
        mine.forEach((b, i) => (at[b] = places[i]!));
        break;
      }
      // the direction with the most copies gives up half (ties: the larger area, then the later block)
      let best: [number, number] | undefined;
      const area = (b: number) => copies[b]![0]! * copies[b]![1]! * m.blocks[b]!.m * m.blocks[b]!.n;
      for (const b of mine)
        for (const d of [0, 1])
          if (copies[b]![d]! > 1 && (!best || copies[b]![d]! > copies[best[0]]![best[1]]! || (copies[b]![d]! === copies[best[0]]![best[1]]! && area(b) >= area(best[0])))) best = [b, d];
      // place_route packed these blocks with one copy each in this order, so halving ends
      if (!best) throw new Error(`replicate: the blocks of core ${core} do not fit even without copies`);
      copies[best[0]]![best[1]]! /= 2;
      squeezed[best[0]]![best[1]] = true;
    }
  }
  const blocks: Block[] = m.blocks.map((B, b) => {
    const [kr, kc] = copies[b]!;
    if (kr === 1 && kc === 1) return at[b]!.r === B.xrow && at[b]!.c === B.xcol ? B : { ...B, xrow: at[b]!.r, xcol: at[b]!.c };
    return { ...B, xrow: at[b]!.r, xcol: at[b]!.c, ...(kr! > 1 ? { replicas: kr } : {}), ...(kc! > 1 ? { colReplicas: kc } : {}) };
  });
  const limitOf = (b: number, d: number): Limit => (squeezed[b]![d] ? 'space' : target[b]![d]?.limit ?? 'none');
  const record: Replication[] = [];
  copies.forEach(([kr, kc], b) => {
    if (kr! > 1 || kc! > 1) record.push({ block: b, replicas: kr!, limit: limitOf(b, 0), colReplicas: kc!, colLimit: limitOf(b, 1) });
  });

  // ---- tasks: a read of k > 1 copies drives a tiled input, tiled again after its source changes ----
  const buffers: Buffer[] = [...m.buffers];
  const tasks: Task[] = [];
  const tiles = new Map<string, number>(); // `${src}:${k}:${plastic}` -> buffer
  const current = new Set<string>(); // tiles that hold their source's present value
  const keysOf = new Map<number, string[]>(); // src -> its tile keys
  m.tasks.forEach((t, k) => {
    const n = t.t === 'mvm' && readJ.has(k) ? Math.min(copies[t.block]![Number(t.transpose)]!, 2 ** readJ.get(k)!) : 1;
    if (t.t === 'mvm' && n > 1) {
      const key = `${t.src}:${n}:${t.plastic ? 1 : 0}`;
      let tile = tiles.get(key);
      if (tile === undefined) {
        const src = buffers[t.src]!;
        tile = buffers.push({ core: t.core, length: src.length * n, name: `${src.name}x${n}`, init: 0 }) - 1;
        tiles.set(key, tile);
        keysOf.set(t.src, [...(keysOf.get(t.src) ?? []), key]);
      }
      if (!current.has(key)) {
        tasks.push({ t: 'vec', op: 'tile', dst: tile, a: t.src, core: t.core, from: t.from, ...(t.plastic ? { plastic: true } : {}) });
        current.add(key);
      }
      tasks.push({ ...t, src: tile, replicas: n });
    } else tasks.push(t);
    for (const w of taskOperands(t).writes) for (const key of keysOf.get(w) ?? []) current.delete(key);
  });
  return { ...m, blocks, buffers, tasks, replication: { maxReplicas, blocks: record } };
}

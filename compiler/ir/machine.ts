// The Machine IR: the Program IR cut to the chip. Every vector is split into per-core slices
// (buffers), every matrix into crossbar blocks, and one tick becomes a list of tasks, each on
// one core: vector ops on local buffers, crossbar products and updates on local blocks, sends and
// receives on routes between cores, port reads and probes. Values are still real numbers here;
// `encode` turns tasks into instructions with the formats `quantize` chose. place_route builds
// it, schedule orders it (levels separated by barriers) and gives buffers addresses.
// Executed in f64 (interpret-machine.ts) it must match the Program IR to rounding.
import type { LutFn, Program } from './program.js';

export interface Buffer {
  core: number;
  length: number;
  /** e.g. "h1.u[0:250]", "x:in.rbar[0:196]@3" (a received copy) */
  name: string;
  /** the slice of a program vector this buffer is the home of (state lives here between ticks) */
  home?: { vector: number; offset: number };
  /** initial value (home buffers of state, param and const vectors) */
  init: number | Float64Array;
}

/** One crossbar block: W[post0 .. post0+n)[pre0 .. pre0+m) at crossbar rows xrow.., cols xcol.. */
export interface Block {
  matrix: number;
  /** pre slice index, post slice index */
  i: number;
  j: number;
  pre0: number;
  m: number;
  post0: number;
  n: number;
  core: number;
  xrow: number;
  xcol: number;
  /**
   * copies of the block written one under the other, rows xrow .. xrow + replicas * m (pass
   * `replicate`; absent: 1). A forward read of k of them drives each input row k times and sums k
   * times the product on each column line.
   */
  replicas?: number;
  /**
   * copies side by side, columns xcol .. xcol + colReplicas * n (absent: 1), for transposed reads,
   * which sum over columns. With both, the block is a grid of copies; forward reads use its first
   * column of copies, transposed reads its first row of copies. Plastic blocks have one copy.
   */
  colReplicas?: number;
}

/** What `replicate` decided for one block (recorded in the image metadata, printed by `nla compile`). */
export interface Replication {
  block: number;
  /** copies along the rows (forward reads) and what stopped a larger power of two */
  replicas: number;
  limit: ReplicationLimit;
  /** copies along the columns (transposed reads) and what stopped a larger power of two */
  colReplicas: number;
  colLimit: ReplicationLimit;
}

/** 'adc': its range (or nothing to raise); 'space': the crossbar (with the other blocks of the core); 'cap': maxReplicas; 'shift': the output shift field; 'none': no reads that way */
export type ReplicationLimit = 'adc' | 'space' | 'cap' | 'shift' | 'none';

/** 'tile': dst (k times as long as a) = k copies of a, one after the other */
export type VecOp = 'add' | 'sub' | 'mul' | 'scale' | 'axpy' | 'copy' | 'lut' | 'lpf' | 'leak' | 'std' | 'set' | 'tile';

export type Task = (
  | { t: 'vec'; op: VecOp; dst: number; a?: number; b?: number; k?: number; fn?: LutFn; value?: number }
  /** replicas: copies of the block the read sums (src holds that many copies of the input; absent: 1) */
  | { t: 'mvm'; dst: number; src: number; block: number; transpose: boolean; accumulate: boolean; replicas?: number }
  /** W[block] += rate * x (post, columns) outer a (pre, rows); tmp holds the scaled a on the chip */
  | { t: 'outer'; a: number; x: number; tmp: number; block: number }
  | { t: 'send'; route: number; src: number }
  | { t: 'recv'; route: number; dst: number }
  | { t: 'port'; port: number; segment: number; dst: number }
  | { t: 'probe'; probe: number; segment: number; src: number }
) & {
  core: number;
  /** index of the Program op it comes from (-1: ports, probes) */
  from: number;
  /** runs only while plasticity is on */
  plastic?: boolean;
};

export interface RouteDecl {
  src: number;
  dst: number;
  length: number;
  hops: number;
  /** ticks between send and receive */
  delay: number;
}

export interface SegmentDecl {
  core: number;
  offset: number;
  length: number;
  buffer: number;
}

export interface PortDecl {
  kind: 'input' | 'target' | 'nudge' | 'plastic';
  population: string;
  size: number;
  segments: SegmentDecl[];
}

export interface ProbeDecl {
  population: string;
  signal: string;
  size: number;
  segments: SegmentDecl[];
}

export interface Machine {
  program: Program;
  /** cores in use (0 .. cores-1) */
  cores: number;
  meshCols: number;
  buffers: Buffer[];
  blocks: Block[];
  routes: RouteDecl[];
  ports: PortDecl[];
  probes: ProbeDecl[];
  /** in Program order */
  tasks: Task[];
  /** set by replicate: the largest number of copies allowed (1: off) and the blocks copied */
  replication?: { maxReplicas: number; blocks: Replication[] };
  /** set by schedule */
  schedule?: Schedule;
}

export interface Schedule {
  /** level of each task; tasks of level L run after the L-th barrier */
  level: number[];
  levels: number;
  /** per core: task ids in execution order, -1 marks a barrier */
  order: number[][];
  /** word address of each buffer on its core */
  addr: number[];
  /** words used per core */
  memoryWords: number[];
}

function isPowerOfTwo(k: number): boolean {
  return Number.isInteger(k) && k >= 1 && (k & (k - 1)) === 0;
}

/** Buffers a task reads and writes. */
export function taskOperands(task: Task): { reads: number[]; writes: number[] } {
  switch (task.t) {
    case 'vec': {
      const reads = [task.a, task.b].filter((x): x is number => x !== undefined);
      if (task.op === 'lpf' || task.op === 'leak' || task.op === 'std') reads.push(task.dst);
      return { reads, writes: [task.dst] };
    }
    case 'mvm':
      return { reads: task.accumulate ? [task.src, task.dst] : [task.src], writes: [task.dst] };
    case 'outer':
      return { reads: [task.a, task.x], writes: [task.tmp] };
    case 'send':
      return { reads: [task.src], writes: [] };
    case 'recv':
      return { reads: [], writes: [task.dst] };
    case 'port':
      return { reads: [], writes: [task.dst] };
    case 'probe':
      return { reads: [task.src], writes: [] };
  }
}

/** Structural checks between passes; a failure is a bug in the pass named. */
export function validateMachine(m: Machine, after: string): void {
  const problems: string[] = [];
  const buf = (id: number, where: string, core: number): Buffer | undefined => {
    const b = m.buffers[id];
    if (!b) problems.push(`${where}: buffer ${id} does not exist`);
    else if (b.core !== core) problems.push(`${where}: buffer ${b.name} is on core ${b.core}, the task on core ${core}`);
    return b;
  };
  const sends = new Map<number, number>();
  const recvs = new Map<number, number>();
  m.tasks.forEach((task, k) => {
    const where = `task ${k} (${task.t} on core ${task.core})`;
    if (task.core < 0 || task.core >= m.cores) problems.push(`${where}: core out of range`);
    const { reads, writes } = taskOperands(task);
    const lens = [...reads, ...writes].map((id) => buf(id, where, task.core)?.length);
    if (task.t === 'vec' && task.op === 'tile') {
      const [al, dl] = [m.buffers[task.a!]?.length ?? 0, m.buffers[task.dst]?.length ?? 0];
      if (!(al > 0 && dl % al === 0 && isPowerOfTwo(dl / al))) problems.push(`${where}: tile of ${al} words into ${dl} words is not a power-of-two number of copies`);
    } else if (task.t === 'vec' && new Set(lens).size > 1) problems.push(`${where}: operand lengths differ (${lens.join(', ')})`);
    if (task.t === 'mvm' || task.t === 'outer') {
      const b = m.blocks[task.block];
      if (!b) return void problems.push(`${where}: block ${task.block} does not exist`);
      if (b.core !== task.core) problems.push(`${where}: block is on core ${b.core}`);
      if (task.t === 'mvm') {
        const k = task.replicas ?? 1;
        const have = (task.transpose ? b.colReplicas : b.replicas) ?? 1;
        if (!isPowerOfTwo(k) || k > have) problems.push(`${where}: reads ${k} copies of a block written ${have} times ${task.transpose ? 'side by side' : 'one under the other'}`);
        const [xl, yl] = task.transpose ? [b.n * k, b.m] : [b.m * k, b.n];
        if (m.buffers[task.src]?.length !== xl || m.buffers[task.dst]?.length !== yl) problems.push(`${where}: operand lengths do not fit the ${b.m}x${b.n} block${k > 1 ? ` read ${k} times` : ''}`);
      } else if ((b.replicas ?? 1) * (b.colReplicas ?? 1) !== 1) {
        problems.push(`${where}: plasticity on a block written ${(b.replicas ?? 1) * (b.colReplicas ?? 1)} times (its copies would drift apart)`);
      } else if (m.buffers[task.a]?.length !== b.m || m.buffers[task.x]?.length !== b.n || m.buffers[task.tmp]?.length !== b.m) {
        problems.push(`${where}: operand lengths do not fit the ${b.m}x${b.n} block`);
      }
    }
    if (task.t === 'send' || task.t === 'recv') {
      const r = m.routes[task.route];
      const seen = task.t === 'send' ? sends : recvs;
      if (!r) return void problems.push(`${where}: route ${task.route} does not exist`);
      if (seen.has(task.route)) problems.push(`${where}: route ${task.route} is used twice in one tick`);
      seen.set(task.route, k);
      const end = task.t === 'send' ? r.src : r.dst;
      if (end !== task.core) problems.push(`${where}: route ${task.route} ${task.t === 'send' ? 'starts' : 'ends'} on core ${end}`);
      const b = m.buffers[task.t === 'send' ? task.src : task.dst];
      if (b && b.length !== r.length) problems.push(`${where}: buffer length ${b.length}, route length ${r.length}`);
    }
  });
  m.routes.forEach((r, id) => {
    if (!sends.has(id) || !recvs.has(id)) problems.push(`route ${id}: needs exactly one send and one recv per tick`);
    else if (r.delay === 0 && recvs.get(id)! < sends.get(id)!) problems.push(`route ${id}: received before it is sent`);
    if (r.src === r.dst) problems.push(`route ${id}: from core ${r.src} to itself`);
  });
  // the chip's in/tgt/probe instructions name a port or probe, not a segment: one per core
  for (const p of [...m.ports, ...m.probes]) {
    const cores = p.segments.map((g) => g.core);
    if (new Set(cores).size !== cores.length) problems.push(`${'kind' in p ? `${p.kind} port` : 'probe'} of '${p.population}': two segments on one core (${cores.join(', ')})`);
  }
  m.blocks.forEach((b, id) => {
    const M = m.program.matrices[b.matrix];
    if (!M || b.pre0 + b.m > M.cols || b.post0 + b.n > M.rows) problems.push(`block of matrix ${b.matrix}: outside the matrix`);
    if (!isPowerOfTwo(b.replicas ?? 1) || !isPowerOfTwo(b.colReplicas ?? 1)) problems.push(`block ${id}: ${b.replicas ?? 1} x ${b.colReplicas ?? 1} copies is not a power of two each way`);
    // blocks (with their copies) never share a crossbar cell
    const rows = (x: Block) => x.m * (x.replicas ?? 1);
    const cols = (x: Block) => x.n * (x.colReplicas ?? 1);
    m.blocks.forEach((o, oid) => {
      if (oid > id && o.core === b.core && b.xrow < o.xrow + rows(o) && o.xrow < b.xrow + rows(b) && b.xcol < o.xcol + cols(o) && o.xcol < b.xcol + cols(b))
        problems.push(`blocks ${id} and ${oid} on core ${b.core} overlap in the crossbar`);
    });
  });
  const s = m.schedule;
  if (s) {
    const counts = s.order.map((o) => o.filter((x) => x < 0).length);
    if (new Set(counts).size > 1) problems.push(`cores execute different numbers of barriers: ${counts.join(', ')}`);
    if (s.addr.length !== m.buffers.length) problems.push('schedule: not every buffer has an address');
    const scheduled = s.order.flat().filter((x) => x >= 0);
    if (scheduled.length !== m.tasks.length || new Set(scheduled).size !== m.tasks.length) problems.push('schedule: every task must appear exactly once');
  }
  if (problems.length) throw new Error(`invalid machine program after pass '${after}' (a bug in that pass):\n  ${problems.slice(0, 20).join('\n  ')}`);
}

// Pass `schedule`: order the tasks of each core and give every buffer its address. A task runs
// at the lowest level its hazards allow: after whatever last wrote what it reads, after whatever
// read or wrote what it writes (buffers and crossbar blocks are per core, so program order within
// a level keeps those), and one
// level after the send it receives from (a same-tick route). Levels are separated by chip-wide
// barriers, so the tick needs (levels - 1) barriers on every core.
import { UserError } from '../common/errors.js';
import type { HwSpec } from '../hwspec/index.js';
import { taskOperands, type Machine, type Schedule } from '../ir/machine.js';

export function schedule(m: Machine, spec: HwSpec): Machine {
  const level: number[] = [];
  const lastWrite = new Map<number, number>();
  const readSince = new Map<number, number>();
  const sendLevel = new Map<number, number>();
  m.tasks.forEach((task, k) => {
    const { reads, writes } = taskOperands(task);
    // a crossbar block is a resource too: products read it, plasticity writes it
    const blockKey = m.buffers.length + (task.t === 'mvm' || task.t === 'outer' ? task.block : 0);
    if (task.t === 'mvm') reads.push(blockKey);
    if (task.t === 'outer') writes.push(blockKey);
    let l = 0;
    for (const r of reads) l = Math.max(l, lastWrite.get(r) ?? 0);
    for (const w of writes) l = Math.max(l, lastWrite.get(w) ?? 0, readSince.get(w) ?? 0);
    if (task.t === 'recv' && m.routes[task.route]!.delay === 0) l = Math.max(l, sendLevel.get(task.route)! + 1);
    if (task.t === 'send') sendLevel.set(task.route, l);
    for (const r of reads) readSince.set(r, Math.max(readSince.get(r) ?? 0, l));
    for (const w of writes) {
      lastWrite.set(w, l);
      readSince.delete(w);
    }
    level[k] = l;
  });
  const levels = Math.max(0, ...level) + 1;
  const order: number[][] = [];
  for (let c = 0; c < m.cores; c++) {
    const mine = m.tasks.map((t, k) => k).filter((k) => m.tasks[k]!.core === c);
    const seq: number[] = [];
    for (let l = 0; l < levels; l++) {
      if (l > 0) seq.push(-1);
      for (const k of mine) if (level[k] === l) seq.push(k);
    }
    order.push(seq);
  }
  const addr: number[] = [];
  const memoryWords = new Array<number>(m.cores).fill(0);
  m.buffers.forEach((b, id) => {
    addr[id] = memoryWords[b.core]!;
    memoryWords[b.core]! += b.length;
  });
  memoryWords.forEach((words, core) => {
    if (words > spec.core.vector_memory_words) {
      const byPop = new Map<string, number>();
      for (const b of m.buffers) if (b.core === core) byPop.set(b.name.split(/[.[@]/)[0]!, (byPop.get(b.name.split(/[.[@]/)[0]!) ?? 0) + b.length);
      const top = [...byPop].sort((p, q) => q[1] - p[1]).slice(0, 3).map(([n, w]) => `${n}: ${w}`).join(', ');
      const copied = (m.replication?.blocks ?? []).some((r) => m.blocks[r.block]!.core === core);
      throw new UserError(
        `core ${core} needs ${words} words of vector memory (largest users ${top}), hw-spec '${spec.name}' has core.vector_memory_words = ${spec.core.vector_memory_words}. Use a spec with more vector memory or more cores, or a smaller network${copied ? ' (or fewer copies of the inputs of replicated crossbar blocks: --max-replicas, --no-replicate)' : ''}`,
      );
    }
  });
  const s: Schedule = { level, levels, order, addr, memoryWords };
  return { ...m, schedule: s };
}

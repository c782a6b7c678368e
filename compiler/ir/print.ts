// Text forms of the IRs for `nla compile --dump-after <pass>`: one line per vector, matrix, op or
// task, names rather than ids, so a pass's effect can be read and diffed.
import type { Machine, Task } from './machine.js';
import type { Op, Program } from './program.js';

function opText(p: Program, o: Op): string {
  const v = (id: number) => p.vectors[id]!.name;
  switch (o.op) {
    case 'mvm':
      return `${v(o.dst)} ${o.accumulate ? '+=' : '='} ${p.matrices[o.m]!.name}${o.transpose ? '^T' : ''} ${v(o.x)}`;
    case 'add':
    case 'sub':
    case 'mul':
      return `${v(o.dst)} = ${v(o.a)} ${{ add: '+', sub: '-', mul: '*' }[o.op]} ${v(o.b)}`;
    case 'scale':
      return `${v(o.dst)} = ${o.k} * ${v(o.a)}`;
    case 'axpy':
      return `${v(o.dst)} = ${v(o.a)} + ${o.k} * ${v(o.b)}`;
    case 'copy':
      return `${v(o.dst)} = ${v(o.a)}`;
    case 'lut':
      return `${v(o.dst)} = ${o.fn.activation}${"'".repeat(o.fn.derivative)}(${v(o.a)})`;
    case 'lpf':
    case 'leak':
      return `${o.op} ${v(o.state)} toward ${v(o.op === 'lpf' ? o.x : o.drive)}, k = ${o.k}`;
    case 'outer':
      return `${p.matrices[o.m]!.name} += ${p.matrices[o.m]!.rate} * ${v(o.a)} ${v(o.x)}^T`;
    case 'outer_bias':
      return `${v(o.dst)} += ${o.rate} * ${v(o.a)}`;
    case 'std':
      return `std pool ${v(o.state)} toward ${o.fn.activation}(${v(o.rbar)}), k = ${o.k}`;
  }
}

export function printProgram(p: Program): string {
  const lines = [`program ${p.name}: scheme ${p.scheme}, dt ${p.dt} s`];
  p.vectors.forEach((v, i) => {
    const q = p.quant?.vectors[i];
    lines.push(`  vector ${v.name} [${v.length}] ${v.role}${q ? `  max|x| ${q.maxAbs.toPrecision(3)} (${q.status})` : ''}`);
  });
  p.matrices.forEach((m, i) => lines.push(`  matrix ${m.name} ${m.rows}x${m.cols} ${m.post} <- ${m.pre}${m.rate ? ` plastic rate ${m.rate}` : ''}${p.quant ? `  scale ${p.quant.matrices[i]!.scale.toPrecision(4)} codes/unit` : ''}`));
  if (p.tiling) for (const [pop, s] of Object.entries(p.tiling.slices)) lines.push(`  slices ${pop}: ${s.map(([a, e]) => `[${a}:${e}]`).join(' ')}`);
  p.ops.forEach((o, k) => lines.push(`  ${String(k).padStart(4)}  ${opText(p, o)}${p.quant?.mvm[k] ? `  (dac 2^${p.quant.mvm[k]!.dx})` : ''}`));
  return lines.join('\n') + '\n';
}

function taskText(m: Machine, t: Task): string {
  const b = (id: number) => m.buffers[id]!.name;
  const tag = t.plastic ? ' [plastic]' : '';
  switch (t.t) {
    case 'vec':
      return `${t.op} ${b(t.dst)}${t.a !== undefined ? ` ${b(t.a)}` : ''}${t.b !== undefined ? ` ${b(t.b)}` : ''}${t.k !== undefined ? ` k=${t.k}` : ''}${t.value !== undefined ? ` value=${t.value}` : ''}${tag}`;
    case 'mvm': {
      const B = m.blocks[t.block]!;
      return `${t.transpose ? 'mvmt' : 'mvm'}${t.accumulate ? '.acc' : ''} ${b(t.dst)} ${b(t.src)} block ${m.program.matrices[B.matrix]!.name}[${B.post0}+${B.n}][${B.pre0}+${B.m}] at r${B.xrow} c${B.xcol}${(B.replicas ?? 1) * (B.colReplicas ?? 1) > 1 ? ` (${B.replicas ?? 1} x ${B.colReplicas ?? 1} copies, reads ${t.replicas ?? 1})` : ''}`;
    }
    case 'outer':
      return `outer ${b(t.a)} ${b(t.x)} block ${t.block}${tag}`;
    case 'send':
    case 'recv': {
      const r = m.routes[t.route]!;
      return `${t.t} route ${t.route} (${r.src} -> ${r.dst}, ${r.hops} hops, delay ${r.delay}) ${b(t.t === 'send' ? t.src : t.dst)}`;
    }
    case 'port':
      return `port ${m.ports[t.port]!.kind} ${m.ports[t.port]!.population} -> ${b(t.dst)}`;
    case 'probe':
      return `probe ${m.probes[t.probe]!.population}.${m.probes[t.probe]!.signal} <- ${b(t.src)}`;
  }
}

export function printMachine(m: Machine): string {
  const lines = [`machine ${m.program.name}: ${m.cores} cores, ${m.blocks.length} crossbar blocks, ${m.routes.length} routes, ${m.buffers.length} buffers`];
  const s = m.schedule;
  for (let c = 0; c < m.cores; c++) {
    lines.push(`core ${c}:${s ? ` ${s.memoryWords[c]} words` : ''}`);
    const seq = s ? s.order[c]! : m.tasks.map((_, k) => k).filter((k) => m.tasks[k]!.core === c);
    for (const k of seq) lines.push(k < 0 ? '    barrier' : `    ${taskText(m, m.tasks[k]!)}`);
  }
  return lines.join('\n') + '\n';
}

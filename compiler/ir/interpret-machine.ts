// The Machine IR executed in f64, core by core and level by level as the schedule orders it: the
// check that map, place_route and schedule keep the arithmetic of the Program IR (they must agree
// to rounding when no route has a delay). Same host interface as ProgramInterpreter.
import { UserError } from '../common/errors.js';
import type { LutEval } from './interpret.js';
import { tableValue } from '../network/activations.js';
import type { Machine, PortDecl, Task } from './machine.js';

export class MachineInterpreter {
  readonly name = 'mapped-f64';
  readonly mem: Float64Array[];
  /** per block: m x n, row = presynaptic, column = postsynaptic (crossbar layout) */
  readonly cells: Float64Array[];
  private readonly lines: Float64Array[][];
  private plastic = true;
  private tick = 0;

  constructor(
    readonly machine: Machine,
    private readonly lutEval: LutEval = tableValue,
  ) {
    if (!machine.schedule) throw new Error('MachineInterpreter needs a scheduled machine');
    this.mem = machine.buffers.map((b) => (typeof b.init === 'number' ? new Float64Array(b.length).fill(b.init) : Float64Array.from(b.init)));
    this.cells = machine.blocks.map((B) => {
      const M = machine.program.matrices[B.matrix]!;
      const w = new Float64Array(B.m * B.n);
      for (let r = 0; r < B.m; r++) for (let c = 0; c < B.n; c++) w[r * B.n + c] = M.init[(B.post0 + c) * M.cols + B.pre0 + r]!;
      return w;
    });
    this.lines = machine.routes.map((r) => Array.from({ length: r.delay + 1 }, () => new Float64Array(r.length)));
  }

  private port(kind: PortDecl['kind'], population: string): PortDecl {
    const p = this.machine.ports.find((x) => x.kind === kind && x.population === population);
    if (!p) throw new UserError(`machine program '${this.machine.program.name}' has no ${kind} port for '${population}'`);
    return p;
  }

  private scatter(p: PortDecl, values: ArrayLike<number>): void {
    for (const g of p.segments) for (let i = 0; i < g.length; i++) this.mem[g.buffer]![i] = values[g.offset + i]!;
  }

  setInput(population: string, values: Float64Array): void {
    this.scatter(this.port('input', population), values);
  }

  setTarget(population: string, values: Float64Array, nudge: Float64Array): void {
    this.scatter(this.port('target', population), values);
    this.scatter(this.port('nudge', population), nudge);
  }

  setPlastic(on: boolean): void {
    this.plastic = on;
  }

  /** overwrite a program vector's home slices by name */
  setVector(name: string, values: ArrayLike<number>): void {
    const v = this.machine.program.vectors.findIndex((x) => x.name === name);
    if (v < 0) throw new UserError(`no vector '${name}'`);
    this.machine.buffers.forEach((b, id) => {
      if (b.home?.vector === v) for (let i = 0; i < b.length; i++) this.mem[id]![i] = values[b.home.offset + i]!;
    });
  }

  start(): void {
    this.tick = 0;
  }

  step(): void {
    const { order } = this.machine.schedule!;
    const pos = order.map(() => 0);
    // run every core up to its next barrier, then the next level
    for (;;) {
      let more = false;
      order.forEach((seq, c) => {
        while (pos[c]! < seq.length && seq[pos[c]!]! >= 0) this.exec(this.machine.tasks[seq[pos[c]!++]!]!);
        if (pos[c]! < seq.length) {
          pos[c]!++;
          more = true;
        }
      });
      if (!more) break;
    }
    this.tick++;
  }

  probe(population: string, signal: string, out: Float64Array): void {
    const p = this.machine.probes.find((x) => x.population === population && x.signal === signal);
    if (!p) throw new UserError(`signal '${signal}' of '${population}' is not probed in the machine program`);
    for (const g of p.segments) out.set(this.mem[g.buffer]!, g.offset);
  }

  counters(): Record<string, number> {
    return { ticks: this.tick };
  }

  private exec(task: Task): void {
    const mem = this.mem;
    switch (task.t) {
      case 'port':
      case 'probe':
        return; // the host writes ports before the tick and reads probes after it
      case 'send': {
        const r = this.machine.routes[task.route]!;
        this.lines[task.route]![this.tick % (r.delay + 1)]!.set(mem[task.src]!);
        return;
      }
      case 'recv': {
        const r = this.machine.routes[task.route]!;
        // what was sent `delay` ticks ago: slot (tick - delay) mod (delay + 1)
        mem[task.dst]!.set(this.lines[task.route]![(this.tick + 1) % (r.delay + 1)]!);
        return;
      }
      case 'mvm': {
        const B = this.machine.blocks[task.block]!;
        const w = this.cells[task.block]!;
        const x = mem[task.src]!;
        const y = mem[task.dst]!;
        if (!task.accumulate) y.fill(0);
        if (task.transpose && (task.replicas ?? 1) > 1) {
          // k copies of the block side by side on one row line: k times the product, scaled back by 1/k
          const k = task.replicas!;
          for (let r = 0; r < B.m; r++) {
            let s = 0;
            for (let q = 0; q < k; q++) for (let c = 0; c < B.n; c++) s += w[r * B.n + c]! * x[q * B.n + c]!;
            y[r]! += s / k;
          }
        } else if (task.transpose) {
          for (let r = 0; r < B.m; r++) {
            let s = 0;
            for (let c = 0; c < B.n; c++) s += w[r * B.n + c]! * x[c]!;
            y[r]! += s;
          }
        } else if ((task.replicas ?? 1) > 1) {
          // k copies of the block on one column line: k times the product, scaled back by 1/k
          const k = task.replicas!;
          for (let c = 0; c < B.n; c++) {
            let s = 0;
            for (let q = 0; q < k; q++) for (let r = 0; r < B.m; r++) s += w[r * B.n + c]! * x[q * B.m + r]!;
            y[c]! += s / k;
          }
        } else {
          for (let r = 0; r < B.m; r++) for (let c = 0; c < B.n; c++) y[c]! += w[r * B.n + c]! * x[r]!;
        }
        return;
      }
      case 'outer': {
        if (!this.plastic) return;
        const B = this.machine.blocks[task.block]!;
        const M = this.machine.program.matrices[B.matrix]!;
        const w = this.cells[task.block]!;
        const a = mem[task.a]!;
        const x = mem[task.x]!;
        for (let r = 0; r < B.m; r++) {
          const k = M.rate * a[r]!;
          for (let c = 0; c < B.n; c++) w[r * B.n + c]! += k * x[c]!;
        }
        if (M.noSelf) for (let r = 0; r < B.m; r++) if (B.pre0 + r - B.post0 >= 0 && B.pre0 + r - B.post0 < B.n) w[r * B.n + B.pre0 + r - B.post0] = 0;
        return;
      }
      case 'vec': {
        if (task.plastic && !this.plastic) return;
        const d = mem[task.dst]!;
        const a = task.a === undefined ? d : mem[task.a]!;
        const b = task.b === undefined ? d : mem[task.b]!;
        const k = task.k ?? 0;
        if (task.op === 'tile') {
          for (let i = 0; i < d.length; i++) d[i] = a[i % a.length]!;
          return;
        }
        for (let i = 0; i < d.length; i++) {
          switch (task.op) {
            case 'set': d[i] = task.value!; break;
            case 'copy': d[i] = a[i]!; break;
            case 'add': d[i] = a[i]! + b[i]!; break;
            case 'sub': d[i] = a[i]! - b[i]!; break;
            case 'mul': d[i] = a[i]! * b[i]!; break;
            case 'scale': d[i] = k * a[i]!; break;
            case 'axpy': d[i] = a[i]! + k * b[i]!; break;
            case 'lut': d[i] = this.lutEval(task.fn!, a[i]!); break;
            case 'lpf':
            case 'leak': d[i] = d[i]! + k * (a[i]! - d[i]!); break;
            case 'std': d[i] = d[i]! + k * (this.lutEval(task.fn!, a[i]!) - d[i]!); break;
          }
        }
        return;
      }
    }
  }
}

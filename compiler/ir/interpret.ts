// The Program IR executed in f64, one op at a time: the second level of truth. Plain loops on
// purpose (the living definition of each op); speed is the chip emulator's business.
import { UserError } from '../common/errors.js';
import { tableValue } from '../network/activations.js';
import { opOperands, type LutFn, type Op, type Program } from './program.js';

/** Transfer functions by name for lookup-table ops, in the precision of the caller. */
export type LutEval = (fn: LutFn, x: number) => number;

export class ProgramInterpreter {
  readonly name = 'lowered-f64';
  readonly vec: Float64Array[];
  readonly mat: Float64Array[];
  private plastic = true;
  private ticks = 0;
  private readonly opCount: Record<string, number> = {};

  constructor(
    readonly program: Program,
    private readonly lutEval: LutEval = tableValue,
  ) {
    this.vec = program.vectors.map((v) => (typeof v.init === 'number' ? new Float64Array(v.length).fill(v.init) : Float64Array.from(v.init)));
    this.mat = program.matrices.map((m) => Float64Array.from(m.init));
  }

  private port(kind: string, population: string): Float64Array {
    const p = this.program.ports.find((x) => x.kind === kind && x.population === population);
    if (!p) throw new UserError(`program '${this.program.name}' has no ${kind} port for population '${population}'`);
    return this.vec[p.vector];
  }

  setInput(population: string, values: Float64Array): void {
    this.port('input', population).set(values);
  }

  setTarget(population: string, values: Float64Array, nudge: Float64Array): void {
    this.port('target', population).set(values);
    this.port('nudge', population).set(nudge);
  }

  setPlastic(on: boolean): void {
    this.plastic = on;
  }

  /** overwrite a state vector by name (e.g. to start from the ideal model's settled state) */
  setVector(name: string, values: ArrayLike<number>): void {
    const i = this.program.vectors.findIndex((v) => v.name === name);
    if (i < 0) throw new UserError(`program '${this.program.name}' has no vector '${name}'`);
    this.vec[i].set(values);
  }

  start(): void {
    this.ticks = 0;
  }

  /** called after every op with the vector it wrote (range analysis) */
  onWrite?: (vector: number, values: Float64Array) => void;

  step(): void {
    for (const o of this.program.ops) {
      this.exec(o);
      if (this.onWrite) for (const w of opOperands(o).writes) this.onWrite(w, this.vec[w]!);
    }
    this.ticks++;
  }

  probe(population: string, signal: string, out: Float64Array): void {
    const p = this.program.probes.find((x) => x.population === population && x.signal === signal);
    if (!p) throw new UserError(`signal '${signal}' of '${population}' is not probed in the lowered program`);
    out.set(this.vec[p.vector]);
  }

  counters(): Record<string, number> {
    return { ticks: this.ticks, ...this.opCount };
  }

  private exec(o: Op): void {
    const v = this.vec;
    this.opCount[o.op] = (this.opCount[o.op] ?? 0) + 1;
    switch (o.op) {
      case 'mvm': {
        const M = this.program.matrices[o.m];
        const W = this.mat[o.m];
        const x = v[o.x];
        const y = v[o.dst];
        if (!o.accumulate) y.fill(0);
        if (o.transpose) {
          for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) y[j] += W[i * M.cols + j] * x[i];
        } else {
          for (let i = 0; i < M.rows; i++) {
            let s = 0;
            for (let j = 0; j < M.cols; j++) s += W[i * M.cols + j] * x[j];
            y[i] += s;
          }
        }
        return;
      }
      case 'add':
        return map2(v[o.dst], v[o.a], v[o.b], (a, b) => a + b);
      case 'sub':
        return map2(v[o.dst], v[o.a], v[o.b], (a, b) => a - b);
      case 'mul':
        return map2(v[o.dst], v[o.a], v[o.b], (a, b) => a * b);
      case 'scale':
        return map2(v[o.dst], v[o.a], v[o.a], (a) => o.k * a);
      case 'axpy':
        return map2(v[o.dst], v[o.a], v[o.b], (a, b) => a + o.k * b);
      case 'copy':
        v[o.dst].set(v[o.a]);
        return;
      case 'lut':
        return map2(v[o.dst], v[o.a], v[o.a], (a) => this.lutEval(o.fn, a));
      case 'lpf':
        return map2(v[o.state], v[o.state], v[o.x], (s, x) => s + o.k * (x - s));
      case 'leak':
        return map2(v[o.state], v[o.state], v[o.drive], (s, d) => s + o.k * (d - s));
      case 'outer': {
        if (!this.plastic) return;
        const M = this.program.matrices[o.m];
        if (M.rate === 0) return;
        const W = this.mat[o.m];
        const a = v[o.a];
        const x = v[o.x];
        for (let i = 0; i < M.rows; i++) {
          const c = M.rate * a[i];
          for (let j = 0; j < M.cols; j++) W[i * M.cols + j] += c * x[j];
        }
        if (M.noSelf) for (let i = 0; i < Math.min(M.rows, M.cols); i++) W[i * M.cols + i] = 0;
        return;
      }
      case 'std':
        return map2(v[o.state], v[o.state], v[o.rbar], (p, r) => p + o.k * (this.lutEval(o.fn, r) - p));
      case 'outer_bias':
        if (this.plastic) map2(v[o.dst], v[o.dst], v[o.a], (b, a) => b + o.rate * a);
        return;
    }
  }
}

function map2(dst: Float64Array, a: Float64Array, b: Float64Array, f: (a: number, b: number) => number): void {
  for (let i = 0; i < dst.length; i++) dst[i] = f(a[i], b[i]);
}

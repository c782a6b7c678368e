// The ideal float (f64) model of an NLA network: spec/nla-dynamics.md, exactly. It is the
// golden reference every hardware result is compared with.
import type { NetworkIR, Scheme, Signal } from '../../compiler/network/index.js';
import { UserError } from '../../compiler/common/errors.js';
import type { Backend } from '../backend.js';
import type { Kernels } from '../kernels/types.js';
import { evalActivation } from '../../compiler/network/activations.js';
import { SCHEME_BUILDERS, type InputTerm, type SchemeStep } from './schemes.js';
import { DenseSolver, LayeredSolver, MicrocircuitSolver, type Solver } from './solvers.js';
import { NetState, type PopSlice } from './state.js';

export interface IdealOptions {
  scheme?: Scheme; // overrides net.dynamics.scheme
  /** 'microcircuit': the block elimination of MicrocircuitSolver (auto picks it for explicit microcircuits) */
  solver?: 'auto' | 'dense' | 'layered' | 'microcircuit';
  /** test hook: reproduce the paper's printed slips in the input-drive term (explicit scheme) */
  inputTerm?: InputTerm;
}

export class IdealModel implements Backend {
  readonly name = 'ideal';
  readonly st: NetState;
  readonly solver: Solver;
  readonly scheme: Scheme;
  private readonly stepper: SchemeStep;
  private readonly slices: Map<string, PopSlice>;
  private steps = 0;

  constructor(
    readonly net: NetworkIR,
    kernels: Kernels,
    opts: IdealOptions = {},
  ) {
    this.st = new NetState(net, kernels);
    this.scheme = opts.scheme ?? net.dynamics.scheme;
    this.solver = chooseSolver(this.st, opts.solver ?? net.dynamics.solver, this.scheme);
    if (this.st.nI > 0 && !['explicit', 'implicit', 'no_lookahead'].includes(this.scheme))
      throw new UserError(`${net.file}: dynamics.scheme: scheme '${this.scheme}' is not defined for microcircuit networks. Use 'explicit', 'implicit' (or the 'no_lookahead' ablation)`);
    if (['backprop', 'le', 'gle'].includes(this.scheme) && (!net.feedforward || this.st.topo.length === 0))
      throw new UserError(`${net.file}: dynamics.scheme: scheme '${this.scheme}' needs a feedforward network. Use 'explicit' or 'implicit' for recurrent networks`);
    this.stepper = SCHEME_BUILDERS[this.scheme](this.st, this.solver, opts.inputTerm ?? 'correct');
    this.slices = new Map(this.st.pops.map((s) => [s.pop.name, s]));
  }

  private slice(name: string): PopSlice {
    const s = this.slices.get(name);
    if (!s) throw new UserError(`no population named '${name}' in ${this.net.file}`);
    return s;
  }

  setInput(population: string, values: Float64Array): void {
    const s = this.slice(population);
    this.st.rIn.set(values.subarray(0, s.size), s.offset);
  }

  setTarget(population: string, values: Float64Array, nudge: Float64Array): void {
    const s = this.slice(population);
    this.st.uStar.set(values.subarray(0, s.size), s.offset);
    this.st.nudge.set(nudge.subarray(0, s.size), s.offset);
  }

  setPlastic(on: boolean): void {
    this.st.plastic = on;
  }

  start(): void {
    this.st.rbarIn.set(this.st.rIn);
    this.st.uStarPrev.set(this.st.uStar);
    this.stepper.settle();
    this.steps = 0;
  }

  step(): void {
    this.stepper.step();
    this.steps++;
  }

  probe(population: string, signal: Signal, out: Float64Array): void {
    const s = this.slice(population);
    const st = this.st;
    const copy = (v: Float64Array) => {
      for (let i = 0; i < s.size; i++) out[i] = v[s.offset + i];
    };
    if (s.space === 'input') {
      if (signal === 'rbar') copy(st.rbarIn);
      else if (signal === 'r') for (let i = 0; i < s.size; i++) out[i] = st.rbarIn[s.offset + i] + st.tauIn * st.rinDot[s.offset + i];
      else throw new UserError(`signal '${signal}' is not recorded on input population '${population}': use rbar or r`);
      return;
    }
    if (s.space === 'inter') {
      if (signal !== 'uI') throw new UserError(`signal '${signal}' is not recorded on interneuron population '${population}': use uI`);
      copy(st.uI);
      return;
    }
    switch (signal) {
      case 'u': return copy(st.u);
      case 'udot': return copy(st.udot);
      case 'rbar': return copy(st.rb);
      case 'r':
        for (let i = 0; i < s.size; i++) out[i] = st.rb[s.offset + i] + st.tau[s.offset + i] * st.d1[s.offset + i] * st.udot[s.offset + i];
        return;
      case 'ebar': return copy(st.eb);
      case 'em': return copy(st.em);
      case 'f': return copy(st.f);
      case 'target': return copy(st.uStar);
      case 'uI': throw new UserError(`signal 'uI' exists only on interneuron populations, not on '${population}'`);
    }
  }

  /** current weights of a projection (deferred updates applied first) */
  weights(projection: string): Float64Array {
    this.st.flushAll();
    const b = this.st.blocks.find((x) => x.proj.name === projection);
    if (!b) throw new UserError(`no projection named '${projection}' in ${this.net.file}`);
    return b.W;
  }

  /**
   * Everything a step depends on besides the inputs and targets the driver sets next: weights,
   * biases, voltages, udot, input low-pass, the previous target (for the kick) and the current
   * input/target/nudge. Deferred plasticity is applied first (bit-identical to applying it later).
   * Restoring it into a model of the same network continues bit for bit (explicit, implicit and
   * no_lookahead schemes; LE/GLE keep extra state in their steppers and are not covered).
   */
  snapshot(): Record<string, Float64Array> {
    const st = this.st;
    st.flushAll();
    const out: Record<string, Float64Array> = {};
    for (const [k, v] of this.stateVectors()) out[k] = v.slice();
    for (const b of st.blocks) out[`W:${b.proj.name}`] = b.W.slice(0, b.rows * b.cols);
    return out;
  }

  restore(snap: Record<string, Float64Array>): void {
    const st = this.st;
    st.flushAll();
    const put = (key: string, dst: Float64Array, size: number) => {
      const v = snap[key];
      if (!v || v.length !== size) throw new UserError(`the saved state does not fit ${this.net.file}: '${key}' has ${v?.length ?? 0} values, expected ${size}`);
      dst.set(v);
    };
    for (const [k, v] of this.stateVectors()) put(k, v, v.length);
    for (const b of st.blocks) put(`W:${b.proj.name}`, b.W, b.rows * b.cols);
  }

  private stateVectors(): [string, Float64Array][] {
    const st = this.st;
    const n = Math.max(1, st.n);
    const m = Math.max(1, st.m);
    return [
      ['u', st.u.subarray(0, n)],
      ['udot', st.udot.subarray(0, n)],
      ['bias', st.bias.subarray(0, n)],
      ['uStar', st.uStar.subarray(0, n)],
      ['uStarPrev', st.uStarPrev.subarray(0, n)],
      ['nudge', st.nudge.subarray(0, n)],
      ['rIn', st.rIn.subarray(0, m)],
      ['rbarIn', st.rbarIn.subarray(0, m)],
    ];
  }

  /**
   * The instantaneous forward pass F_W(rbar_in) of a feedforward net (what the network voltages
   * would be with no errors and no lag), over all network neurons, written into `out`.
   */
  forward(out: Float64Array): Float64Array {
    const st = this.st;
    if (st.topo.length === 0) throw new UserError(`${this.net.file}: the forward pass needs a feedforward network`);
    st.flushAll();
    const [r, d1, d2] = [st.tmp[5], st.tmp[6], st.tmp[7]];
    for (const p of st.topo) {
      for (let i = p.offset; i < p.offset + p.size; i++) out[i] = st.bias[i];
      for (const b of st.inBlocks) if (b.to === p) addProduct(b.W, b.rows, b.cols, st.rbarIn, b.from.offset, out, p.offset);
      for (const b of st.netBlocks) if (b.to === p) addProduct(b.W, b.rows, b.cols, r, b.from.offset, out, p.offset);
      evalActivation(p.pop.neuron, out, p.offset, p.offset + p.size, r, d1, d2);
    }
    return out;
  }

  counters(): Record<string, number> {
    let synapses = 0;
    for (const b of this.st.blocks) synapses += b.rows * b.cols;
    const solver = this.solver as Solver & { sweeps?: number; fallbacks?: number };
    return {
      steps: this.steps,
      synapses,
      neurons: this.st.n + this.st.nI,
      ...(solver.sweeps !== undefined ? { defect_sweeps: solver.sweeps, dense_fallbacks: solver.fallbacks ?? 0 } : {}),
      ...(solver.kind === 'microcircuit' ? { dense_fallbacks: solver.fallbacks ?? 0 } : {}),
    };
  }
}

/** y[yo..] += W x[xo..], plain loops (reference quality, used off the hot path) */
function addProduct(W: Float64Array, rows: number, cols: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += W[i * cols + j] * x[xo + j];
    y[yo + i] += s;
  }
}

function chooseSolver(st: NetState, want: 'auto' | 'dense' | 'layered' | 'microcircuit', scheme: Scheme): Solver {
  const layeredOk = st.topo.length > 0 && st.nI === 0;
  if (want === 'layered' && !layeredOk)
    throw new UserError(`${st.net.file}: dynamics.solver: the layered solver needs a feedforward network without interneurons. Use solver: dense or auto`);
  if (want === 'layered' || (want === 'auto' && layeredOk)) return new LayeredSolver(st);
  // the microcircuit's block elimination solves the explicit system; the implicit microcircuit
  // step multiplies by the dense J instead
  const microOk = st.nI > 0 && st.topo.length > 0 && scheme !== 'implicit';
  if (want === 'microcircuit' && !microOk)
    throw new UserError(`${st.net.file}: the microcircuit solver needs a feedforward network with interneurons and a scheme other than implicit. Use solver: dense or auto`);
  if (want === 'microcircuit' || (want === 'auto' && microOk)) return new MicrocircuitSolver(st);
  return new DenseSolver(st);
}

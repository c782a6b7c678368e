// The state of an ideal-model network and the operators every scheme shares: the neuron layout
// (input space, network space, interneuron space), the weight blocks (one per projection), the
// matrix-vector products over them, and plasticity. Schemes (schemes.ts) combine these.
import type { NetworkIR, Population, Projection } from '../../compiler/network/index.js';
import { initialBias, initialWeights, projectionShape } from '../../compiler/network/init.js';
import type { Kernels } from '../kernels/types.js';
import { evalActivation } from '../../compiler/network/activations.js';

export type Space = 'input' | 'net' | 'inter';

export interface PopSlice {
  pop: Population;
  index: number; // index in net.populations
  space: Space;
  offset: number; // first neuron in its space
  size: number;
}

export interface Block {
  proj: Projection;
  from: PopSlice;
  to: PopSlice;
  rows: number;
  cols: number;
  W: Float64Array;
  /** deferred rank-1 update (input blocks only): applied fused with the next step's products */
  pendA: Float64Array | null;
  pending: boolean;
  pendScale: number;
  y1: Float64Array; // per-block products (input blocks)
  y2: Float64Array;
}

/** Bytes of kernel memory an ideal model of `net` needs (weights and vectors). */
export function kernelBytes(net: NetworkIR): number {
  let words = 0;
  for (const p of net.projections) {
    const { rows, cols } = projectionShape(net, p);
    words += rows * cols + 3 * rows + 8;
  }
  const neurons = net.populations.reduce((s, p) => s + p.size, 0);
  words += 64 * (neurons + 8);
  // microcircuit solver (solvers.ts MicrocircuitSolver): S (nK x nK), Z = A^-1 B_GK (nK x nG) and
  // its transposed gathers (at most nK x nG), vectors
  const inter = net.populations.filter((p) => p.kind === 'interneuron').reduce((s, p) => s + p.size, 0);
  if (inter > 0) {
    const senders = new Set(net.projections.filter((p) => p.role === 'topdown' || p.role === 'bip').map((p) => p.from));
    const pyramids = net.populations.filter((p) => p.kind === 'hidden' || p.kind === 'output');
    const nK = inter + pyramids.filter((p) => senders.has(p.name)).reduce((s, p) => s + p.size, 0);
    const nG = pyramids.filter((p) => !senders.has(p.name)).reduce((s, p) => s + p.size, 0);
    words += nK * nK + 2 * nK * nG + 2 * (nG + nK) + 8 * (pyramids.length + 4);
  }
  return words * 8 + 65536;
}

export class NetState {
  readonly pops: PopSlice[] = [];
  readonly bySpace: Record<Space, PopSlice[]> = { input: [], net: [], inter: [] };
  readonly m: number; // input neurons
  readonly n: number; // network neurons (hidden + output pyramids)
  readonly nI: number; // interneurons
  readonly inBlocks: Block[] = [];
  readonly netBlocks: Block[] = []; // forward among network populations
  readonly fbBlocks: Block[] = []; // topdown B
  readonly wipBlocks: Block[] = [];
  readonly wpiBlocks: Block[] = [];
  readonly bipBlocks: Block[] = [];
  readonly blocks: Block[] = [];
  /** network populations in topological order of forward projections (feedforward nets) */
  readonly topo: PopSlice[];
  readonly topoReverse: PopSlice[];
  /** errors travel through topdown B (feedback alignment) instead of W^T */
  readonly feedbackAlignment: boolean;

  // per network neuron
  readonly tau: Float64Array;
  readonly u: Float64Array;
  readonly udot: Float64Array;
  readonly rb: Float64Array;
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  readonly em: Float64Array;
  readonly eb: Float64Array;
  readonly f: Float64Array;
  readonly bias: Float64Array;
  readonly biasEta: Float64Array; // 0 where a neuron has no plastic bias
  readonly uStar: Float64Array;
  readonly uStarPrev: Float64Array;
  readonly nudge: Float64Array; // 0/1 mask P_o of the current phase
  readonly winRbar: Float64Array; // W_in rbar_in + bias
  readonly winDot: Float64Array; // W_in d(rbar_in)/dt
  readonly wrb: Float64Array; // W_net rho(u)
  /** scratch vectors over network neurons, free for any scheme or solver to use within a call */
  readonly tmp: Float64Array[];
  // per input neuron
  readonly rIn: Float64Array;
  readonly rbarIn: Float64Array;
  readonly pendX: Float64Array;
  readonly rinDot: Float64Array;
  readonly tauInV: Float64Array;
  // per interneuron
  readonly uI: Float64Array;
  readonly tmpI: Float64Array;

  beta: number;
  plastic = true;
  /** factor on every learning rate (a schedule such as the paper's eta/10 after 22 000 s); 1 leaves the bits unchanged */
  etaScale = 1;
  readonly dt: number;
  readonly tauIn: number;
  /** flat per-neuron activation evaluation: network population slices */
  private views = new Map<Float64Array, Map<number, Float64Array>>();

  constructor(
    readonly net: NetworkIR,
    readonly k: Kernels,
  ) {
    const offsets: Record<Space, number> = { input: 0, net: 0, inter: 0 };
    net.populations.forEach((pop, index) => {
      const space: Space = pop.kind === 'input' ? 'input' : pop.kind === 'interneuron' ? 'inter' : 'net';
      const slice: PopSlice = { pop, index, space, offset: offsets[space], size: pop.size };
      offsets[space] += pop.size;
      this.pops.push(slice);
      this.bySpace[space].push(slice);
    });
    this.m = offsets.input;
    this.n = offsets.net;
    this.nI = offsets.inter;
    const vn = () => k.alloc(Math.max(1, this.n));
    this.tau = vn();
    this.u = vn();
    this.udot = vn();
    this.rb = vn();
    this.d1 = vn();
    this.d2 = vn();
    this.em = vn();
    this.eb = vn();
    this.f = vn();
    this.bias = vn();
    this.biasEta = vn();
    this.uStar = vn();
    this.uStarPrev = vn();
    this.nudge = vn();
    this.winRbar = vn();
    this.winDot = vn();
    this.wrb = vn();
    this.tmp = Array.from({ length: 8 }, vn);
    const vm = () => k.alloc(Math.max(1, this.m));
    this.rIn = vm();
    this.rbarIn = vm();
    this.pendX = vm();
    this.rinDot = vm();
    this.tauInV = vm();
    this.uI = k.alloc(Math.max(1, this.nI));
    this.tmpI = k.alloc(Math.max(1, this.nI));
    this.dt = net.dynamics.dt;
    this.tauIn = net.dynamics.tauIn;
    this.beta = net.dynamics.beta;
    this.tauInV.fill(this.tauIn);

    for (const s of this.bySpace.net) this.tau.fill(s.pop.neuron.tau, s.offset, s.offset + s.size);

    const slice = (name: string) => this.pops.find((s) => s.pop.name === name)!;
    net.projections.forEach((proj, i) => {
      const { rows, cols } = projectionShape(net, proj);
      const from = slice(proj.from);
      const to = slice(proj.to);
      const W = k.alloc(rows * cols);
      initialWeights(net, i, W);
      const isInput = from.space === 'input' && proj.role === 'forward';
      const b: Block = {
        proj,
        from,
        to,
        rows,
        cols,
        W,
        pendA: isInput ? k.alloc(rows) : null,
        pending: false,
        pendScale: 0,
        y1: isInput ? k.alloc(rows) : W.subarray(0, 0),
        y2: isInput ? k.alloc(rows) : W.subarray(0, 0),
      };
      this.blocks.push(b);
      const list = {
        forward: isInput ? this.inBlocks : this.netBlocks,
        topdown: this.fbBlocks,
        wip: this.wipBlocks,
        wpi: this.wpiBlocks,
        bip: this.bipBlocks,
      }[proj.role];
      list.push(b);
    });
    this.feedbackAlignment = this.fbBlocks.length > 0 && this.nI === 0;

    for (const s of this.bySpace.net) {
      if (!s.pop.neuron.bias) continue;
      const b = initialBias(net, s.index);
      this.bias.set(b, s.offset);
      const into = this.blocks.find((bl) => bl.to === s && bl.proj.role === 'forward' && bl.proj.plastic);
      this.biasEta.fill(into ? into.proj.eta : 0, s.offset, s.offset + s.size);
    }
    this.topo = topologicalOrder(this.bySpace.net, this.netBlocks);
    this.topoReverse = [...this.topo].reverse();
  }

  /** A cached subarray view (no allocation after the first call with the same arguments). */
  view(v: Float64Array, offset: number, size: number): Float64Array {
    let m = this.views.get(v);
    if (!m) this.views.set(v, (m = new Map()));
    const key = offset * 1048576 + size;
    let s = m.get(key);
    if (!s) m.set(key, (s = v.subarray(offset, offset + size)));
    return s;
  }

  /** rho, rho', rho'' of x over the network neurons into rb, d1, d2. */
  activate(x: Float64Array, rb: Float64Array, d1: Float64Array, d2: Float64Array): void {
    for (const s of this.bySpace.net) evalActivation(s.pop.neuron, x, s.offset, s.offset + s.size, rb, d1, d2);
  }

  /** winRbar = W_in rbar_in + bias and winDot = W_in rinDot, applying deferred input plasticity. */
  inputProducts(): void {
    this.winRbar.set(this.bias);
    this.winDot.fill(0);
    const k = this.k;
    for (const b of this.inBlocks) {
      const x1 = this.view(this.rbarIn, b.from.offset, b.cols);
      const x2 = this.view(this.rinDot, b.from.offset, b.cols);
      if (b.pending) {
        const xo = this.view(this.pendX, b.from.offset, b.cols);
        k.gerGemv2(b.W, b.rows, b.cols, b.pendA!, xo, b.pendScale, x1, x2, b.y1, b.y2);
        b.pending = false;
      } else {
        k.gemv2(b.W, b.rows, b.cols, x1, x2, b.y1, b.y2, false);
      }
      const o = b.to.offset;
      for (let i = 0; i < b.rows; i++) {
        this.winRbar[o + i] += b.y1[i];
        this.winDot[o + i] += b.y2[i];
      }
    }
  }

  /** y (+)= W_net x over network neurons */
  netMv(x: Float64Array, y: Float64Array, accumulate = false): void {
    if (!accumulate) y.fill(0);
    for (const b of this.netBlocks) this.blockMv(b, x, y);
  }

  blockMv(b: Block, x: Float64Array, y: Float64Array): void {
    this.k.gemv(b.W, b.rows, b.cols, this.view(x, b.from.offset, b.cols), this.view(y, b.to.offset, b.rows), true);
  }

  /** y (+)= F x: the feedback path of errors (W_net^T, or topdown B under feedback alignment). */
  fbMv(x: Float64Array, y: Float64Array, accumulate = false): void {
    if (!accumulate) y.fill(0);
    if (this.feedbackAlignment) for (const b of this.fbBlocks) this.blockMv(b, x, y);
    else for (const b of this.netBlocks) this.blockMvT(b, x, y);
  }

  blockMvT(b: Block, x: Float64Array, y: Float64Array): void {
    this.k.gemvT(b.W, b.rows, b.cols, this.view(x, b.to.offset, b.rows), this.view(y, b.from.offset, b.cols), true);
  }

  /** rbar_in, rinDot from the raw input of this step (call once per step before products). */
  inputDerivative(): void {
    for (let j = 0; j < this.m; j++) this.rinDot[j] = (this.rIn[j] - this.rbarIn[j]) / this.tauIn;
  }

  advanceInputs(): void {
    const dt = this.dt;
    for (let j = 0; j < this.m; j++) this.rbarIn[j] += dt * this.rinDot[j];
  }

  /**
   * Plasticity of one block: W += dt * eta * a x^T (a postsynaptic, x presynaptic).
   * Input blocks defer it to the next inputProducts(), fused with the products in one pass over
   * W (bit-identical to applying it now); their presynaptic vector x is copied into pendX.
   */
  learn(b: Block, a: Float64Array, x: Float64Array): void {
    if (!this.plastic || !b.proj.plastic || b.proj.eta === 0) return;
    const scale = this.dt * b.proj.eta * this.etaScale;
    const av = this.view(a, b.to.offset, b.rows);
    if (b.pendA) {
      if (b.pending) this.flush(b);
      b.pendA.set(av);
      b.pendScale = scale;
      b.pending = true;
      // all input blocks of a step share one presynaptic vector, kept in pendX until applied
      if (x !== this.pendX) this.pendX.set(x);
      return;
    }
    this.k.ger(b.W, b.rows, b.cols, av, this.view(x, b.from.offset, b.cols), scale);
    if (b.proj.noSelf) for (let i = 0; i < Math.min(b.rows, b.cols); i++) b.W[i * b.cols + i] = 0;
  }

  /** bias += dt * eta * a on neurons with a plastic bias */
  learnBias(a: Float64Array): void {
    if (!this.plastic) return;
    for (let i = 0; i < this.n; i++) if (this.biasEta[i] !== 0) this.bias[i] += this.dt * this.biasEta[i] * this.etaScale * a[i];
  }

  /** apply a deferred update now */
  flush(b: Block): void {
    if (!b.pending) return;
    this.k.ger(b.W, b.rows, b.cols, b.pendA!, this.view(this.pendX, b.from.offset, b.cols), b.pendScale);
    b.pending = false;
  }

  flushAll(): void {
    for (const b of this.inBlocks) this.flush(b);
  }
}

/** Network populations in topological order of forward projections, or [] when cyclic. */
function topologicalOrder(pops: PopSlice[], blocks: Block[]): PopSlice[] {
  const indeg = new Map(pops.map((p) => [p, 0]));
  for (const b of blocks) indeg.set(b.to, indeg.get(b.to)! + 1);
  const order: PopSlice[] = [];
  const ready = pops.filter((p) => indeg.get(p) === 0);
  while (ready.length) {
    const p = ready.shift()!;
    order.push(p);
    for (const b of blocks) {
      if (b.from !== p) continue;
      indeg.set(b.to, indeg.get(b.to)! - 1);
      if (indeg.get(b.to) === 0) ready.push(b.to);
    }
  }
  return order.length === pops.length ? order : [];
}

// The trainers behind `nla train`: one sample at a time, so the driver can show progress,
// evaluate, checkpoint and stop between any two samples.
//  - NlaTrainer: the ideal model (emulator/ideal) runs the network's own dynamics and plasticity;
//    each digit is presented for `presentation` with its one-hot target on the output voltages.
//    Tests run a second model with beta = 0 and plasticity off, argmax of u_N at the end.
//  - BackpropTrainer: the baseline, plain per-sample SGD on the instantaneous forward net.
import type { NetworkIR } from '../../compiler/network/index.js';
import { evalActivation, initialBias, initialWeights } from '../../compiler/network/index.js';
import { createIdealModel, type IdealModel } from '../../emulator/ideal/index.js';
import { microcircuitLayers } from '../../emulator/ideal/solvers.js';
import type { NetState } from '../../emulator/ideal/state.js';
import type { Dataset } from '../../emulator/stimulus/signals.js';
import type { Experiment, TrainSettings } from './experiments.js';

export interface SampleResult {
  /** 1/2 |target - prediction|^2 of the free (un-nudged) output */
  loss: number;
  /** 1 when argmax(prediction) is the label */
  correct: number;
}

export interface Trainer {
  /** Euler steps (or samples' worth of work) per sample, for the speed figures */
  readonly stepsPerSample: number;
  trainOne(index: number): SampleResult;
  evalBegin(): void;
  evalOne(index: number): SampleResult;
  /** the test metric of the samples since evalBegin (accuracy or correlation) */
  evalEnd(): { metric: number; loss: number };
  /** learning-rate factor (schedules) */
  setEtaScale(f: number): void;
  snapshot(): Record<string, Float64Array>;
  restore(s: Record<string, Float64Array>): void;
  /** microcircuit nets: the angle (degrees) between WPI WIP and B W_next of the trained weights */
  alignmentAngle?(): number | null;
}

export interface TrainData {
  train: Dataset;
  test: Dataset;
}

function oneHot(label: number, out: Float64Array): Float64Array {
  out.fill(0);
  out[label] = 1;
  return out;
}

function argmax(v: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (v[from + k] > v[from + best]) best = k;
  return best;
}

function score(pred: ArrayLike<number>, from: number, target: Float64Array, label: number): SampleResult {
  let loss = 0;
  for (let k = 0; k < target.length; k++) loss += 0.5 * (target[k] - pred[from + k]) ** 2;
  return { loss, correct: argmax(pred, from, target.length) === label ? 1 : 0 };
}

export class NlaTrainer implements Trainer {
  readonly stepsPerSample: number;
  private started = false;
  private evalStarted = false;
  private readonly target = new Float64Array(10);
  private readonly ones = new Float64Array(10).fill(1);
  private readonly zeros = new Float64Array(10);
  private readonly pred = new Float64Array(10);
  private fwd = new Float64Array(0);
  private evalLoss = 0;
  private evalCorrect = 0;
  private evalCount = 0;
  private readonly impulse = new Float64Array(784);
  private readonly input: 'instant' | 'lowpass';
  private readonly settleAtSwitch: boolean;

  private constructor(
    readonly model: IdealModel,
    readonly evalModel: IdealModel,
    private readonly data: TrainData,
    s: TrainSettings,
  ) {
    this.stepsPerSample = Math.round(s.presentation / s.dt);
    this.input = s.input;
    this.fwd = new Float64Array(model.st.n);
    this.settleAtSwitch = model.scheme === 'explicit' || model.scheme === 'implicit';
  }

  static async create(exp: Experiment, s: TrainSettings, data: TrainData, kernels: 'wasm' | 'js' = 'wasm'): Promise<NlaTrainer> {
    const net = exp.network(s);
    const model = await createIdealModel(net, { scheme: exp.scheme, kernels });
    const testNet: NetworkIR = { ...net, dynamics: { ...net.dynamics, beta: 0 } };
    const evalModel = await createIdealModel(testNet, { scheme: exp.scheme, kernels });
    return new NlaTrainer(model, evalModel, data, s);
  }

  /**
   * One presentation. Input 'instant': the digit is the input rate rbar_in itself, so the raw
   * input r_in = (1 + tau_in d/dt) rbar_in carries the switch as a one-step impulse
   * rbar_in + tau_in (x - rbar_in) / dt (the same discrete delta as the spec's target kick) and is
   * x afterwards; rbar_in equals x from the first step on, as the input neurons of the authors'
   * code do. Input 'lowpass': x is the raw r_in and rbar_in follows it with tau_in.
   */
  private run(model: IdealModel, nudge: Float64Array, plastic: boolean, x: Float64Array, first: boolean): void {
    model.setTarget('out', this.target, nudge);
    model.setPlastic(plastic);
    if (first) {
      model.setInput('in', x);
      model.start();
    } else if (this.input === 'instant' && this.settleAtSwitch) {
      model.setInput('in', x);
      model.start();
    } else if (this.input === 'instant') {
      const st = model.st;
      const k = st.tauIn / st.dt;
      for (let j = 0; j < x.length; j++) this.impulse[j] = st.rbarIn[j] + k * (x[j] - st.rbarIn[j]);
      model.setInput('in', this.impulse);
      model.step();
      model.setInput('in', x);
    } else model.setInput('in', x);
    for (let k = first || this.input !== 'instant' || this.settleAtSwitch ? 0 : 1; k < this.stepsPerSample; k++) model.step();
  }

  trainOne(index: number): SampleResult {
    const label = this.data.train.label(index);
    oneHot(label, this.target);
    const x = this.data.train.input(index);
    const st = this.model.st;
    const out = st.bySpace.net.find((p) => p.pop.kind === 'output')!;
    if (st.nI > 0) {
      // microcircuit: the forward pass of the digit before it is learned (an online estimate).
      // At the end of the presentation the hidden voltages carry the apical input
      // B u_{l+1} - WPI uI, which carries the target until the lateral loop cancels the top-down
      // one, and 100 ms of plasticity on that error have moved the digit's own hidden
      // representation far towards its label: W_N rho(u_{N-1}) there reads the label back.
      forwardPass(st, x, this.fwd);
      this.run(this.model, this.ones, true, x, !this.started);
      this.started = true;
      return score(this.fwd, out.offset, this.target, label);
    }
    this.run(this.model, this.ones, true, x, !this.started);
    this.started = true;
    // the output's own prediction W_N rho(u_{N-1}) + b_N at the end of the presentation (what
    // it would say without nudging)
    const rb = st.tmp[0];
    const d1 = st.tmp[1];
    const d2 = st.tmp[2];
    st.activate(st.u, rb, d1, d2);
    for (let k = 0; k < out.size; k++) this.pred[k] = st.bias[out.offset + k];
    for (const b of st.netBlocks) {
      if (b.to !== out) continue;
      for (let i = 0; i < b.rows; i++) {
        let s = 0;
        for (let j = 0; j < b.cols; j++) s += b.W[i * b.cols + j] * rb[b.from.offset + j];
        this.pred[i] += s;
      }
    }
    return score(this.pred, 0, this.target, label);
  }

  evalBegin(): void {
    this.evalModel.restore(this.model.snapshot());
    this.evalStarted = false;
    this.evalLoss = 0;
    this.evalCorrect = 0;
    this.evalCount = 0;
  }

  evalOne(index: number): SampleResult {
    const label = this.data.test.label(index);
    this.target.fill(0);
    this.run(this.evalModel, this.zeros, false, this.data.test.input(index), !this.evalStarted);
    this.evalStarted = true;
    const st = this.evalModel.st;
    const out = st.bySpace.net.find((p) => p.pop.kind === 'output')!;
    const r = score(st.u, out.offset, oneHot(label, this.target), label);
    this.evalLoss += r.loss;
    this.evalCorrect += r.correct;
    this.evalCount++;
    return r;
  }

  evalEnd(): { metric: number; loss: number } {
    const n = Math.max(1, this.evalCount);
    return { metric: this.evalCorrect / n, loss: this.evalLoss / n };
  }

  setEtaScale(f: number): void {
    this.model.st.etaScale = f;
  }

  snapshot(): Record<string, Float64Array> {
    const s = this.model.snapshot();
    s.started = Float64Array.of(this.started ? 1 : 0);
    return s;
  }

  restore(s: Record<string, Float64Array>): void {
    this.model.restore(s);
    this.started = s.started?.[0] === 1;
  }

  alignmentAngle(): number | null {
    return this.model.st.nI > 0 ? alignmentAngle(this.model.st) : null;
  }
}

/**
 * The instantaneous forward pass of a feedforward net for the input rates x (bias + W_in x, then
 * W rho(u) layer by layer, no errors) into out, over the network neurons; the state is not
 * touched (deferred input plasticity is applied first, bit-identical to applying it later).
 */
function forwardPass(st: NetState, x: Float64Array, out: Float64Array): void {
  st.flushAll();
  const r = new Float64Array(st.n);
  const s1 = new Float64Array(st.n);
  const s2 = new Float64Array(st.n);
  for (const p of st.topo) {
    for (let i = p.offset; i < p.offset + p.size; i++) out[i] = st.bias[i];
    for (const b of st.blocks) {
      if (b.to !== p || b.proj.role !== 'forward') continue;
      const src = b.from.space === 'input' ? x : r;
      const xo = b.from.space === 'input' ? 0 : b.from.offset;
      for (let i = 0; i < b.rows; i++) {
        let s = 0;
        for (let j = 0; j < b.cols; j++) s += b.W[i * b.cols + j] * src[xo + j];
        out[p.offset + i] += s;
      }
    }
    evalActivation(p.pop.neuron, out, p.offset, p.offset + p.size, r, s1, s2);
  }
}

/**
 * The angle (degrees) between the lateral loop WPI WIP and the top-down loop B W_next of the
 * first microcircuit layer l (spec section 4: after learning WPI_l WIP_l -> B_l W_{l+1}), the
 * angle of the two n_l x n_l matrices as vectors: acos(<X, Y>_F / (|X|_F |Y|_F)). Computed with
 * the small Gram matrices (<WPI WIP, B W> = tr((WPI^T B)(W WIP^T)), |WPI WIP|^2 =
 * tr((WPI^T WPI)(WIP WIP^T)), |B W|^2 = tr((B^T B)(W W^T))), so no n_l x n_l product is formed.
 */
export function alignmentAngle(st: NetState): number | null {
  const mc = microcircuitLayers(st)[0];
  if (!mc) return null;
  const B = mc.topdown[0];
  const up = B?.from;
  const Wn = up && st.netBlocks.find((b) => b.from === mc.layer && b.to === up);
  if (!B || !Wn) return null;
  return loopAngle({ WPI: mc.wpi.W, WIP: mc.wip.W, B: B.W, W: Wn.W }, mc.layer.size, mc.inter.size, up.size);
}

/**
 * alignmentAngle of the four matrices themselves (row-major, rows = postsynaptic): WPI nl x ni,
 * WIP ni x nl, B nl x nu, W nu x nl, for weights that do not live in a NetState (the chip's,
 * read back).
 */
export function loopAngle(m: { WPI: Float64Array; WIP: Float64Array; B: Float64Array; W: Float64Array }, nl: number, ni: number, nu: number): number | null {
  // P^T Q with P: nl x a (row-major, stride a), Q: nl x b  -> a x b
  const tn = (P: Float64Array, a: number, Q: Float64Array, b: number): Float64Array => {
    const out = new Float64Array(a * b);
    for (let r = 0; r < nl; r++) for (let i = 0; i < a; i++) {
      const p = P[r * a + i];
      if (p !== 0) for (let j = 0; j < b; j++) out[i * b + j] += p * Q[r * b + j];
    }
    return out;
  };
  // P Q^T with P: a x nl, Q: b x nl -> a x b
  const nt = (P: Float64Array, a: number, Q: Float64Array, b: number): Float64Array => {
    const out = new Float64Array(a * b);
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) {
      let s = 0;
      for (let r = 0; r < nl; r++) s += P[i * nl + r] * Q[j * nl + r];
      out[i * b + j] = s;
    }
    return out;
  };
  // tr(M N) for M: a x b, N: b x a
  const trace = (M: Float64Array, a: number, N: Float64Array, b: number): number => {
    let s = 0;
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) s += M[i * b + j] * N[j * a + i];
    return s;
  };
  const { WPI, WIP, W } = m;
  const Bw = m.B;
  const xy = trace(tn(WPI, ni, Bw, nu), ni, nt(W, nu, WIP, ni), nu);
  const xx = trace(tn(WPI, ni, WPI, ni), ni, nt(WIP, ni, WIP, ni), ni);
  const yy = trace(tn(Bw, nu, Bw, nu), nu, nt(W, nu, W, nu), nu);
  if (!(xx > 0 && yy > 0)) return null;
  const c = Math.max(-1, Math.min(1, xy / Math.sqrt(xx * yy)));
  return (Math.acos(c) * 180) / Math.PI;
}

/**
 * Plain SGD backprop on a layered net of the experiment (same shapes, activations, biases and
 * initial weights as the NLA net): forward u_l = W_l rho(u_{l-1}) + b_l with rho(u_0) = pixels,
 * loss 1/2 |onehot - u_N|^2 on the output voltages, one update per sample with learning rate
 * lr = eta * presentation * beta (the step NLA's rt-DeEP takes on one digit: dW/dt = eta em r^T
 * with em ~ beta (u* - u_N) for one presentation).
 */
export class BackpropTrainer implements Trainer {
  readonly stepsPerSample = 1;
  private readonly W: Float64Array[] = [];
  private readonly b: Float64Array[] = [];
  private readonly sizes: number[];
  private readonly u: Float64Array[];
  private readonly r: Float64Array[];
  private readonly d1: Float64Array[];
  private readonly delta: Float64Array[];
  private readonly target: Float64Array;
  private readonly d2: Float64Array[];
  private readonly lr: number;
  private etaScale = 1;
  private evalLoss = 0;
  private evalCorrect = 0;
  private evalCount = 0;

  constructor(
    private readonly net: NetworkIR,
    s: TrainSettings,
    private readonly data: TrainData,
  ) {
    // a chain of populations: input -> ... -> output, one forward projection between neighbours
    const pops = net.populations;
    this.sizes = pops.map((p) => p.size);
    for (let l = 1; l < pops.length; l++) {
      const idx = net.projections.findIndex((p) => p.from === pops[l - 1].name && p.to === pops[l].name && p.role === 'forward');
      if (idx < 0 || net.projections.length !== pops.length - 1) throw new Error(`backprop baseline: ${net.file} is not a chain of populations`);
      this.W.push(initialWeights(net, idx));
      this.b.push(pops[l].neuron.bias ? initialBias(net, l) : new Float64Array(pops[l].size));
    }
    const alloc = () => this.sizes.map((n) => new Float64Array(n));
    this.u = alloc();
    this.r = alloc();
    this.d1 = alloc();
    this.delta = alloc();
    this.d2 = alloc();
    this.target = new Float64Array(this.sizes[this.sizes.length - 1]);
    this.lr = s.eta * s.presentation * net.dynamics.beta;
  }

  private forward(x: Float64Array): void {
    this.r[0].set(x);
    const L = this.sizes.length;
    for (let l = 1; l < L; l++) {
      const W = this.W[l - 1];
      const rows = this.sizes[l];
      const cols = this.sizes[l - 1];
      const prev = this.r[l - 1];
      const u = this.u[l];
      for (let i = 0; i < rows; i++) {
        let s = this.b[l - 1][i];
        const o = i * cols;
        for (let j = 0; j < cols; j++) s += W[o + j] * prev[j];
        u[i] = s;
      }
      const neuron = this.net.populations[l].neuron;
      evalActivation(neuron, u, 0, rows, this.r[l], this.d1[l], this.d2[l]);
    }
  }

  trainOne(index: number): SampleResult {
    const label = this.data.train.label(index);
    oneHot(label, this.target);
    this.forward(this.data.train.input(index));
    const L = this.sizes.length;
    const res = score(this.u[L - 1], 0, this.target, label);
    // output delta = t - u_N (the output voltage is the prediction); hidden: rho' . W^T delta
    const dN = this.delta[L - 1];
    for (let i = 0; i < dN.length; i++) dN[i] = this.target[i] - this.u[L - 1][i];
    for (let l = L - 2; l >= 1; l--) {
      const W = this.W[l];
      const rows = this.sizes[l + 1];
      const cols = this.sizes[l];
      const d = this.delta[l];
      d.fill(0);
      const up = this.delta[l + 1];
      for (let i = 0; i < rows; i++) {
        const c = up[i];
        if (c === 0) continue;
        const o = i * cols;
        for (let j = 0; j < cols; j++) d[j] += W[o + j] * c;
      }
      for (let j = 0; j < cols; j++) d[j] *= this.d1[l][j];
    }
    const lr = this.lr * this.etaScale;
    for (let l = 1; l < L; l++) {
      const W = this.W[l - 1];
      const rows = this.sizes[l];
      const cols = this.sizes[l - 1];
      const pre = this.r[l - 1];
      const d = this.delta[l];
      const bias = this.net.populations[l].neuron.bias;
      for (let i = 0; i < rows; i++) {
        const c = lr * d[i];
        if (c === 0) continue;
        const o = i * cols;
        for (let j = 0; j < cols; j++) W[o + j] += c * pre[j];
        if (bias) this.b[l - 1][i] += c;
      }
    }
    return res;
  }

  evalBegin(): void {
    this.evalLoss = 0;
    this.evalCorrect = 0;
    this.evalCount = 0;
  }

  evalOne(index: number): SampleResult {
    const label = this.data.test.label(index);
    this.forward(this.data.test.input(index));
    const r = score(this.u[this.sizes.length - 1], 0, oneHot(label, this.target), label);
    this.evalLoss += r.loss;
    this.evalCorrect += r.correct;
    this.evalCount++;
    return r;
  }

  evalEnd(): { metric: number; loss: number } {
    const n = Math.max(1, this.evalCount);
    return { metric: this.evalCorrect / n, loss: this.evalLoss / n };
  }

  setEtaScale(f: number): void {
    this.etaScale = f;
  }

  snapshot(): Record<string, Float64Array> {
    const s: Record<string, Float64Array> = {};
    this.W.forEach((w, l) => (s[`W${l + 1}`] = w.slice()));
    this.b.forEach((b, l) => (s[`b${l + 1}`] = b.slice()));
    return s;
  }

  restore(s: Record<string, Float64Array>): void {
    const put = (key: string, dst: Float64Array) => {
      const v = s[key];
      if (!v || v.length !== dst.length) throw new Error(`backprop checkpoint: '${key}' missing or of the wrong size`);
      dst.set(v);
    };
    this.W.forEach((w, l) => put(`W${l + 1}`, w));
    this.b.forEach((b, l) => put(`b${l + 1}`, b));
  }
}

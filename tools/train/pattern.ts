// Recurrent pattern completion (spec section 8, Fig. 3 setup) on the ideal model. The visible
// neurons' targets are one generated multichannel signal (emulator/stimulus/signals.ts, the
// stand-in for the paper's iEEG). Training sample k is the window [k T, (k+1) T) of the signal
// with every visible neuron nudged and plasticity on; each epoch replays the same training span
// [0, train T). Testing runs a copy of the weights on the held-out span that follows it
// ([train T, (train + test) T)) with the first 42 visible neurons nudged and the last 14 free,
// and reports the Pearson correlation of each free neuron's voltage with its true signal,
// averaged over the 14 (the first window is warm-up and not scored).
import type { NetworkIR } from '../../compiler/network/index.js';
import { createIdealModel, type IdealModel } from '../../emulator/ideal/index.js';
import { createSignal, type SignalSource } from '../../emulator/stimulus/signals.js';
import { PATTERN_FREE, PATTERN_VISIBLE, type Experiment, type TrainSettings } from './experiments.js';
import type { SampleResult, Trainer } from './trainers.js';

export class PatternTrainer implements Trainer {
  readonly stepsPerSample: number;
  private readonly signal: SignalSource;
  private readonly target = new Float64Array(PATTERN_VISIBLE);
  private readonly all = new Float64Array(PATTERN_VISIBLE).fill(1);
  private readonly partial = new Float64Array(PATTERN_VISIBLE);
  private started = false;
  private evalStarted = false;
  private readonly vis: number; // offset of the visible neurons among the network neurons
  private readonly corr = new FreeCorrelation();
  private evalLoss = 0;
  private evalSamples = 0;

  private constructor(
    readonly model: IdealModel,
    readonly evalModel: IdealModel,
    private readonly s: TrainSettings,
  ) {
    this.stepsPerSample = Math.round(s.presentation / s.dt);
    const net = model.net;
    const spec = net.stimulus.targets.visible;
    this.signal = createSignal(spec, PATTERN_VISIBLE, 'target', { presentation: s.presentation, where: net.file });
    this.partial.fill(1, 0, PATTERN_VISIBLE - PATTERN_FREE);
    this.vis = model.st.bySpace.net.find((p) => p.pop.name === 'visible')!.offset;
  }

  static async create(exp: Experiment, s: TrainSettings, kernels: 'wasm' | 'js' = 'wasm'): Promise<PatternTrainer> {
    const net: NetworkIR = exp.network(s);
    const model = await createIdealModel(net, { scheme: exp.scheme, kernels });
    const evalModel = await createIdealModel(net, { scheme: exp.scheme, kernels });
    return new PatternTrainer(model, evalModel, s);
  }

  /** one window starting at time t0; calls `each` after every step */
  private run(model: IdealModel, t0: number, nudge: Float64Array, plastic: boolean, first: boolean, each?: () => void): void {
    model.setPlastic(plastic);
    for (let k = 0; k < this.stepsPerSample; k++) {
      this.signal.fill(t0 + k * this.s.dt, this.target);
      model.setTarget('visible', this.target, nudge);
      if (first && k === 0) model.start();
      model.step();
      each?.();
    }
  }

  trainOne(index: number): SampleResult {
    // index 0 restarts the training span: settle there instead of kicking across the jump
    this.run(this.model, index * this.s.presentation, this.all, true, !this.started || index === 0);
    this.started = true;
    // the visible neurons' own prediction W rho(u) (+ bias) against the target at the window's end
    const st = this.model.st;
    const [rb, d1, d2, pred] = st.tmp;
    st.activate(st.u, rb, d1, d2);
    st.netMv(rb, pred);
    this.signal.fill((index + 1) * this.s.presentation, this.target);
    let loss = 0;
    for (let i = 0; i < PATTERN_VISIBLE; i++) loss += 0.5 * (this.target[i] - pred[this.vis + i] - st.bias[this.vis + i]) ** 2;
    return { loss: loss / PATTERN_VISIBLE, correct: 0 };
  }

  evalBegin(): void {
    this.evalModel.restore(this.model.snapshot());
    this.evalStarted = false;
    this.corr.reset();
    this.evalLoss = 0;
    this.evalSamples = 0;
  }

  evalOne(index: number): SampleResult {
    const t0 = (this.s.train + index) * this.s.presentation;
    const st = this.evalModel.st;
    const first = this.evalStarted === false;
    let loss = 0;
    let n = 0;
    const free0 = PATTERN_VISIBLE - PATTERN_FREE;
    this.run(this.evalModel, t0, this.partial, false, first, () => {
      if (index === 0) return; // warm-up window
      for (let c = 0; c < PATTERN_FREE; c++) {
        const x = st.u[this.vis + free0 + c];
        const y = st.uStar[this.vis + free0 + c];
        this.corr.add(c, x, y);
        loss += 0.5 * (x - y) ** 2;
        n++;
      }
    });
    this.evalStarted = true;
    if (n) {
      this.evalLoss += loss / n;
      this.evalSamples++;
    }
    return { loss: n ? loss / n : 0, correct: 0 };
  }

  evalEnd(): { metric: number; loss: number } {
    return { metric: this.corr.mean(), loss: this.evalSamples ? this.evalLoss / this.evalSamples : 0 };
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
}

/**
 * The test metric of pattern completion (ideal and chip trainers): the Pearson correlation of
 * each free neuron's voltage with its true signal over the scored steps, averaged over the
 * PATTERN_FREE free neurons (a channel without variance counts 0).
 */
export class FreeCorrelation {
  // per free channel: n, sx, sy, sxx, syy, sxy
  private readonly sums = new Float64Array(PATTERN_FREE * 6);

  reset(): void {
    this.sums.fill(0);
  }

  /** one step of free channel c: voltage x, truth y */
  add(c: number, x: number, y: number): void {
    const o = c * 6;
    this.sums[o] += 1;
    this.sums[o + 1] += x;
    this.sums[o + 2] += y;
    this.sums[o + 3] += x * x;
    this.sums[o + 4] += y * y;
    this.sums[o + 5] += x * y;
  }

  mean(): number {
    let sum = 0;
    for (let c = 0; c < PATTERN_FREE; c++) {
      const [n, sx, sy, sxx, syy, sxy] = this.sums.subarray(c * 6, c * 6 + 6);
      const cov = sxy / n - (sx / n) * (sy / n);
      const vx = sxx / n - (sx / n) ** 2;
      const vy = syy / n - (sy / n) ** 2;
      sum += vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
    }
    return sum / PATTERN_FREE;
  }
}

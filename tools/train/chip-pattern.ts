// `nla train pattern --backend chip --hw <preset>`: recurrent pattern completion (pattern.ts) with
// the network compiled for a hw-spec and trained with the chip's own plasticity on the Wasm
// emulator. A training window sets the visible targets every step (all 56 nudged, plasticity on);
// a test runs the held-out span on the same chip with the last 14 visible neurons free and
// plasticity off, and correlates their probed voltages with the truth, as the ideal trainer does.
// Unlike the ideal trainer the chip cannot re-settle (there is no start() that moves its state to
// an equilibrium) nor test on a copy (chip-session.ts): every window, including the first one of
// the span and the first after a test, starts from where the chip was.
import type { Image } from '../../compiler/image/types.js';
import type { WasmChip } from '../../emulator/chip/wasm.js';
import { createSignal, type SignalSource } from '../../emulator/stimulus/signals.js';
import { ChipTrainerBase, compileForChip } from './chip-session.js';
import { PATTERN_FREE, PATTERN_VISIBLE, type Experiment, type TrainSettings } from './experiments.js';
import { FreeCorrelation } from './pattern.js';
import type { SampleResult } from './trainers.js';

/**
 * Range growth of the plastic projections (quantize's `growth`), measured. The ideal trainer's
 * 6-epoch run (defaults, seed 1) grows the largest |w| 2.32x (visible->visible), 1.35x
 * (hidden->visible), 1.26x (visible->hidden), 1.17x (hidden->hidden); on the chip
 * (high-precision, no growth, same 6 epochs) they grow more: 2.26x, 1.41x, 1.79x, 2.01x. Sized
 * to hold the chip's (weight codes up to about 1.0 on high-precision and default); with 1.5 for
 * the last three the weights saturated at 0.5 on both presets (docs/train.md, Chip backend).
 */
export const CHIP_PATTERN_GROWTH: Record<string, number> = { 'visible->visible': 2.5, 'hidden->visible': 2, 'visible->hidden': 2, 'hidden->hidden': 2 };
/**
 * Default implicit_relaxation of the chip's (Jacobi) implicit iteration (`--relaxation`). The
 * recurrent net allows neither the forward sweep nor a layer order; with the plain iteration (1)
 * the 8-bit `default` chip oscillates from the first training windows (DAC clips, then
 * saturation); at 0.5 it does not. The relaxed iteration learns more slowly after epoch 2 (in f64
 * 0.723 after 6 epochs, the plain one 0.860): high-precision, which does not oscillate, is run
 * with 1 in the results plan.
 */
export const CHIP_PATTERN_RELAXATION = 0.5;

export class ChipPatternTrainer extends ChipTrainerBase {
  private readonly signal: SignalSource;
  private readonly target = new Float64Array(PATTERN_VISIBLE);
  private readonly all = new Float64Array(PATTERN_VISIBLE).fill(1);
  private readonly partial = new Float64Array(PATTERN_VISIBLE).fill(1, 0, PATTERN_VISIBLE - PATTERN_FREE);
  private readonly u = new Float64Array(PATTERN_VISIBLE);
  private readonly corr = new FreeCorrelation();
  private evalLoss = 0;
  private evalSamples = 0;

  private constructor(
    chip: WasmChip,
    image: Image,
    hw: string,
    private readonly s: TrainSettings,
    exp: Experiment,
  ) {
    super(chip, image, hw, Math.round(s.presentation / s.dt));
    const net = exp.network(s);
    this.signal = createSignal(net.stimulus.targets.visible, PATTERN_VISIBLE, 'target', { presentation: s.presentation, where: net.file });
  }

  static create(exp: Experiment, s: TrainSettings, hw: string, relaxation = CHIP_PATTERN_RELAXATION): ChipPatternTrainer {
    let net = exp.network(s);
    net = { ...net, dynamics: { ...net.dynamics, implicitRelaxation: relaxation } };
    const what = `pattern network (${PATTERN_VISIBLE} visible + ${s.hidden} hidden, fully recurrent)`;
    const { chip, image } = compileForChip(net, hw, s.seed, what, { probes: ['visible.u'], growth: CHIP_PATTERN_GROWTH });
    return new ChipPatternTrainer(chip, image, hw, s, exp);
  }

  /** one window of the signal starting at t0: the visible targets of every step, then the step */
  private run(t0: number, nudge: Float64Array, plastic: boolean, each?: () => void): void {
    this.chip.setPlastic(plastic);
    for (let k = 0; k < this.stepsPerSample; k++) {
      this.signal.fill(t0 + k * this.s.dt, this.target);
      this.chip.setTarget('visible', this.target, nudge);
      this.chip.step();
      each?.();
    }
  }

  protected trainSample(index: number): SampleResult {
    this.run(index * this.s.presentation, this.all, true);
    // the visible voltages under nudging against the window's last target (the chip does not
    // expose the free prediction W rho(u) the ideal trainer reports)
    this.chip.probe('visible', 'u', this.u);
    let loss = 0;
    for (let i = 0; i < PATTERN_VISIBLE; i++) loss += 0.5 * (this.target[i] - this.u[i]) ** 2;
    return { loss: loss / PATTERN_VISIBLE, correct: 0 };
  }

  protected evalStart(): void {
    this.corr.reset();
    this.evalLoss = 0;
    this.evalSamples = 0;
  }

  protected evalSample(index: number): SampleResult {
    const free0 = PATTERN_VISIBLE - PATTERN_FREE;
    let loss = 0;
    let n = 0;
    this.run((this.s.train + index) * this.s.presentation, this.partial, false, () => {
      if (index === 0) return; // warm-up window: it also carries the chip over from training
      this.chip.probe('visible', 'u', this.u);
      for (let c = 0; c < PATTERN_FREE; c++) {
        const x = this.u[free0 + c];
        const y = this.target[free0 + c];
        this.corr.add(c, x, y);
        loss += 0.5 * (x - y) ** 2;
        n++;
      }
    });
    if (n) {
      this.evalLoss += loss / n;
      this.evalSamples++;
    }
    return { loss: n ? loss / n : 0, correct: 0 };
  }

  protected evalResult(): { metric: number; loss: number } {
    return { metric: this.corr.mean(), loss: this.evalSamples ? this.evalLoss / this.evalSamples : 0 };
  }
}

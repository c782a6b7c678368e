// The network's stimulus and protocol for several levels in lock step: each tick's inputs, targets,
// nudge masks and plasticity are computed once and written to every level, so the levels see the
// same numbers. Also the label of the sample on show, when an input comes from a labelled dataset.
import type { NetworkIR } from '../../compiler/network/index.js';
import type { Backend } from '../../emulator/backend.js';
import { planSteps } from '../../emulator/simulate.js';
import { createSignal, type SignalContext, type SignalSource } from '../../emulator/stimulus/signals.js';

type Driven = Pick<Backend, 'setInput' | 'setTarget' | 'setPlastic'>;

export class StimulusDriver {
  private readonly inputs: { name: string; src: SignalSource; buf: Float64Array }[] = [];
  private readonly targets: { name: string; src: SignalSource | null; buf: Float64Array; masks: Float64Array[] }[] = [];
  private readonly phaseStart: number[];
  private readonly labelled: SignalSource | undefined;

  constructor(
    private readonly net: NetworkIR,
    ctx: SignalContext,
    steps: number,
  ) {
    const size = (name: string) => net.populations.find((p) => p.name === name)!.size;
    for (const [name, spec] of Object.entries(net.stimulus.inputs))
      this.inputs.push({ name, src: createSignal(spec, size(name), 'input', { ...ctx, where: `${net.file}: stimulus.inputs.${name}` }), buf: new Float64Array(size(name)) });
    for (const p of net.populations) {
      if (p.kind !== 'output') continue;
      const spec = net.stimulus.targets[p.name];
      const masks = net.phases.map((ph) => {
        const m = new Float64Array(p.size);
        for (const sel of ph.nudge) if (sel.population === p.name) m.fill(1, sel.start, sel.end);
        return m;
      });
      const src = spec ? createSignal(spec, p.size, 'target', { ...ctx, where: `${net.file}: stimulus.targets.${p.name}` }) : null;
      this.targets.push({ name: p.name, src, buf: new Float64Array(p.size), masks });
    }
    this.phaseStart = planSteps(net, { steps }).phaseStart;
    this.labelled = this.inputs.find((x) => x.src.label)?.src;
  }

  /** index of the phase active at tick k (the last phase extends past its end) */
  phase(k: number): number {
    let p = 0;
    while (p + 1 < this.phaseStart.length && k >= this.phaseStart[p + 1]!) p++;
    return p;
  }

  /** whether plasticity is on at tick k */
  plastic(k: number): boolean {
    return this.net.phases[this.phase(k)]!.plastic;
  }

  get hasLabels(): boolean {
    return this.labelled !== undefined;
  }

  /** the label of the sample shown at tick k (null without a labelled input) */
  label(k: number): number | null {
    return this.labelled?.label ? this.labelled.label(k * this.net.dynamics.dt) : null;
  }

  /** write tick k's stimulus and protocol to every level */
  place(k: number, levels: Driven[]): void {
    const t = k * this.net.dynamics.dt;
    const phase = this.phase(k);
    for (const x of this.inputs) {
      x.src.fill(t, x.buf);
      for (const l of levels) l.setInput(x.name, x.buf);
    }
    for (const y of this.targets) {
      if (y.src) y.src.fill(t, y.buf);
      for (const l of levels) l.setTarget(y.name, y.buf, y.masks[phase]!);
    }
    for (const l of levels) l.setPlastic(this.net.phases[phase]!.plastic);
  }
}

// Signal generators for inputs and targets. Every value is a pure function of (spec, seed, t):
// the same run gives the same bits whatever the step size or the order of calls.
import { Rng } from '../../compiler/common/rng.js';
import type { SignalSpec } from '../../compiler/network/index.js';
import { UserError } from '../../compiler/common/errors.js';

export interface Dataset {
  /** number of samples in the requested split */
  readonly length: number;
  /** pixels of sample i in [0, 1] */
  input(i: number): Float64Array;
  label(i: number): number;
}

export interface SignalSource {
  readonly size: number;
  fill(t: number, out: Float64Array): void;
  /** dataset-driven sources: the label of the sample shown at time t */
  label?(t: number): number;
  /** dataset-driven sources: the index of the sample shown at time t (fill is a function of it) */
  sample?(t: number): number;
}

export interface SignalContext {
  presentation: number;
  /** loads a dataset split (the Node host passes the MNIST loader; browsers their own) */
  dataset?: (split: 'train' | 'test') => Dataset;
  /** for messages */
  where: string;
}

const TWO_PI = 2 * Math.PI;

export function createSignal(spec: SignalSpec, size: number, role: 'input' | 'target', ctx: SignalContext): SignalSource {
  switch (spec.kind) {
    case 'constant': {
      const v = new Float64Array(size);
      if (Array.isArray(spec.value)) v.set(spec.value);
      else v.fill(spec.value);
      return { size, fill: (_t, out) => out.set(v) };
    }
    case 'sine':
      return {
        size,
        fill(t, out) {
          for (let i = 0; i < size; i++) out[i] = spec.offset + spec.amplitude * Math.sin(TWO_PI * spec.freq * t + i * spec.phaseSpread);
        },
      };
    case 'square':
      return {
        size,
        fill(t, out) {
          out.fill(Math.floor(t / spec.period + 1e-9) % 2 === 0 ? spec.low : spec.high);
        },
      };
    case 'random_steps': {
      let current = -1;
      const level = new Float64Array(size);
      return {
        size,
        fill(t, out) {
          const k = Math.floor(t / spec.period + 1e-9);
          if (k !== current) {
            const rng = new Rng(spec.seed, 20000 + k);
            for (let i = 0; i < size; i++) level[i] = rng.range(spec.low, spec.high);
            current = k;
          }
          out.set(level);
        },
      };
    }
    case 'multichannel':
      return multichannel(spec, size);
    case 'mnist': {
      if (!ctx.dataset) throw new UserError(`${ctx.where}: the mnist dataset is not available in this environment`);
      const data = ctx.dataset(spec.split);
      const count = Math.min(spec.count, data.length - spec.offset);
      if (count <= 0)
        throw new UserError(`${ctx.where}: offset ${spec.offset} is past the end of the mnist ${spec.split} split (${data.length} samples). Use a smaller offset`);
      const index = (t: number) => spec.offset + (Math.floor(t / ctx.presentation + 1e-9) % count);
      if (role === 'input') {
        return {
          size,
          fill(t, out) {
            const x = data.input(index(t));
            for (let i = 0; i < size; i++) out[i] = spec.off + (spec.on - spec.off) * x[i];
          },
          label: (t) => data.label(index(t)),
          sample: index,
        };
      }
      return {
        size,
        fill(t, out) {
          const y = data.label(index(t));
          for (let i = 0; i < size; i++) out[i] = i === y ? spec.on : spec.off;
        },
        label: (t) => data.label(index(t)),
        sample: index,
      };
    }
  }
}

/**
 * Correlated multichannel signals (stand-in for the paper's iEEG): `latents` slow sinusoids with
 * seeded frequencies and phases, mixed into each channel by seeded weights and squashed into
 * [low, high]. Channels share latents, so free channels are predictable from nudged ones.
 */
function multichannel(spec: Extract<SignalSpec, { kind: 'multichannel' }>, size: number): SignalSource {
  const rng = new Rng(spec.seed, 30000);
  const K = spec.latents;
  const freq = Float64Array.from({ length: K }, () => rng.range(spec.fmin, spec.fmax));
  const phase = Float64Array.from({ length: K }, () => rng.range(0, TWO_PI));
  const mix = Float64Array.from({ length: size * K }, () => rng.normal() / Math.sqrt(K));
  const lat = new Float64Array(K);
  return {
    size,
    fill(t, out) {
      for (let k = 0; k < K; k++) lat[k] = Math.sin(TWO_PI * freq[k] * t + phase[k]);
      for (let i = 0; i < size; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += mix[i * K + k] * lat[k];
        out[i] = spec.low + (spec.high - spec.low) / (1 + Math.exp(-2 * s));
      }
    },
  };
}

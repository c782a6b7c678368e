// Transfer functions rho with their first and second derivatives, evaluated over a slice of
// neurons. One table: adding an activation means adding one entry here.
import type { Activation, NeuronModel } from './ir.js';

export interface ActivationParams {
  clipMax: number;
  stdA: number;
  stdD: number;
}

type Eval = (u: number, p: ActivationParams, out: Float64Array, k: number) => void;
// `out` holds rho, rho', rho'' at k, k+1, k+2 (scratch triple, avoids allocating per neuron)

// piecewiseLinear: rho'' is 0 everywhere (kinks aside); the chip needs no lookup table for it.
const TABLE: Record<Activation, { evaluate: Eval; piecewiseLinear?: true }> = {
  hard_sigmoid: {
    piecewiseLinear: true,
    evaluate: (u, _p, o, k) => {
      o[k] = u <= 0 ? 0 : u >= 1 ? 1 : u;
      o[k + 1] = u > 0 && u < 1 ? 1 : 0;
      o[k + 2] = 0;
    },
  },
  relu: {
    piecewiseLinear: true,
    evaluate: (u, _p, o, k) => {
      o[k] = u > 0 ? u : 0;
      o[k + 1] = u > 0 ? 1 : 0;
      o[k + 2] = 0;
    },
  },
  clipped_relu: {
    piecewiseLinear: true,
    evaluate: (u, p, o, k) => {
      o[k] = u <= 0 ? 0 : u >= p.clipMax ? p.clipMax : u;
      o[k + 1] = u > 0 && u < p.clipMax ? 1 : 0;
      o[k + 2] = 0;
    },
  },
  linear: {
    piecewiseLinear: true,
    evaluate: (u, _p, o, k) => {
      o[k] = u;
      o[k + 1] = 1;
      o[k + 2] = 0;
    },
  },
  logistic: {
    evaluate: (u, _p, o, k) => {
      const s = u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
      const d = s * (1 - s);
      o[k] = s;
      o[k + 1] = d;
      o[k + 2] = d * (1 - 2 * s);
    },
  },
  tanh: {
    evaluate: (u, _p, o, k) => {
      const t = Math.tanh(u);
      const d = 1 - t * t;
      o[k] = t;
      o[k + 1] = d;
      o[k + 2] = -2 * t * d;
    },
  },
  softplus: {
    evaluate: (u, _p, o, k) => {
      const s = u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
      o[k] = u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
      o[k + 1] = s;
      o[k + 2] = s * (1 - s);
    },
  },
  std: {
    evaluate: (u, p, o, k) => {
      if (u <= 0) {
        o[k] = 0;
        o[k + 1] = 0;
        o[k + 2] = 0;
        return;
      }
      // rho_std(u) = 1/2 (u - theta + sqrt((u - theta)^2 + 4u/d)), spec section 5
      const theta = (1 + p.stdA) / p.stdD;
      const g = (u - theta) * (u - theta) + (4 * u) / p.stdD;
      const gp = 2 * (u - theta) + 4 / p.stdD;
      const s = Math.sqrt(g);
      o[k] = 0.5 * (u - theta + s);
      o[k + 1] = 0.5 * (1 + gp / (2 * s));
      o[k + 2] = 0.5 * (1 / s - (gp * gp) / (4 * s * s * s));
    },
  },
};

const scratch = new Float64Array(3);

/** rho, rho', rho'' of u[start..end) into rb, d1, d2 (same indices). */
export function evalActivation(
  neuron: NeuronModel,
  u: Float64Array,
  start: number,
  end: number,
  rb: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
): void {
  const f = TABLE[neuron.activation].evaluate;
  for (let i = start; i < end; i++) {
    f(u[i], neuron, scratch, 0);
    rb[i] = scratch[0];
    d1[i] = scratch[1];
    d2[i] = scratch[2];
  }
}

/** rho(u) for a single value (used by tests and stimulus code). */
export function rho(neuron: ActivationParams & { activation: Activation }, u: number): number {
  TABLE[neuron.activation].evaluate(u, neuron, scratch, 0);
  return scratch[0];
}

/** Vesicle pool of a depressing synapse, spec section 5: v(rbar) = 1 + a / (1 + d rbar). */
export function vesiclePool(a: number, d: number, rbar: number): number {
  return 1 + a / (1 + d * rbar);
}

/** rho (derivative 0), rho' (1) or rho'' (2) at one value. */
export function activationAt(neuron: ActivationParams & { activation: Activation }, derivative: 0 | 1 | 2, u: number): number {
  TABLE[neuron.activation].evaluate(u, neuron, scratch, 0);
  return scratch[derivative];
}

/**
 * The value of rho (derivative 0), rho' or rho'' when it does not depend on u, else undefined:
 * rho'' of piecewise-linear functions, rho' of linear. 'identity' when rho(u) = u.
 */
export function constantTransfer(activation: Activation, derivative: 0 | 1 | 2): number | 'identity' | undefined {
  if (activation === 'linear') return derivative === 0 ? 'identity' : derivative === 1 ? 1 : 0;
  if (derivative === 2 && TABLE[activation].piecewiseLinear) return 0;
  return undefined;
}

/** What a lookup table of the chip holds: rho, rho' or rho'' of an activation, or the STD pool's
 * steady state v_inf(r) = 1 + a / (1 + d r) (spec section 5; v_inf(rho_std(u)) rho_std(u) = u). */
export interface TableFn extends ActivationParams {
  activation: Activation | 'std_vinf';
  derivative: 0 | 1 | 2;
}

export function tableValue(fn: TableFn, x: number): number {
  if (fn.activation === 'std_vinf') return 1 + fn.stdA / (1 + fn.stdD * Math.max(0, x));
  return activationAt(fn as ActivationParams & { activation: Activation }, fn.derivative, x);
}

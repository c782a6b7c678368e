// Pass `quantize`: choose the fixed-point scales of a Program from the hw-spec's formats and the
// ranges of a calibration run (see ir/quant.ts for what is decided and why), and flag tensors that
// would saturate or use too little of their format. Weights that the weight format cannot hold
// are an error: they would be clipped before the first tick.
import { UserError } from '../common/errors.js';
import { codeRange, type HwSpec } from '../hwspec/index.js';
import { tableValue } from '../network/activations.js';
import { opOperands, type LutFn, type Program } from '../ir/program.js';
import type { Quantization, Ranges, RangeStatus, TensorRange } from '../ir/quant.js';

/** fewer significant bits than this in the largest value: the tensor is flagged as underused */
export const MIN_BITS_USED = 4;
/** crossbar inputs and outputs may exceed their calibrated range by this factor before clipping */
export const HEADROOM = 1.25;
export const HEADROOM_ERRORS = 2;
/** lookup tables span the calibrated input range times this (encode) */
export const LUT_HEADROOM = 1.25;

function rangeOf(maxAbs: number, frac: number, limit: number, min = -maxAbs): TensorRange {
  const bitsUsed = maxAbs > 0 ? Math.log2(maxAbs * 2 ** frac) : 0;
  let status: RangeStatus = 'ok';
  if (maxAbs === 0) status = 'unused';
  else if (maxAbs > limit) status = 'saturates';
  else if (bitsUsed < MIN_BITS_USED) status = 'underused';
  return { maxAbs, min, bitsUsed, status };
}

export interface QuantizeOptions {
  /**
   * Plastic networks: the calibration run sees the initial weights, and plastic weights grow as
   * they learn (and align with their inputs, so what they produce grows even more). The growth of
   * a plastic matrix (one number for all, or per projection name; default 1: as calibrated)
   * sizes for it, times the calibrated range:
   *   - its weight codes: scaled for growth x the largest initial |weight|, a power of two finer
   *     than formats.weight.frac_bits when that range is smaller than the format's;
   *   - the outputs of its crossbar products (the ADC range);
   *   - the domain of the lookup tables whose inputs depend on plastic weights (the largest growth).
   * Crossbar inputs keep their calibrated range (rates are bounded by their tables, errors and
   * prospective terms are driven by the targets: they grow far less).
   */
  growth?: number | Record<string, number>;
}

/**
 * Largest |value| and smallest value of the lookup table of `fn` that encode builds for inputs up
 * to `maxAbs` (n entries over the power-of-two domain that covers LUT_HEADROOM x maxAbs, at
 * least +-1): the table interpolates between its entries, so these bound what it can write.
 */
export function lutBound(fn: LutFn, maxAbs: number, n: number, F: number): { maxAbs: number; min: number } {
  const reach = Math.max(1, maxAbs * LUT_HEADROOM) * 2 ** F;
  const shift = Math.max(0, Math.ceil(Math.log2((2 * reach) / (n - 1))));
  const xMin = -(2 ** shift) * Math.floor((n - 1) / 2);
  let hi = 0;
  let lo = 0;
  for (let e = 0; e < n; e++) {
    const y = tableValue(fn, (xMin + e * 2 ** shift) * 2 ** -F);
    hi = Math.max(hi, Math.abs(y));
    lo = Math.min(lo, y);
  }
  return { maxAbs: hi, min: lo };
}

/**
 * Vectors whose values depend on plastic weights: written by a product of a plastic matrix, by a
 * plastic bias update, or from such vectors (within a tick and across ticks, to a fixed point).
 */
export function plasticDependent(program: Program): boolean[] {
  const dep = program.vectors.map(() => false);
  for (let changed = true; changed; ) {
    changed = false;
    for (const o of program.ops) {
      const { reads, writes } = opOperands(o);
      const plastic = (o.op === 'mvm' && program.matrices[o.m]!.rate !== 0) || o.op === 'outer_bias' || reads.some((r) => dep[r]);
      if (!plastic) continue;
      for (const w of writes)
        if (!dep[w]) {
          dep[w] = true;
          changed = true;
        }
    }
  }
  return dep;
}

export function quantize(program: Program, spec: HwSpec, ranges: Ranges, opts: QuantizeOptions = {}): Program {
  const F = spec.formats.state.frac_bits;
  const stateMax = codeRange(spec.formats.state).max / 2 ** F;
  const warnings: string[] = [];
  const growthOf = program.matrices.map((M) => {
    const g = M.rate === 0 ? 1 : typeof opts.growth === 'number' ? opts.growth : (opts.growth?.[M.name] ?? 1);
    if (!(g >= 1 && Number.isFinite(g))) throw new UserError(`quantize: the growth of projection '${M.name}' must be a number >= 1, got ${g}`);
    return g;
  });
  if (typeof opts.growth === 'object')
    for (const name of Object.keys(opts.growth)) if (!program.matrices.some((M) => M.name === name)) throw new UserError(`quantize: growth names projection '${name}', which the network does not have (it has ${program.matrices.map((M) => M.name).join(', ')})`);
  const signalGrowth = Math.max(1, ...growthOf);
  const dependent = plasticDependent(program);
  // what a lookup table writes is bounded by the table itself, whatever the calibration saw: a
  // transfer function's rate rho(u) (hard sigmoid: [0, 1]) reaches its bound once the weights have
  // grown, and a crossbar product that reads it must not clip there
  const lutOut = new Map<number, { maxAbs: number; min: number }>();
  for (const o of program.ops) {
    if (o.op !== 'lut') continue;
    const b = lutBound(o.fn, (ranges.vectors[o.a] ?? 0) * (dependent[o.a] ? signalGrowth : 1), spec.core.lut_entries, F);
    const prev = lutOut.get(o.dst) ?? { maxAbs: 0, min: 0 };
    lutOut.set(o.dst, { maxAbs: Math.max(prev.maxAbs, b.maxAbs), min: Math.min(prev.min, b.min) });
  }
  // per-vector flags are listed with the tensors; only saturation is worth a warning line
  const vectors = program.vectors.map((v, i) => {
    const r = rangeOf(ranges.vectors[i] ?? 0, F, stateMax, ranges.vectorsMin[i] ?? 0);
    if (r.status === 'saturates') warnings.push(`${v.name} reaches ${r.maxAbs.toPrecision(3)}, the state format holds +-${stateMax.toPrecision(3)}: it will saturate`);
    const bound = lutOut.get(i);
    if (bound) return { ...r, reach: Math.max(r.maxAbs, bound.maxAbs), min: Math.min(r.min, bound.min) };
    return { ...r, reach: r.maxAbs * (dependent[i] ? signalGrowth : 1) };
  });

  const log2Gain = Math.log2(spec.adc.gain);
  const kappa = 2 ** (Math.round(log2Gain) - log2Gain);
  const wf = spec.formats.weight;
  const wMax = Math.min(codeRange(wf).max, -codeRange(wf).min);
  const matrices = program.matrices.map((M, i) => {
    let initMax = 0;
    for (const w of M.init) initMax = Math.max(initMax, Math.abs(w));
    // a plastic matrix with a growth: codes for growth x its initial range, never coarser than the
    // format's own grid
    let frac = wf.frac_bits;
    if (growthOf[i]! > 1 && initMax > 0) frac = Math.max(frac, Math.min(frac + 24, Math.floor(Math.log2(wMax / (kappa * initMax * growthOf[i]!)))));
    const scale = 2 ** frac * kappa;
    if (initMax * scale > wMax + 0.5)
      throw new UserError(
        `projection '${M.name}': initial weights reach ${initMax.toPrecision(3)}, but formats.weight of hw-spec '${spec.name}' (${wf.bits} bits, ${wf.frac_bits} fraction bits${kappa !== 1 ? `, ADC gain factor ${kappa.toFixed(3)}` : ''}) holds at most ${(wMax / scale).toPrecision(3)}. Use a weight format with fewer fraction bits, or smaller initial weights (init.std, init.clip or the values)`,
      );
    const r = { ...rangeOf(Math.max(initMax, ranges.matrices[i] ?? 0), Math.log2(scale), wMax / scale), scale, frac };
    if (r.status === 'saturates') warnings.push(`projection '${M.name}' grows to ${r.maxAbs.toPrecision(3)} in calibration, the weight format holds ${(wMax / scale).toPrecision(3)}: plastic updates will saturate`);
    if (r.status === 'underused') warnings.push(`projection '${M.name}' uses ${r.bitsUsed.toFixed(1)} of ${wf.bits} weight bits (max |w| = ${r.maxAbs.toPrecision(3)})`);
    return r;
  });

  // an unsigned DAC reads negative inputs in a second pass (encode), so its reach is range.max
  const dacMax = spec.dac.range.min >= 0 ? spec.dac.range.max : Math.min(spec.dac.range.max, -spec.dac.range.min);
  const adcMax = Math.min(spec.adc.range.max, -spec.adc.range.min);
  const mvm: Quantization['mvm'] = {};
  // largest DAC exponent at which neither the DAC input nor the ADC output of a product clips
  const ownDx = (o: Extract<Program['ops'][number], { op: 'mvm' }>): number => {
    const xMax = lutOut.has(o.x) ? vectors[o.x]!.reach : vectors[o.x]!.maxAbs;
    const yMax = vectors[o.dst]!.maxAbs * growthOf[o.m]!;
    // headroom over the calibrated range: on the chip, errors carry quantization noise the f64
    // calibration run does not see, so transposed (error) products get a whole bit
    const margin = o.transpose ? HEADROOM_ERRORS : HEADROOM;
    let dx = spec.formats.dac.frac_bits;
    if (xMax > 0) dx = Math.floor(Math.log2(dacMax / (margin * xMax)));
    if (yMax > 0) dx = Math.min(dx, Math.floor(Math.log2(adcMax / (margin * yMax * spec.adc.gain * matrices[o.m]!.scale))));
    return dx;
  };
  // the reads of one matrix in one direction share their exponent: then every line's ADC offset
  // (and gain error) is the same in state units in all of them, and it cancels where the program
  // subtracts one read from another (the mismatch em = u - W rbar against the drive W rp of u);
  // with different exponents it would stay in em as a constant error and drive the weights
  const shared = new Map<string, number>();
  program.ops.forEach((o) => {
    if (o.op !== 'mvm') return;
    const key = `${o.m}:${o.transpose}`;
    shared.set(key, Math.min(shared.get(key) ?? Infinity, ownDx(o)));
  });
  program.ops.forEach((o, k) => {
    if (o.op !== 'mvm') return;
    const M = program.matrices[o.m]!;
    const dx = Math.max(F - 31, Math.min(F + 31, shared.get(`${o.m}:${o.transpose}`)!));
    const sho = F - matrices[o.m]!.frac - dx - Math.round(log2Gain);
    if (sho < -32 || sho > 31) throw new UserError(`projection '${M.name}': the output shift ${sho} of a crossbar product does not fit the instruction's shift field (-32..31); the formats of hw-spec '${spec.name}' are too far apart`);
    mvm[k] = { dx, shi: dx - F, sho };
  });
  // state updated in place by small steps (u += dt/tau tau du/dt, rbar_in, biases): steps below half
  // an LSB round to zero under round-to-nearest, and the state never moves
  if (spec.rounding.state !== 'stochastic') {
    const lsb = 2 ** -F;
    program.ops.forEach((o) => {
      if (o.op !== 'axpy' || o.dst !== o.a || program.vectors[o.dst]!.role === 'temp') return;
      const step = Math.abs(o.k) * (ranges.vectors[o.b] ?? 0);
      if (step > 0 && step < lsb / 2)
        warnings.push(
          `${program.vectors[o.dst]!.name} moves by at most ${step.toPrecision(2)} per tick (${Math.abs(o.k).toPrecision(2)} x max |${program.vectors[o.b]!.name}|), under half a state LSB (${lsb.toPrecision(2)}): with rounding.state '${spec.rounding.state}' it will not move. Use a larger dt, a state format with more fraction bits, or stochastic state rounding`,
        );
    });
  }
  const quant: Quantization = { stateFrac: F, vectors, matrices, kappa, mvm, calibrationTicks: ranges.ticks, warnings };
  return { ...program, quant };
}

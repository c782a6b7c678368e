// Pass `quantize`: choose the fixed-point scales of a Program from the hw-spec's formats and the
// ranges of a calibration run (see ir/quant.ts for what is decided and why), and flag tensors that
// would saturate or use too little of their format. Weights that the weight format cannot hold
// are an error: they would be clipped before the first tick.
import { UserError } from '../common/errors.js';
import { codeRange, type HwSpec } from '../hwspec/index.js';
import type { Program } from '../ir/program.js';
import type { Quantization, Ranges, RangeStatus, TensorRange } from '../ir/quant.js';

/** fewer significant bits than this in the largest value: the tensor is flagged as underused */
export const MIN_BITS_USED = 4;
/** crossbar inputs and outputs may exceed their calibrated range by this factor before clipping */
export const HEADROOM = 1.25;
export const HEADROOM_ERRORS = 2;

function rangeOf(maxAbs: number, frac: number, limit: number, min = -maxAbs): TensorRange {
  const bitsUsed = maxAbs > 0 ? Math.log2(maxAbs * 2 ** frac) : 0;
  let status: RangeStatus = 'ok';
  if (maxAbs === 0) status = 'unused';
  else if (maxAbs > limit) status = 'saturates';
  else if (bitsUsed < MIN_BITS_USED) status = 'underused';
  return { maxAbs, min, bitsUsed, status };
}

export function quantize(program: Program, spec: HwSpec, ranges: Ranges): Program {
  const F = spec.formats.state.frac_bits;
  const stateMax = codeRange(spec.formats.state).max / 2 ** F;
  const warnings: string[] = [];
  // per-vector flags are listed with the tensors; only saturation is worth a warning line
  const vectors = program.vectors.map((v, i) => {
    const r = rangeOf(ranges.vectors[i] ?? 0, F, stateMax, ranges.vectorsMin[i] ?? 0);
    if (r.status === 'saturates') warnings.push(`${v.name} reaches ${r.maxAbs.toPrecision(3)}, the state format holds +-${stateMax.toPrecision(3)}: it will saturate`);
    return r;
  });

  const log2Gain = Math.log2(spec.adc.gain);
  const kappa = 2 ** (Math.round(log2Gain) - log2Gain);
  const wf = spec.formats.weight;
  const wMax = Math.min(codeRange(wf).max, -codeRange(wf).min);
  const matrices = program.matrices.map((M, i) => {
    const scale = 2 ** wf.frac_bits * kappa;
    let initMax = 0;
    for (const w of M.init) initMax = Math.max(initMax, Math.abs(w));
    if (initMax * scale > wMax + 0.5)
      throw new UserError(
        `projection '${M.name}': initial weights reach ${initMax.toPrecision(3)}, but formats.weight of hw-spec '${spec.name}' (${wf.bits} bits, ${wf.frac_bits} fraction bits${kappa !== 1 ? `, ADC gain factor ${kappa.toFixed(3)}` : ''}) holds at most ${(wMax / scale).toPrecision(3)}. Use a weight format with fewer fraction bits, or smaller initial weights (init.std, init.clip or the values)`,
      );
    const r = { ...rangeOf(Math.max(initMax, ranges.matrices[i] ?? 0), Math.log2(scale), wMax / scale), scale };
    if (r.status === 'saturates') warnings.push(`projection '${M.name}' grows to ${r.maxAbs.toPrecision(3)} in calibration, the weight format holds ${(wMax / scale).toPrecision(3)}: plastic updates will saturate`);
    if (r.status === 'underused') warnings.push(`projection '${M.name}' uses ${r.bitsUsed.toFixed(1)} of ${wf.bits} weight bits (max |w| = ${r.maxAbs.toPrecision(3)})`);
    return r;
  });

  // an unsigned DAC reads negative inputs in a second pass (encode), so its reach is range.max
  const dacMax = spec.dac.range.min >= 0 ? spec.dac.range.max : Math.min(spec.dac.range.max, -spec.dac.range.min);
  const adcMax = Math.min(spec.adc.range.max, -spec.adc.range.min);
  const mvm: Quantization['mvm'] = {};
  program.ops.forEach((o, k) => {
    if (o.op !== 'mvm') return;
    const M = program.matrices[o.m]!;
    const xMax = ranges.vectors[o.x] ?? 0;
    const yMax = ranges.vectors[o.dst] ?? 0;
    // largest DAC exponent at which neither the DAC input nor the ADC output clips
    // headroom over the calibrated range: on the chip, errors carry quantization noise the f64
    // calibration run does not see, so transposed (error) products get a whole bit
    const margin = o.transpose ? HEADROOM_ERRORS : HEADROOM;
    let dx = spec.formats.dac.frac_bits;
    if (xMax > 0) dx = Math.floor(Math.log2(dacMax / (margin * xMax)));
    if (yMax > 0) dx = Math.min(dx, Math.floor(Math.log2(adcMax / (margin * yMax * spec.adc.gain * matrices[o.m]!.scale))));
    dx = Math.max(F - 31, Math.min(F + 31, dx));
    const sho = F - wf.frac_bits - dx - Math.round(log2Gain);
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

// What `quantize` decides: fixed-point scales of the tensors of a Program, from the hw-spec's
// formats and a range analysis (max |value| of every vector and matrix over a calibration run).
// Vectors live in the spec's state format; weights in its weight format times kappa (the ADC
// gain's distance to a power of two, folded into the weights so that outputs rescale by shifts);
// each crossbar product chooses its own DAC exponent so small signals (errors) use the DAC's range.

export type RangeStatus = 'ok' | 'saturates' | 'underused' | 'unused';

export interface TensorRange {
  /** max |value| seen in the calibration run (initial value included) */
  maxAbs: number;
  /** smallest value seen (a crossbar input that goes negative needs a signed DAC or two reads) */
  min: number;
  /** significant bits of the largest code, log2(maxAbs * 2^frac) */
  bitsUsed: number;
  status: RangeStatus;
}

export interface Quantization {
  stateFrac: number;
  /** per vector of the Program */
  vectors: TensorRange[];
  /** per matrix: codes per unit weight = 2^weight.frac_bits * kappa */
  matrices: (TensorRange & { scale: number })[];
  /** ADC gain * kappa is an exact power of two */
  kappa: number;
  /** per Program op index of a crossbar product: DAC code = x * 2^dx; input and output shifts */
  mvm: Record<number, { dx: number; shi: number; sho: number }>;
  /** calibration ticks the ranges come from */
  calibrationTicks: number;
  warnings: string[];
}

/** max |value| per Program vector and matrix over a calibration run */
export interface Ranges {
  vectors: number[];
  vectorsMin: number[];
  matrices: number[];
  ticks: number;
}

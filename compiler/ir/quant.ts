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

/** A vector's range, and the range the compiler sizes crossbar inputs, outputs and tables for. */
export interface VectorRange extends TensorRange {
  /**
   * a vector written by a lookup table: the table's bound (crossbar inputs are sized for it);
   * another one: maxAbs, times the largest growth of a plastic network (quantize's option) when
   * it depends on plastic weights (lookup tables that read it are built for it)
   */
  reach: number;
}

export interface Quantization {
  stateFrac: number;
  /** per vector of the Program */
  vectors: VectorRange[];
  /** per matrix: codes per unit weight = 2^frac * kappa (frac = formats.weight.frac_bits, or more for a plastic matrix with a growth) */
  matrices: (TensorRange & { scale: number; frac: number })[];
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

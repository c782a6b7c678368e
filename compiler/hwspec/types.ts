// The HwSpec: a validated hardware description (hw-specs/*.json or a user's YAML/JSON file), field
// for field as in the file (snake_case), so that serialising it gives a valid file again. Every
// width is declared beside the state it describes (`formats`), every length in the unit its name
// ends with. The meaning of each field is in hw-specs/hw-spec.schema.json and docs/hw-spec.md.

import type { CostClass } from '../isa/table.js';

/** The fixed-point formats of the chip, one per kind of state. */
export const FORMAT_NAMES = ['weight', 'dac', 'adc', 'state', 'accumulator', 'eta', 'lut_out'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export const ROUNDING_MODES = ['nearest_even', 'floor', 'stochastic'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** An ADC cannot round stochastically. */
export const ADC_ROUNDING_MODES = ['nearest_even', 'floor'] as const;
export type AdcRoundingMode = (typeof ADC_ROUNDING_MODES)[number];

// The cost classes (the keys of `costs`) belong to the instruction set: an instruction charges
// one or more of them (compiler/isa/table.ts, which also says the event each class counts).
export { COST_CLASSES, COST_CLASS_EVENTS, type CostClass, costCycles, costEnergyPj } from '../isa/table.js';

export const COST_BASES = ['measured', 'simulated', 'derived'] as const;
export type CostBasis = (typeof COST_BASES)[number];

/** A fixed-point format: code c means c * 2^-frac_bits; saturating; two's complement when signed. */
export interface FixedFormat {
  /** width including the sign bit: 1..32 (accumulator 1..64) */
  bits: number;
  /** fraction bits, 0..bits */
  frac_bits: number;
  signed: boolean;
}

/** A closed range of integer codes, min <= max. */
export interface CodeRange {
  min: number;
  max: number;
}

/** A closed range of real values, 0 < min <= max. */
export interface ValueRange {
  min: number;
  max: number;
}

/** Cycles and energy of one cost class on n events (an instruction charges one or more classes, compiler/isa/table.ts), and where the figures come from. */
export interface Cost {
  /** cycles per instruction, whatever its length (integer >= 0) */
  fixed_cycles: number;
  /** cycles per event (>= 0, may be fractional): total = fixed_cycles + ceil(cycles_per_element * n) */
  cycles_per_element: number;
  /** pJ per event (>= 0) */
  energy_pj_per_event: number;
  /** citation of the energy figure (and the reason for the cycle counts) */
  source: string;
  basis: CostBasis;
}

export interface HwSpec {
  /** goes into the image header */
  name: string;
  description: string;
  /** revision of this description, e.g. "1.0" */
  version: string;
  /** seeds mismatch (which die), read noise and stochastic rounding; required when any is on */
  seed?: number;

  /** cols x rows cores in a 2D mesh */
  mesh: {
    cols: number;
    rows: number;
    /** ns per hop between neighbouring cores */
    hop_latency_ns: number;
    /** bits per routed word; one word carries one state value */
    route_bits: number;
  };

  /** one core (all cores are the same) */
  core: {
    /** rows x cols signed weights, each formats.weight.bits wide */
    crossbar: { rows: number; cols: number };
    /** neuron circuits per core; their state is formats.state.bits wide */
    neurons: number;
    /** vector-unit SRAM, in words of formats.state.bits */
    vector_memory_words: number;
    /** entries per lookup table (power of two), each formats.lut_out.bits wide */
    lut_entries: number;
    /** lookup tables per core */
    lut_slots: number;
    /** longest delay of an incoming route, ticks */
    delay_line_depth: number;
    /** instructions per core program */
    program_words: number;
  };

  /** the width and binary point of every kind of state */
  formats: {
    /** crossbar weights */
    weight: FixedFormat;
    /** crossbar input codes (DAC) */
    dac: FixedFormat;
    /** crossbar output codes (ADC) */
    adc: FixedFormat;
    /** neuron voltages, rates, filtered rates and errors in the vector unit; one vector-memory word */
    state: FixedFormat;
    /** sums of products in the vector unit (up to 64 bits) */
    accumulator: FixedFormat;
    /** learning rates */
    eta: FixedFormat;
    /** lookup-table entries */
    lut_out: FixedFormat;
  };

  rounding: {
    /** results written back to state words */
    state: RoundingMode;
    /** plastic weight updates rounded to formats.weight */
    weight_update: RoundingMode;
    /** the ADC's own quantiser */
    adc: AdcRoundingMode;
  };

  /** code = clip(round(gain*(1+gain_err)*s + offset + offset_err + noise), range); s = sum of weight code * DAC code */
  adc: {
    /** ADC LSB per (weight LSB x DAC LSB) */
    gain: number;
    /** ADC LSB */
    offset: number;
    /** output codes (ADC LSB), within formats.adc */
    range: CodeRange;
  };

  /** drive = gain * (clip(code, range) + offset) */
  dac: {
    /** relative, 1 = ideal */
    gain: number;
    /** DAC LSB */
    offset: number;
    /** input codes (DAC LSB), within formats.dac */
    range: CodeRange;
  };

  /** fresh on every crossbar read */
  noise: {
    enabled: boolean;
    /** Gaussian std at the ADC input, ADC LSB */
    read_std_lsb: number;
  };

  /** fixed pattern, drawn once per chip from seed */
  mismatch: {
    enabled: boolean;
    /** per-ADC gain error std, relative */
    adc_gain_std: number;
    /** per-ADC offset error std, ADC LSB */
    adc_offset_std_lsb: number;
    /** per-neuron time-constant error std, relative */
    tau_std: number;
  };

  timing: {
    /** digital clock, MHz */
    clock_mhz: number;
    /** analog time constants run this many times faster than biological time */
    acceleration: number;
  };

  /** depressing synapses (vesicle-pool STD) on top-down rows */
  std: {
    enabled: boolean;
    /** settable range of the network's std_a */
    a: ValueRange;
    /** settable range of the network's std_d */
    d: ValueRange;
  };

  /** cycles and energy of every cost class */
  costs: Record<CostClass, Cost>;

  static_power: {
    /** mW per core, drawn for the whole wall time */
    mw_per_core: number;
    source: string;
    basis: CostBasis;
  };
}

/** The smallest and largest code of a format. */
export function codeRange(f: FixedFormat): CodeRange {
  if (f.signed) return { min: -(2 ** (f.bits - 1)), max: 2 ** (f.bits - 1) - 1 };
  return { min: 0, max: 2 ** f.bits - 1 };
}

/**
 * Bits a signed accumulator needs to hold the exact sum of a full crossbar column of
 * weight code * DAC code products at full scale.
 */
export function fullColumnAccumulatorBits(spec: Pick<HwSpec, 'formats' | 'core'>): number {
  const maxAbs = (f: FixedFormat): number => (f.signed ? 2 ** (f.bits - 1) : 2 ** f.bits - 1);
  const sum = maxAbs(spec.formats.weight) * maxAbs(spec.formats.dac) * spec.core.crossbar.rows;
  // smallest b with 2^(b-1) - 1 >= sum
  let b = 1;
  while (2 ** (b - 1) - 1 < sum) b++;
  return b;
}

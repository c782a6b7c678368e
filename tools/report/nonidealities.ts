// The non-idealities the report's error attribution switches off one at a time: one row each, a
// name and an edit of a copy of the hw-spec. A new non-ideality is one more row. An edit keeps
// everything else the same in real units: when a converter gets more bits its binary point moves
// with them (same range, finer steps), and every quantity given in its LSB (ADC gain, offsets,
// read noise) is rescaled so that only the quantization changes.
import type { FixedFormat, HwSpec, CodeRange } from '../../compiler/hwspec/index.js';
import type { Image } from '../../compiler/image/index.js';
import { IMAGE_FLAGS } from '../../compiler/image/index.js';

export interface EditContext {
  /** the image compiled for the unedited spec */
  image: Image;
  /** network time per tick, s */
  dt: number;
}

/** the edited spec, or why the row does not apply to this network and chip */
export type EditResult = HwSpec | { notApplicable: string };

export interface Nonideality {
  /** short key (bar labels, file names) */
  name: string;
  title: string;
  /** what "off" means, for the report */
  off: string;
  edit: (spec: HwSpec, ctx: EditContext) => EditResult;
}

/**
 * A format with `bits` bits and the same integer bits: the same range in finer (or coarser) steps.
 * shift = fraction bits added (negative when narrowed).
 */
function resize(f: FixedFormat, bits: number): { format: FixedFormat; shift: number } {
  const shift = bits - f.bits;
  return { format: { ...f, bits, frac_bits: f.frac_bits + shift }, shift };
}

/** a code range on a format with `shift` more fraction bits: the same real interval (rounded inwards when narrowed) */
function scaleRange(r: CodeRange, shift: number): CodeRange {
  return { min: Math.ceil(r.min * 2 ** shift), max: Math.floor((r.max + 1) * 2 ** shift) - 1 };
}

const copy = (spec: HwSpec): HwSpec => structuredClone(spec);

// Converter and state widths with everything else the same in real units. Also the axes of
// `nla sweep` (tools/sweep/axes.ts). The result may be an invalid spec (e.g. negative fraction
// bits): parseHwSpec says what is wrong.

/** weights of `bits` bits; the ADC gain per weight code follows */
export function withWeightBits(spec: HwSpec, bits: number): HwSpec {
  const s = copy(spec);
  const { format, shift } = resize(s.formats.weight, bits);
  s.formats.weight = format;
  s.adc.gain *= 2 ** -shift; // a real weight has 2^shift times the code: the gain per code shrinks
  return s;
}

/** a DAC of `bits` bits; its range and offset follow, and the ADC gain per DAC code */
export function withDacBits(spec: HwSpec, bits: number): HwSpec {
  const s = copy(spec);
  const { format, shift } = resize(s.formats.dac, bits);
  s.formats.dac = format;
  s.dac.range = scaleRange(s.dac.range, shift);
  s.dac.offset *= 2 ** shift;
  s.adc.gain *= 2 ** -shift;
  return s;
}

/** an ADC of `bits` bits; gain, range, offset, read noise and offset mismatch (all in its LSB) follow */
export function withAdcBits(spec: HwSpec, bits: number): HwSpec {
  const s = copy(spec);
  const { format, shift } = resize(s.formats.adc, bits);
  s.formats.adc = format;
  s.adc.gain *= 2 ** shift;
  s.adc.range = scaleRange(s.adc.range, shift);
  s.adc.offset *= 2 ** shift;
  s.noise.read_std_lsb *= 2 ** shift;
  s.mismatch.adc_offset_std_lsb *= 2 ** shift;
  return s;
}

/** a state word of `bits` bits; the accumulator keeps its bits beyond the state's, routes carry the state */
export function withStateBits(spec: HwSpec, bits: number): HwSpec {
  const s = copy(spec);
  const { format, shift } = resize(s.formats.state, bits);
  s.formats.state = format;
  const acc = s.formats.accumulator;
  // keep the accumulator's bits beyond the state's: the immediates of constants depend on them
  const accBits = Math.min(64, acc.bits + shift);
  s.formats.accumulator = { ...acc, bits: accBits, frac_bits: acc.frac_bits + (accBits - acc.bits) };
  s.mesh.route_bits = Math.max(s.mesh.route_bits, format.bits);
  return s;
}

/** at least `bits` bits: the "off" of a quantization row never narrows a format */
const atLeast = (f: FixedFormat, bits: number): number => Math.max(f.bits, bits);

export const NONIDEALITIES: Nonideality[] = [
  {
    name: 'weight',
    title: 'weight quantization',
    off: '16-bit weights (same range, more fraction bits; the ADC gain follows), stochastic rounding of weight updates',
    edit(spec) {
      const s = withWeightBits(spec, atLeast(spec.formats.weight, 16));
      s.rounding.weight_update = 'stochastic';
      s.seed ??= 0;
      return s;
    },
  },
  {
    name: 'dac',
    title: 'DAC resolution',
    off: '16-bit DAC (same range, more fraction bits; range, offset and ADC gain follow)',
    edit: (spec) => withDacBits(spec, atLeast(spec.formats.dac, 16)),
  },
  {
    name: 'adc',
    title: 'ADC resolution',
    off: '16-bit ADC (same range, more fraction bits; gain, range, offset, read noise and offset mismatch follow, so they stay the same in real units)',
    edit: (spec) => withAdcBits(spec, atLeast(spec.formats.adc, 16)),
  },
  {
    name: 'state',
    title: 'state precision',
    off: '32-bit state (same range, 16 more fraction bits), accumulator and routed words widened with it',
    edit: (spec) => withStateBits(spec, atLeast(spec.formats.state, 32)),
  },
  {
    name: 'lut',
    title: 'lookup tables',
    off: '4096 entries of 32 bits (16 more fraction bits) per table',
    edit(spec) {
      const s = copy(spec);
      s.core.lut_entries = Math.max(s.core.lut_entries, Math.min(4096, 2 ** s.formats.state.bits));
      s.formats.lut_out = resize(s.formats.lut_out, atLeast(s.formats.lut_out, 32)).format;
      return s;
    },
  },
  {
    name: 'noise',
    title: 'read noise',
    off: 'noise.enabled = false',
    edit(spec) {
      const s = copy(spec);
      s.noise.enabled = false;
      return s;
    },
  },
  {
    name: 'mismatch',
    title: 'fixed-pattern mismatch',
    // tau_std is declared in the spec but no pass applies it (the chip draws none itself)
    off: 'mismatch.enabled = false (ADC gain and offset errors; mismatch.tau_std is not applied by any compiler pass today)',
    edit(spec) {
      const s = copy(spec);
      s.mismatch.enabled = false;
      return s;
    },
  },
  {
    name: 'delays',
    title: 'route delays',
    off: 'timing.acceleration lowered until every route arrives within its tick',
    edit(spec, ctx) {
      const delayed = ctx.image.routes.filter((r) => r.delay > 0);
      if (!delayed.length) return { notApplicable: `no route of this image has a delay (${ctx.image.routes.length} routes)` };
      const s = copy(spec);
      const hops = Math.max(...ctx.image.routes.map((r) => r.hops));
      // a route's delay is floor(hops * hop_latency / (dt / acceleration)): make it < 1 tick
      s.timing.acceleration = Math.min(s.timing.acceleration, ((ctx.dt * 1e9) / (hops * s.mesh.hop_latency_ns)) * 0.999);
      return s;
    },
  },
  {
    name: 'std',
    title: 'short-term depression',
    // with STD rows the top-down products read v rbar from vesicle pools, which lag a moving u
    off: 'std.enabled = false: top-down products read u directly, as the ideal model does',
    edit(spec, ctx) {
      if (!(ctx.image.header.flags & IMAGE_FLAGS.std))
        return { notApplicable: 'the image has no depressing-synapse rows (they serve microcircuits whose layers use the std activation, on a spec with std.enabled)' };
      const s = copy(spec);
      s.std.enabled = false;
      return s;
    },
  },
];

/** every edit at once, except the row named `keep` (rows that do not apply are skipped) */
export function allOff(spec: HwSpec, ctx: EditContext, keep?: string): HwSpec {
  let s = spec;
  for (const row of NONIDEALITIES) {
    if (row.name === keep) continue;
    const r = row.edit(s, ctx);
    if (!('notApplicable' in r)) s = r;
  }
  return s;
}

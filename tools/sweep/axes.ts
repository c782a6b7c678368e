// The axes `nla sweep --vary` knows: a name, how its values are written, and what a value changes
// (an edit of the hw-spec, shared with the report's non-idealities, or the network's dt). A new
// axis is one more row. `--vary name=4..12`, `name=4..12:2` or `name=6,8,10`; dt takes durations.
import { UserError } from '../../compiler/common/errors.js';
import type { HwSpec } from '../../compiler/hwspec/index.js';
import { formatDuration } from '../../compiler/network/index.js';
import { parseDuration } from '../../compiler/network/load.js';
import { withAdcBits, withDacBits, withStateBits, withWeightBits } from '../report/nonidealities.js';

export interface Axis {
  name: string;
  what: string;
  /** one value as written on the command line (throws a UserError naming the problem) */
  parse: (text: string) => number;
  /** a value for tables and keys */
  format: (v: number) => string;
  /** ranges `a..b[:step]` are allowed (integer axes) */
  ranges: boolean;
  /** the hw-spec with this value; absent: the axis edits the network (dt) */
  spec?: (spec: HwSpec, v: number) => HwSpec;
}

function bits(name: string, max: number): (text: string) => number {
  return (text) => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < 2 || v > max) throw new UserError(`--vary ${name}: '${text}' is not a number of bits from 2 to ${max}`);
    return v;
  };
}

const plain = (v: number): string => String(v);

// A converter or word of another width costs another energy. The presets derive their figures
// (spec/hw-costs.md) by rules that carry over to other widths, applied here as ratios to the base
// spec's figure, with the rule appended to the cost's source:
//   DAC     bit-serial row drives, 0.42 pJ per bit (ISAAC): proportional to the bits
//   ADC     the ISAAC scaled table (Accelergy): 4b 0.79 .. 10b 2.38 pJ; beyond 10 bits 2x per bit
//           (constant Walden figure of merit, as high-precision.json); under 4 bits 0.8x per bit
//   state   a digital multiply-add 0.23 pJ (b/8)^2 plus an SRAM word read and written, 2 x 0.156 pJ
//           per bit (Horowitz): vector_op and lpf
// Weight bits change no cost: no published figure scales an analog MAC with its weight precision.
const ADC_PJ: Record<number, number> = { 4: 0.79, 5: 0.99, 6: 1.2, 7: 1.42, 8: 1.67, 9: 1.97, 10: 2.38 };
const adcPj = (bits: number): number => (bits < 4 ? ADC_PJ[4]! * 0.8 ** (4 - bits) : bits > 10 ? ADC_PJ[10]! * 2 ** (bits - 10) : ADC_PJ[bits]!);
const digitalPj = (bits: number): number => 0.23 * (bits / 8) ** 2 + 0.3125 * bits;

function scaleCosts(spec: HwSpec, classes: (keyof HwSpec['costs'])[], ratio: number, rule: string): HwSpec {
  if (ratio === 1) return spec;
  for (const c of classes) {
    const cost = spec.costs[c];
    spec.costs[c] = { ...cost, energy_pj_per_event: cost.energy_pj_per_event * ratio, source: `${cost.source} [nla sweep: x${ratio.toPrecision(4)}, ${rule}]` };
  }
  return spec;
}

export const AXES: Axis[] = [
  { name: 'weight_bits', what: 'bits of the crossbar weights (formats.weight; same range, the ADC gain follows)', parse: bits('weight_bits', 32), format: plain, ranges: true, spec: withWeightBits },
  {
    name: 'dac_bits',
    what: 'bits of the DACs (formats.dac; same range; DAC energy per bit)',
    parse: bits('dac_bits', 32),
    format: plain,
    ranges: true,
    spec: (spec, v) => scaleCosts(withDacBits(spec, v), ['mvm_dac'], v / spec.formats.dac.bits, `${v}-bit bit-serial DAC`),
  },
  {
    name: 'adc_bits',
    what: 'bits of the ADCs (formats.adc; same range, noise and offsets in real units; ADC energy by the ISAAC table)',
    parse: bits('adc_bits', 32),
    format: plain,
    ranges: true,
    spec: (spec, v) => scaleCosts(withAdcBits(spec, v), ['mvm_adc'], adcPj(v) / adcPj(spec.formats.adc.bits), `${v}-bit ADC, ISAAC table`),
  },
  {
    name: 'state_bits',
    what: 'bits of the state words (formats.state; same range, accumulator and routes follow; digital energy)',
    parse: bits('state_bits', 48),
    format: plain,
    ranges: true,
    spec: (spec, v) => scaleCosts(withStateBits(spec, v), ['vector_op', 'lpf'], digitalPj(v) / digitalPj(spec.formats.state.bits), `${v}-bit multiply-add and SRAM word`),
  },
  {
    name: 'read_noise_lsb',
    what: 'read noise of the ADCs in LSB (noise.read_std_lsb; 0 switches it off)',
    parse: (text) => {
      const v = Number(text);
      if (!Number.isFinite(v) || v < 0) throw new UserError(`--vary read_noise_lsb: '${text}' is not a number >= 0`);
      return v;
    },
    format: plain,
    ranges: false,
    spec: (spec, v) => ({ ...structuredClone(spec), noise: { enabled: v > 0, read_std_lsb: v } }),
  },
  {
    name: 'dt',
    what: "the network's time step (dynamics.dt; a run of --duration takes duration/dt ticks)",
    parse: (text) => {
      try {
        return parseDuration(/^[\d.eE+-]+$/.test(text) ? Number(text) : text);
      } catch {
        throw new UserError(`--vary dt: '${text}' is not a duration. Write e.g. dt=0.025ms,0.05ms,0.1ms`);
      }
    },
    format: (v) => formatDuration(v),
    ranges: false,
  },
];

export interface AxisValues {
  axis: Axis;
  values: number[];
}

const knownAxes = (): string => `${AXES.map((a) => a.name).join(', ')} (nla sweep --help, docs/sweep.md)`;

/** one --vary flag: `name=values` */
export function parseVary(flag: string): AxisValues {
  const m = /^([A-Za-z_]+)=(.+)$/.exec(flag.trim());
  if (!m) throw new UserError(`--vary '${flag}': write name=values, e.g. --vary weight_bits=4..12 or --vary adc_bits=6,8,10. Axes: ${knownAxes()}`);
  const axis = AXES.find((a) => a.name === m[1]);
  if (!axis) throw new UserError(`--vary: unknown axis '${m[1]}'. Known axes: ${knownAxes()}`);
  const values: number[] = [];
  for (const item of m[2]!.split(',').map((s) => s.trim())) {
    const range = /^(-?\d+)\.\.(-?\d+)(?::(\d+))?$/.exec(item);
    if (range) {
      if (!axis.ranges) throw new UserError(`--vary ${axis.name}: ranges (a..b) are for integer axes; list the values, e.g. ${axis.name}=${axis.name === 'dt' ? '0.025ms,0.05ms' : '0,1,2'}`);
      const [lo, hi, step] = [axis.parse(range[1]!), axis.parse(range[2]!), Number(range[3] ?? 1)];
      if (hi < lo || step < 1) throw new UserError(`--vary ${axis.name}: the range '${item}' is empty; write low..high[:step] with low <= high and step >= 1`);
      for (let v = lo; v <= hi; v += step) values.push(v);
    } else if (item) values.push(axis.parse(item));
    else throw new UserError(`--vary ${axis.name}: an empty value in '${m[2]}'`);
  }
  return { axis, values: [...new Set(values)] };
}

/** every --vary flag, each axis at most once */
export function parseAxes(flags: string[]): AxisValues[] {
  if (!flags.length) throw new UserError(`nla sweep needs at least one --vary. Axes: ${knownAxes()}`);
  const axes = flags.map(parseVary);
  const names = axes.map((a) => a.axis.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UserError(`--vary ${twice} is given twice: put all its values in one flag, e.g. ${twice}=a,b,c`);
  return axes;
}

/** one point of the grid: axis name -> value */
export type Config = Record<string, number>;

/** the cartesian product of the axes, the first axis varying slowest */
export function grid(axes: AxisValues[]): Config[] {
  let out: Config[] = [{}];
  for (const { axis, values } of axes) out = out.flatMap((c) => values.map((v) => ({ ...c, [axis.name]: v })));
  return out;
}

/** the row's identity in the results file: `name=value` in axis order */
export function configKey(config: Config): string {
  return Object.entries(config)
    .map(([name, v]) => `${name}=${AXES.find((a) => a.name === name)!.format(v)}`)
    .join(',');
}

/** the hw-spec edited by every spec axis of the config (the dt axis is the network's) */
export function applySpecAxes(spec: HwSpec, config: Config): HwSpec {
  let s = spec;
  for (const [name, v] of Object.entries(config)) {
    const edit = AXES.find((a) => a.name === name)!.spec;
    if (edit) s = edit(s, v);
  }
  return s;
}

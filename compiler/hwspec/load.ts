// Loading a hardware description: a preset name (hw-specs/presets/<name>.json) or a file path
// (JSON for *.json, YAML otherwise; read by common/datafile.ts) -> plain data -> structural check
// against hw-specs/hw-spec.schema.json (common/schema-errors.ts words the errors; the hw-spec's own
// cases are here) and the consistency checks the schema cannot express -> HwSpec. Every problem found is collected
// and thrown together as one FileProblemsError. Also the spec's identity (hwSpecHash) and the
// warnings (hwSpecWarnings) that do not stop a spec from loading.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dedupeProblems, FileProblemsError, type Problem } from '../common/errors.js';
import { parseDataFile, readTextFile, type DataFileKind } from '../common/datafile.js';
import { closest, didYouMean, problem, type Segment } from '../common/messages.js';
import { packageRoot } from '../common/package-root.js';
import { boundCondition, SchemaChecker, type SchemaError, type SchemaNode } from '../common/schema-errors.js';
import schemaJson from '../../hw-specs/hw-spec.schema.json' with { type: 'json' };
import { FORMAT_NAMES, codeRange, fullColumnAccumulatorBits, type FixedFormat, type FormatName, type HwSpec } from './types.js';

/** The published JSON Schema of hw-spec files (draft-07). */
export const hwSpecSchema: Readonly<Record<string, unknown>> = schemaJson;

const DOCS = 'docs/hw-spec.md';

// ---------------------------------------------------------------- presets

/** The folder of the shipped presets. */
export function presetDir(): string {
  return join(packageRoot(), 'hw-specs', 'presets');
}

/** Names of the shipped presets (file names in hw-specs/presets without .json), sorted. */
export function presetNames(): string[] {
  let files: string[];
  try {
    files = readdirSync(presetDir());
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A bare preset name (`default`, `bss2-like`): no extension, no folder. Anything else is a path. */
export function isPresetName(nameOrPath: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(nameOrPath);
}

// ---------------------------------------------------------------- loading

/**
 * Loads a hw-spec: a bare preset name such as `default` or `bss2-like` (from hw-specs/presets/),
 * or the path of a JSON (*.json) or YAML file. Any problem, including an unknown preset or a
 * missing file, is a FileProblemsError naming the file, the path inside it and a fix.
 */
export function loadHwSpec(nameOrPath: string): HwSpec {
  let file = nameOrPath;
  if (isPresetName(nameOrPath)) {
    const names = presetNames();
    if (!names.includes(nameOrPath)) {
      const list = names.length ? `presets: ${names.join(', ')}` : `no presets found in ${presetDir()}`;
      throw new FileProblemsError(nameOrPath, [
        {
          path: '',
          message: `unknown hw-spec preset '${nameOrPath}'`,
          fix: `${didYouMean(nameOrPath, names)}${list}; to load a file, give its path (e.g. ./${nameOrPath}.json or ./${nameOrPath}.yaml)`,
        },
      ]);
    }
    file = join(presetDir(), `${nameOrPath}.json`);
  }
  return parseHwSpec(readTextFile(file, HW_SPEC_FILE), file);
}

const HW_SPEC_FILE: DataFileKind = {
  noun: 'hw-spec',
  extensions: '.json, .yaml or .yml',
  otherwise: () => {
    const presets = presetNames();
    return presets.length ? `, or name a preset: ${presets.join(', ')}` : '';
  },
  topLevelFields: 'name, mesh, core, formats',
  emptyFix: `copy a preset from hw-specs/presets/ and edit it; the fields are in ${DOCS}`,
  notMappingFix: 'copy a preset from hw-specs/presets/ and edit it',
  syntaxErrorAtField: false,
  oneErrorPerPosition: true,
};

/** Parses and validates hw-spec text; `file` names it in messages and selects the format (.json = JSON, else YAML). */
export function parseHwSpec(text: string, file: string): HwSpec {
  const { data, fail } = parseDataFile(text, file, HW_SPEC_FILE);
  const problems = [...checkHwSpecStructure(data), ...checkConsistency(data)];
  if (problems.length) fail(dedupeProblems(problems));
  const { $schema: _ignored, ...spec } = data as unknown as HwSpec & { $schema?: string };
  return spec;
}

// ---------------------------------------------------------------- identity

/** JSON with the keys of every object sorted and no whitespace: the same spec gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the canonical JSON of the spec (a `$schema` key is left out): the spec identity an image carries. */
export function hwSpecHash(spec: HwSpec): string {
  const { $schema: _ignored, ...rest } = spec as HwSpec & { $schema?: string };
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The spec as a JSON file (two-space indent, fields in the order of the file). */
export function serialiseHwSpec(spec: HwSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

// ---------------------------------------------------------------- warnings

/**
 * Problems that do not stop a spec from loading but that its user should know about (`nla
 * validate` prints them). Today: an accumulator too narrow for a full crossbar column of products.
 */
export function hwSpecWarnings(spec: HwSpec): Problem[] {
  const out: Problem[] = [];
  const need = fullColumnAccumulatorBits(spec);
  const acc = spec.formats.accumulator;
  if (acc.bits < need) {
    const { weight: w, dac: d } = spec.formats;
    out.push(
      problem(
        ['formats', 'accumulator', 'bits'],
        `the ${acc.bits}-bit accumulator cannot hold the exact sum of a full crossbar column (${spec.core.crossbar.rows} rows of ${w.bits}-bit ${w.signed ? 'signed' : 'unsigned'} weight x ${d.bits}-bit ${d.signed ? 'signed' : 'unsigned'} input products needs ${need} bits); digital sums of that many full-scale products saturate`,
        `use bits: ${need} or more for an exact sum, or keep ${acc.bits} if the analog column sum (which never passes through the accumulator) is all you need`,
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------- structure (schema errors -> problems)

const checker = new SchemaChecker(hwSpecSchema, {
  docs: DOCS,
  typeFixes: { integer: 'write a whole number such as 8', string: 'write a text value (in quotes if it looks like a number)' },
  suggest,
  special: hwSpecProblem,
  typeFix,
  enumNoun,
});
const defs = checker.definitions;
const topLevel = (hwSpecSchema as SchemaNode).properties ?? {};

/**
 * Checks `data` against hw-spec.schema.json; every problem found (empty when it conforms), in the
 * order ajv reports them: the schema has no if/then branches, so no field is reported twice and
 * the merging of SchemaChecker.check is not needed.
 */
export function checkHwSpecStructure(data: unknown): Problem[] {
  return checker.errors(data).flatMap((e) => checker.translate(e) ?? []);
}

/** What a format is called in messages: "an ADC needs at least 1 bit". */
const FORMAT_NOUNS: Record<FormatName, string> = {
  weight: 'a weight',
  dac: 'a DAC',
  adc: 'an ADC',
  state: 'the neuron state',
  accumulator: 'the accumulator',
  eta: 'a learning rate',
  lut_out: 'a lookup-table entry',
};

function isFormatName(s: Segment | undefined): s is FormatName {
  return typeof s === 'string' && (FORMAT_NAMES as readonly string[]).includes(s);
}

/** A plausible intended word: a close spelling, or the one candidate that starts with the word. */
function suggest(word: string, candidates: readonly string[]): string | undefined {
  const near = closest(word, candidates);
  if (near !== undefined) return near;
  const lower = word.toLowerCase();
  const prefixed = lower.length >= 3 ? candidates.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** The errors whose wording only hw-specs have: costs and their sources, format widths, bounds, names. */
function hwSpecProblem({ error, segments, last, parent, data }: SchemaError): Problem | undefined {
  switch (error.keyword) {
    case 'required': {
      const field = String((error.params as { missingProperty: string }).missingProperty);
      if (parent === defs['cost'] || parent === topLevel['static_power']) {
        const cls = typeof last === 'string' ? last : 'this cost';
        if (field === 'source') {
          return problem(segments, `${cls} has no source: every cost must say where its figure comes from`, `add 'source: "<paper or chip, and any arithmetic on it>"', e.g. "Davies et al., IEEE Micro 2018 (Loihi)"; the presets in hw-specs/presets/ cite theirs`);
        }
        if (field === 'basis') return problem(segments, `${cls} has no basis: every cost must say how its figure was obtained`, "add 'basis: measured', 'basis: simulated' or 'basis: derived'");
      }
      if (parent === topLevel['costs']) {
        return problem(segments, `missing cost class '${field}'`, `add '${field}: {fixed_cycles: 1, cycles_per_element: 0, energy_pj_per_event: 0, source: "...", basis: derived}' with real figures (copy it from a preset in hw-specs/presets/)`);
      }
      return undefined;
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const { comparison, limit, condition } = boundCondition(error);
      const format = segments[1];
      if (segments[0] === 'formats' && isFormatName(format) && last === 'bits') {
        if (comparison === '>=') return problem(segments, `${FORMAT_NOUNS[format]} needs at least 1 bit, got ${String(data)}`, `use bits: 1 or more (${format === 'adc' || format === 'weight' || format === 'dac' ? '8' : '16'} is typical)`);
        return problem(segments, `${FORMAT_NOUNS[format]} can be at most ${limit} bits wide, got ${String(data)}`, `use bits: ${limit} or less (the emulator holds it in a ${limit}-bit word)`);
      }
      const why = segments.join('.') === 'timing.acceleration' ? ' (1 = biological real time, 1000 = a thousand times faster)' : '';
      return problem(segments, `must be ${condition}, got ${String(data)}${why}`, `use a value ${condition}`);
    }
    case 'minLength':
      return parent === defs['source'] ? problem(segments, 'must not be empty', 'write where the figure comes from: paper or chip, and any arithmetic on it') : undefined;
    case 'pattern': {
      const s = JSON.stringify(data);
      if (last === 'name') {
        const better = String(data).replace(/[^A-Za-z0-9_.+-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'my-chip';
        return problem(segments, `${s} is not a valid hw-spec name`, `use letters, digits and _ . + - (starting with a letter or digit), e.g. ${better}`);
      }
      if (last === 'version') return problem(segments, `${s} is not a version`, 'write dotted numbers in quotes, e.g. "1.0" or "2.1.3"');
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Fixes for values of the wrong type that hw-specs get often (numbers for versions, fractional counts, quoted booleans). */
function typeFix({ data }: SchemaError, types: readonly string[]): string | undefined {
  if (typeof data === 'number' && types.includes('string')) return `write it in quotes: "${String(data)}"`;
  if (types.includes('integer') && typeof data === 'number' && Number.isFinite(data)) return `write a whole number such as ${Math.max(0, Math.round(data))}`;
  if (typeof data === 'string' && types.includes('boolean') && /^(yes|no|on|off|true|false)$/i.test(data.trim())) return `write ${/^(yes|on|true)$/i.test(data.trim())} without quotes`;
  return undefined;
}

function enumNoun({ segments, last, parent, data }: SchemaError): string {
  const noun = parent === defs['basis'] ? 'basis' : segments[0] === 'rounding' ? 'rounding mode' : String(last ?? 'value');
  return segments.join('.') === 'rounding.adc' && data === 'stochastic' ? `${noun} (an ADC cannot round stochastically)` : noun;
}

// ---------------------------------------------------------------- consistency

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(data: unknown, ...segments: string[]): unknown {
  let v = data;
  for (const s of segments) v = isObj(v) ? v[s] : undefined;
  return v;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A format whose fields have the right types (else undefined: the structural check reports it). */
function formatAt(data: Obj, name: string): FixedFormat | undefined {
  const f = at(data, 'formats', name);
  if (!isObj(f) || !isInt(f['bits']) || !isInt(f['frac_bits']) || typeof f['signed'] !== 'boolean') return undefined;
  if (f['bits'] < 1 || f['bits'] > 64) return undefined;
  return { bits: f['bits'], frac_bits: f['frac_bits'], signed: f['signed'] };
}

const describeFormat = (f: FixedFormat): string => `${f.bits}-bit ${f.signed ? 'signed' : 'unsigned'}`;

/**
 * The rules the schema cannot express (relations between fields). Runs on data that may be
 * structurally wrong: each rule looks only at fields of the right type and skips the rest.
 */
function checkConsistency(data: Obj): Problem[] {
  const out: Problem[] = [];
  const formats: Partial<Record<FormatName, FixedFormat>> = {};
  for (const name of FORMAT_NAMES) {
    const f = formatAt(data, name);
    if (!f) continue;
    formats[name] = f;
    if (f.frac_bits > f.bits) {
      out.push(problem(['formats', name, 'frac_bits'], `frac_bits (${f.frac_bits}) is larger than bits (${f.bits})`, `use frac_bits between 0 and ${f.bits}, or widen bits to ${f.frac_bits} or more`));
    }
  }
  for (const [name, why] of [
    ['weight', 'NLA weights take both signs (BrainScaleS-2 gets the sign from paired excitatory and inhibitory rows)'],
    ['state', 'voltages and errors take both signs'],
    ['accumulator', 'it sums products of signed values'],
  ] as const) {
    const f = formats[name];
    if (f && !f.signed) out.push(problem(['formats', name, 'signed'], `${FORMAT_NOUNS[name]} must be signed: ${why}`, 'write signed: true'));
  }
  const { state, accumulator } = formats;
  if (state && accumulator && accumulator.bits < state.bits) {
    out.push(problem(['formats', 'accumulator', 'bits'], `the accumulator (${accumulator.bits} bits) is narrower than the state (${state.bits} bits)`, `use accumulator bits: ${state.bits} or more (twice the state, ${Math.min(64, 2 * state.bits)}, holds the product of two state values)`));
  }

  // converter ranges within the codes of their formats
  for (const conv of ['adc', 'dac'] as const) {
    const f = formats[conv];
    const min = at(data, conv, 'range', 'min');
    const max = at(data, conv, 'range', 'max');
    const name = conv.toUpperCase();
    if (f) {
      const codes = codeRange(f);
      for (const [key, v] of [
        ['min', min],
        ['max', max],
      ] as const) {
        if (isInt(v) && (v < codes.min || v > codes.max)) {
          out.push(problem([conv, 'range', key], `${v} is outside the codes of the ${describeFormat(f)} ${name} (${codes.min}..${codes.max})`, `use a value from ${codes.min} to ${codes.max}, or change formats.${conv}`));
        }
      }
    }
    if (isInt(min) && isInt(max) && min > max) out.push(problem([conv, 'range'], `min (${min}) is larger than max (${max})`, 'swap them'));
  }

  // randomness needs a seed
  if (at(data, 'seed') === undefined) {
    const why: string[] = [];
    if (at(data, 'noise', 'enabled') === true) why.push('noise.enabled is true');
    if (at(data, 'mismatch', 'enabled') === true) why.push('mismatch.enabled is true');
    for (const r of ['state', 'weight_update']) if (at(data, 'rounding', r) === 'stochastic') why.push(`rounding.${r} is stochastic`);
    if (why.length) {
      out.push({
        path: '',
        message: `missing field 'seed', needed because ${why.join(' and ')} (${why.length === 1 ? 'it draws' : 'they draw'} random numbers)`,
        fix: "add 'seed: 1' (any integer >= 0; the same seed gives the same chip and the same noise), or switch them off",
      });
    }
  }

  // lookup tables are indexed by the top bits of the state
  const entries = at(data, 'core', 'lut_entries');
  if (isInt(entries) && entries >= 1) {
    const pow2 = (entries & (entries - 1)) === 0 && entries <= 2 ** 30;
    if (!pow2) {
      const lower = 2 ** Math.floor(Math.log2(entries));
      out.push(problem(['core', 'lut_entries'], `${entries} is not a power of two (a table is indexed by the top bits of the state)`, `use ${lower} or ${lower * 2}`));
    } else if (state && entries > 2 ** state.bits) {
      out.push(problem(['core', 'lut_entries'], `${entries} entries need a ${Math.log2(entries)}-bit index, but the state has only ${state.bits} bits`, `use at most ${2 ** state.bits} entries, or widen formats.state`));
    }
  }

  const neurons = at(data, 'core', 'neurons');
  const words = at(data, 'core', 'vector_memory_words');
  if (isInt(neurons) && isInt(words) && neurons >= 1 && words < neurons) {
    out.push(problem(['core', 'vector_memory_words'], `${words} words cannot hold the state of ${neurons} neurons (one word each at least)`, `use ${neurons} or more (a neuron needs several words: voltage, rates, errors; 64 per neuron is comfortable)`));
  }

  for (const p of ['a', 'd'] as const) {
    const min = at(data, 'std', p, 'min');
    const max = at(data, 'std', p, 'max');
    if (isNum(min) && isNum(max) && min > max) out.push(problem(['std', p], `min (${min}) is larger than max (${max})`, 'swap them'));
  }
  return out;
}

// Malformed hw-specs: every problem is reported (not only the first), each with the file, the exact
// path inside it and a fix, as a FileProblemsError (never a stack trace). Most cases are the default
// preset with one change; the fixtures cover what only a file can hold (syntax, duplicate keys).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import type { Problem } from '../../compiler/common/errors.js';
import { hwSpecWarnings, loadHwSpec, parseHwSpec, presetDir, type HwSpec } from '../../compiler/hwspec/index.js';
import { problemsOf } from '../helpers/problems.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** [path, part of the message, part of the fix] */
type Expected = [path: string, message: string | RegExp, fix: string | RegExp];

const preset = (name = 'default'): Json => JSON.parse(readFileSync(join(presetDir(), `${name}.json`), 'utf8')) as Json;

function expectProblems(problems: Problem[], expected: Expected[]): void {
  for (const [path, message, fix] of expected) {
    const found = problems.find((p) => p.path === path && (typeof message === 'string' ? p.message.includes(message) : message.test(p.message)));
    expect(found, `no problem at '${path}' matching ${String(message)}; got:\n${problems.map((p) => `${p.path}: ${p.message}. ${p.fix}`).join('\n')}`).toBeDefined();
    if (typeof fix === 'string') expect(found!.fix).toContain(fix);
    else expect(found!.fix).toMatch(fix);
  }
}

/** The default preset with one change, as JSON (and, to check both readers, as YAML). */
const CASES: [name: string, change: (s: Json) => void, expected: Expected[]][] = [
  ['a 0-bit ADC', (s) => (s.formats.adc.bits = 0), [['formats.adc.bits', 'an ADC needs at least 1 bit, got 0', 'use bits: 1 or more']]],
  ['a 0-bit DAC', (s) => (s.formats.dac.bits = 0), [['formats.dac.bits', 'a DAC needs at least 1 bit, got 0', 'use bits: 1 or more']]],
  ['frac_bits > bits', (s) => (s.formats.weight.frac_bits = 9), [['formats.weight.frac_bits', 'frac_bits (9) is larger than bits (8)', 'use frac_bits between 0 and 8, or widen bits to 9 or more']]],
  ['a weight too wide for the emulator', (s) => (s.formats.weight.bits = 40), [['formats.weight.bits', 'a weight can be at most 32 bits wide, got 40', 'use bits: 32 or less']]],
  ['a cost without a source', (s) => delete s.costs.mvm.source, [['costs.mvm', 'mvm has no source: every cost must say where its figure comes from', "add 'source:"]]],
  ['a cost with an empty source', (s) => (s.costs.io.source = ''), [['costs.io.source', 'must not be empty', 'write where the figure comes from']]],
  ['static power without a basis', (s) => delete s.static_power.basis, [['static_power', 'static_power has no basis', "add 'basis: measured', 'basis: simulated' or 'basis: derived'"]]],
  ['a misspelt basis', (s) => (s.costs.lut.basis = 'measurd'), [['costs.lut.basis', "'measurd' is not a valid basis", "did you mean 'measured'? allowed values: measured, simulated, derived"]]],
  ['a missing cost class', (s) => delete s.costs.halt, [['costs', "missing cost class 'halt'", "add 'halt: {fixed_cycles"]]],
  [
    'an unknown field (did-you-mean)',
    (s) => {
      s.core.crossbar.colums = s.core.crossbar.cols;
      delete s.core.crossbar.cols;
    },
    [
      ['core.crossbar.colums', "unknown field 'colums'", "did you mean 'cols'? allowed fields here: rows, cols"],
      ['core.crossbar', "missing required field 'cols'", "add 'cols: 256'"],
    ],
  ],
  ['an unknown top-level field', (s) => (s.colour = 'blue'), [['colour', "unknown field 'colour'", 'remove it; allowed fields here: name, description, version, seed, mesh']]],
  ['a negative clock', (s) => (s.timing.clock_mhz = -250), [['timing.clock_mhz', 'must be greater than 0, got -250', 'use a value greater than 0']]],
  ['a zero acceleration', (s) => (s.timing.acceleration = 0), [['timing.acceleration', 'must be greater than 0, got 0', 'use a value greater than 0']]],
  ['a 0-row crossbar', (s) => (s.core.crossbar.rows = 0), [['core.crossbar.rows', 'must be at least 1, got 0', 'use a value at least 1']]],
  ['a quoted number', (s) => (s.mesh.cols = '8'), [['mesh.cols', 'expected an integer, got the string "8"', 'remove the quotes: write 8 instead of "8"']]],
  ['a fractional count', (s) => (s.mesh.rows = 2.5), [['mesh.rows', 'expected an integer, got the number 2.5', 'write a whole number such as 3']]],
  ['a quoted boolean', (s) => (s.noise.enabled = 'yes'), [['noise.enabled', 'expected true or false, got the string "yes"', 'write true without quotes']]],
  ['a version that is a number', (s) => (s.version = 1), [['version', 'expected a string, got the number 1', 'write it in quotes: "1"']]],
  ['a version that is not dotted numbers', (s) => (s.version = 'v1'), [['version', '"v1" is not a version', 'e.g. "1.0"']]],
  ['a name with spaces', (s) => (s.name = 'my chip'), [['name', '"my chip" is not a valid hw-spec name', 'e.g. my-chip']]],
  ['a format that is not a mapping', (s) => (s.formats.eta = 16), [['formats.eta', 'expected a mapping (key: value fields), got the number 16', 'write a mapping']]],
  ['a misspelt rounding mode', (s) => (s.rounding.state = 'nearest'), [['rounding.state', "'nearest' is not a valid rounding mode", "did you mean 'nearest_even'? allowed values: nearest_even, floor, stochastic"]]],
  ['a stochastic ADC', (s) => (s.rounding.adc = 'stochastic'), [['rounding.adc', "'stochastic' is not a valid rounding mode (an ADC cannot round stochastically)", 'allowed values: nearest_even, floor']]],
  [
    'randomness without a seed',
    (s) => delete s.seed,
    [['', "missing field 'seed', needed because noise.enabled is true and mismatch.enabled is true and rounding.weight_update is stochastic (they draw random numbers)", "add 'seed: 1'"]],
  ],
  ['a negative seed', (s) => (s.seed = -1), [['seed', 'must be at least 0, got -1', 'use a value at least 0']]],
  ['an ADC range beyond the ADC format', (s) => (s.adc.range.max = 300), [['adc.range.max', '300 is outside the codes of the 8-bit signed ADC (-128..127)', 'use a value from -128 to 127, or change formats.adc']]],
  ['a DAC range below an unsigned DAC', (s) => (s.formats.dac.signed = false), [['dac.range.min', '-128 is outside the codes of the 8-bit unsigned DAC (0..255)', 'use a value from 0 to 255']]],
  ['an inverted range', (s) => (s.dac.range = { min: 10, max: -10 }), [['dac.range', 'min (10) is larger than max (-10)', 'swap them']]],
  ['an unsigned accumulator', (s) => (s.formats.accumulator.signed = false), [['formats.accumulator.signed', 'the accumulator must be signed: it sums products of signed values', 'write signed: true']]],
  ['unsigned weights', (s) => (s.formats.weight.signed = false), [['formats.weight.signed', 'a weight must be signed', 'write signed: true']]],
  ['an accumulator narrower than the state', (s) => (s.formats.accumulator.bits = 12), [['formats.accumulator.bits', 'the accumulator (12 bits) is narrower than the state (16 bits)', 'use accumulator bits: 16 or more']]],
  ['a lookup table that is not a power of two', (s) => (s.core.lut_entries = 300), [['core.lut_entries', '300 is not a power of two', 'use 256 or 512']]],
  ['a lookup table wider than the state index', (s) => (s.core.lut_entries = 2 ** 20), [['core.lut_entries', '1048576 entries need a 20-bit index, but the state has only 16 bits', 'use at most 65536 entries']]],
  ['too little vector memory', (s) => (s.core.vector_memory_words = 100), [['core.vector_memory_words', '100 words cannot hold the state of 256 neurons', 'use 256 or more']]],
  ['an inverted STD range', (s) => (s.std.a = { min: 5, max: 1 }), [['std.a', 'min (5) is larger than max (1)', 'swap them']]],
  ['a zero STD parameter', (s) => (s.std.d.min = 0), [['std.d.min', 'must be greater than 0, got 0', 'use a value greater than 0']]],
  ['negative noise', (s) => (s.noise.read_std_lsb = -1), [['noise.read_std_lsb', 'must be at least 0, got -1', 'use a value at least 0']]],
];

describe('malformed specs: the exact path and a fix', () => {
  test.each(CASES)('%s (JSON)', (_name, change, expected) => {
    const spec = preset();
    change(spec);
    const { file, problems } = problemsOf(() => parseHwSpec(JSON.stringify(spec, null, 2), 'bad.json'));
    expect(file).toBe('bad.json');
    expectProblems(problems, expected);
  });

  test.each(CASES)('%s (YAML)', (_name, change, expected) => {
    const spec = preset();
    change(spec);
    const { problems } = problemsOf(() => parseHwSpec(stringify(spec), 'bad.yaml'));
    expectProblems(problems, expected);
  });

  test('the message names the file, the path and the fix on one line', () => {
    const spec = preset();
    spec.formats.adc.bits = 0;
    const { message } = problemsOf(() => parseHwSpec(JSON.stringify(spec), 'chips/mine.json'));
    expect(message).toBe('chips/mine.json: formats.adc.bits: an ADC needs at least 1 bit, got 0. use bits: 1 or more (8 is typical)');
  });

  test('an infinite number in YAML', () => {
    const text = stringify(preset()).replace('clock_mhz: 250', 'clock_mhz: .inf');
    expectProblems(problemsOf(() => parseHwSpec(text, 'inf.yaml')).problems, [['timing.clock_mhz', 'expected a number, got Infinity (only finite numbers are allowed)', 'write a number']]);
  });
});

describe('malformed files', () => {
  const F = (name: string): string => `tests/hwspec/fixtures/bad/${name}`;

  test('several problems in one file are all reported, in the order of the file', () => {
    const { file, problems } = problemsOf(() => loadHwSpec(F('several.yaml')));
    expect(file).toBe(F('several.yaml'));
    const expected: Expected[] = [
      ['', "missing field 'seed', needed because rounding.weight_update is stochastic (it draws random numbers)", "add 'seed: 1'"],
      ['core.crossbar.rows', 'must be at least 1, got 0', 'use a value at least 1'],
      ['formats.adc.bits', 'an ADC needs at least 1 bit, got 0', 'use bits: 1 or more'],
      ['formats.state.frac_bits', 'frac_bits (20) is larger than bits (16)', 'widen bits to 20 or more'],
      ['rounding.state', "'nearest' is not a valid rounding mode", "did you mean 'nearest_even'?"],
      ['timing.clock_mhz', 'must be greater than 0, got -100', 'use a value greater than 0'],
      ['costs.mvm', 'mvm has no source', "add 'source:"],
      ['colour', "unknown field 'colour'", 'remove it'],
    ];
    expectProblems(problems, expected);
    expect(problems.map((p) => p.path)).toEqual(expected.map(([path]) => path));
  });

  test('an unknown preset name lists the presets and suggests the closest', () => {
    const { file, problems } = problemsOf(() => loadHwSpec('defualt'));
    expect(file).toBe('defualt');
    expectProblems(problems, [['', "unknown hw-spec preset 'defualt'", "did you mean 'default'? presets: bss2-like, default, high-precision; to load a file, give its path (e.g. ./defualt.json"]]);
    expectProblems(problemsOf(() => loadHwSpec('bss3')).problems, [['', "unknown hw-spec preset 'bss3'", 'presets: bss2-like, default, high-precision']]);
  });

  test('a missing file', () => {
    expectProblems(problemsOf(() => loadHwSpec('no/such/spec.json')).problems, [['', 'file not found', /check the path .*, or name a preset: bss2-like, default, high-precision/]]);
  });

  test('a directory', () => {
    expectProblems(problemsOf(() => loadHwSpec('tests/hwspec/fixtures/')).problems, [['', 'is a directory, not a hw-spec file', 'give the path of a .json, .yaml or .yml file']]);
  });

  test('a YAML syntax error gives the line', () => {
    expectProblems(problemsOf(() => loadHwSpec(F('yaml-syntax.yaml'))).problems, [['', /^YAML syntax error at line 3, column 9: /, 'check the indentation']]);
  });

  test('a JSON syntax error gives the line, the column and what is wrong', () => {
    expectProblems(problemsOf(() => loadHwSpec(F('json-syntax.json'))).problems, [['', 'JSON syntax error at line 3, column 35: a trailing comma before }', 'JSON allows no trailing commas']]);
  });

  test('a duplicate key in JSON (which JSON.parse would silently accept)', () => {
    expectProblems(problemsOf(() => loadHwSpec(F('duplicate-key.json'))).problems, [['name', "duplicate key 'name' at line 4", 'each key may appear once in an object']]);
  });

  test('a duplicate key in YAML', () => {
    const text = stringify(preset()).replace('name: default\n', 'name: default\nname: again\n');
    expectProblems(problemsOf(() => parseHwSpec(text, 'dup.yaml')).problems, [['name', "duplicate key 'name' at line 3", "each key may appear once in a mapping; remove or merge one of the 'name' entries"]]);
  });

  test('an empty file, and a file that holds a list', () => {
    expectProblems(problemsOf(() => loadHwSpec(F('empty.yaml'))).problems, [['', 'the file is empty (or holds only comments)', 'copy a preset from hw-specs/presets/']]);
    expectProblems(problemsOf(() => loadHwSpec(F('list.yaml'))).problems, [['', 'the top level must be a mapping of fields (name, mesh, core, formats, ...), but the file holds a list', 'copy a preset']]);
  });
});

describe('warnings', () => {
  test('an accumulator too narrow for a full crossbar column is a warning, not an error', () => {
    const spec = preset();
    spec.formats.accumulator.bits = 20;
    const loaded: HwSpec = parseHwSpec(JSON.stringify(spec), 'narrow.json'); // loads
    expect(hwSpecWarnings(loaded)).toEqual([
      {
        path: 'formats.accumulator.bits',
        message:
          'the 20-bit accumulator cannot hold the exact sum of a full crossbar column (256 rows of 8-bit signed weight x 8-bit signed input products needs 24 bits); digital sums of that many full-scale products saturate',
        fix: 'use bits: 24 or more for an exact sum, or keep 20 if the analog column sum (which never passes through the accumulator) is all you need',
      },
    ]);
    spec.formats.accumulator.bits = 24;
    expect(hwSpecWarnings(parseHwSpec(JSON.stringify(spec), 'ok.json'))).toEqual([]);
  });
});

// Malformed network files: every problem is reported (not only the first), each with the file,
// the exact path inside it and a fix.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadNetwork } from '../../compiler/network/index.js';
import { problemsOf } from '../helpers/problems.js';

const DIR = 'tests/network/fixtures/bad';

/** [path, part of the message, part of the fix] for every problem the file must report. */
type Expected = [path: string, message: string | RegExp, fix: string | RegExp];

const CASES: Record<string, Expected[]> = {
  'wrong-types.yaml': [
    ['seed', 'expected an integer, got the number 1.5', 'whole number'],
    ['populations[0].size', 'expected an integer, got the string "abc"', 'whole number'],
    ['populations[1].neuron.bias', 'expected true or false, got the string "yes"', 'write true or false'],
    ['projections[0].eta', 'expected a number, got the string "0.01"', 'write 0.01 instead of "0.01"'],
    ['dynamics', 'expected a mapping', 'key: value'],
  ],
  'unknown-fields.yaml': [
    ['neuron.activaton', "unknown field 'activaton'", "did you mean 'activation'?"],
    ['projections[0].init', "missing required field 'std' (needed for dist 'normal')", 'add \'std: 0.1\''],
    ['projections[0].init.stdd', "unknown field 'stdd'", "did you mean 'std'? allowed fields for dist 'normal': dist, std, mean, clip"],
    ['projections[1].init.high', "unknown field 'high'", "'high' belongs to dist uniform"],
    ['stimulus.inputs.in.period', "unknown field 'period'", "allowed fields for kind 'sine': kind, freq, amplitude, offset, phase_spread"],
    ['colour', "unknown field 'colour'", 'allowed fields here: name, seed, neuron'],
  ],
  'values-shape.yaml': [
    ['projections[0].init.values', "has 3 rows, but 'out' (to) has 2 neurons", 'values needs 2 rows x 3 columns'],
    ['projections[0].init.values[1]', "row 1 has 2 numbers, but 'in' (from) has 3 neurons", 'values needs 2 rows x 3 columns'],
  ],
  'negative-tau.yaml': [
    ['neuron.tau', 'a duration must be greater than 0, got "-5ms"', 'positive duration such as "10ms"'],
    ['populations[1].neuron.tau', 'a duration must be greater than 0, got -0.002', 'positive duration'],
  ],
  'empty-populations.yaml': [['populations', 'must not be empty', 'add at least one entry, e.g. [{name: in, kind: input, size: 4}']],
  'size-zero.yaml': [['populations[1].size', 'must be at least 1, got 0', 'use a value of at least 1']],
  'unknown-population.yaml': [
    ['projections[1].from', "unknown population 'hl'", "did you mean 'h1'? populations: in, h1, out"],
    ['stimulus.inputs.inn', "unknown population 'inn'", "did you mean 'in'? input populations: in"],
    ['phases[0].nudge[0]', "unknown population 'outt'", "did you mean 'out'?"],
    ['probes[1]', "unknown population 'hh1'", "did you mean 'h1'?"],
  ],
  'cycle-layered.yaml': [['dynamics.solver', "solver 'layered' needs feedforward forward projections, but they form the cycle h1 -> h2 -> h1", 'use solver: dense']],
  'dt-too-large.yaml': [
    ['dynamics.dt', /dt \(10ms\) must be smaller .* tau of population 'out' \(10ms, neuron\.tau\) and tau_in \(5ms, dynamics\.tau_in\)/, 'use dt <= 250us'],
  ],
  'microcircuit-few-interneurons.yaml': [['populations[2].size', "interneuron population 'i' has 1 neuron, but needs at least min(6, 3) = 3", 'set size: 3 or more']],
  'microcircuit-wiring.yaml': [
    ['populations[3]', "needs exactly one bip projection (from the layer above), found 0", 'add {from: h2, to: i, role: bip}'],
    ['projections', "hidden population 'h' has interneurons ('i') but no topdown projection from 'h2'", 'add {from: h2, to: h, role: topdown}'],
    ['projections[4].to', "must go back to 'h'", 'write to: h'],
  ],
  'bad-durations.yaml': [
    ['dynamics.dt', `"0.05 sec" is not a duration: unknown unit 'sec'`, `did you mean 's'?`],
    ['dynamics.tau_in', '"10" has no unit', 'write "10ms" or "10s", or the plain number 10 (seconds)'],
    ['stimulus.presentation', '"ten ms" is not a duration', 'e.g. "10ms", "0.05ms" or "2s"'],
    ['stimulus.inputs.in.period', 'expected a duration, got true', 'e.g. "10ms"'],
  ],
  'yaml-syntax.yaml': [['populations[0]', /^YAML syntax error at line 4, column 3: Flow map/, 'check the indentation']],
  'top-level-list.yaml': [['', 'the top level must be a mapping of fields (name, populations, dynamics, ...), but the file holds a list', 'docs/network-format.md']],
  'empty.yaml': [['', 'the file is empty', 'docs/network-format.md']],
  'duplicate-key.yaml': [['dynamics.dt', "duplicate key 'dt' at line 8, column 3", "remove or merge one of the 'dt' entries"]],
  'duplicate-names.yaml': [
    ['populations[2].name', "population name 'h' is already used by populations[1]", 'rename one of them'],
    ['projections[1]', "projection name 'in->h' is already used by projections[0]", "give one of them a different 'name:'"],
    ['phases[1].name', "phase name 'run' is already used by phases[0]", 'rename one of them'],
  ],
  'nudge-range.yaml': [
    ['phases[0].nudge[0]', "the neuron range [0:5] is outside 'out', which has 2 neurons (0..1)", 'use a range within [0:2]'],
    ['phases[1].nudge[0]', 'the neuron range [1:1] is empty', 'a < b'],
    ['phases[1].nudge[1]', "'h' is a hidden population; only output populations can be nudged", 'remove it from nudge'],
  ],
  'missing-input-stimulus.yaml': [
    ['stimulus.inputs', "input population 'ctx' has no signal", "add 'ctx: {kind: random_steps}' under stimulus.inputs"],
    ['phases[0].nudge[0]', "'out' is nudged but has no target", 'under stimulus.targets'],
  ],
  'bad-patterns.yaml': [
    ['populations[1].name', '"2nd" is not a valid name', 'names start with a letter or _'],
    ['projections[0].to', '"2nd" is not a valid name', 'e.g. _2nd'],
    ['phases[0].nudge[0]', '"2nd[0-1]" is not a nudge selection', '"out[0:2]"'],
    ['probes[0]', `unknown signal 'uu' in probe "in.uu"`, "did you mean 'u'? signals: u, udot, r, rbar, ebar, em, target, uI, f"],
    ['probes[1]', '"in" is not a probe', 'write "population.signal"'],
  ],
  'bad-probe-population.yaml': [
    ['probes[0]', "input population 'in' has no signal 'u' (only r and rbar)", "probe 'in.rbar'"],
    ['probes[1]', "signal 'uI' (interneuron voltage) exists only on interneuron populations", "use 'h.u'"],
    ['probes[2]', "signal 'target' exists only on output populations", "probe 'out.target'"],
    ['probes[6]', "probe 'out.u' is listed twice", 'remove one of them'],
  ],
  'no-self-mask.yaml': [['projections[0].mask', "mask no_self only applies to a projection from a population onto itself, but this one goes from 'in' to 'out'", 'remove the mask']],
  'structural.json': [
    ['populations[0].size', 'expected an integer, got the string "4"', 'write 4 instead of "4"'],
    ['populations[1].kind', "'ouput' is not a valid kind", "did you mean 'output'? allowed values: input, hidden, interneuron, output"],
    ['projections[0].init.dist', "'gauss' is not a valid dist", 'allowed values: normal, uniform, zeros, constant, values'],
    ['dynamics.solvr', "unknown field 'solvr'", "did you mean 'solver'?"],
  ],
  'syntax.json': [['', 'JSON syntax error at line 5, column 3: a trailing comma before ]', 'no trailing commas']],
  'duplicate-key.json': [['populations[0].size', "duplicate key 'size' at line 3, column 64", "one of the 'size' entries"]],
  'roles.yaml': [
    ['projections[2].role', "a topdown projection goes from hidden/output to hidden populations, not from an input population ('in')", 'did you mean role: forward?'],
    ['projections[3].to', "'in' is an input population; projections may not end at one", 'swap from and to'],
    ['projections[4].role', "a wip projection goes from hidden to interneuron populations, not to a hidden population ('h')", 'did you mean role: forward or role: topdown?'],
  ],
  'enums.yaml': [
    ['neuron.activation', "'tahn' is not a valid activation", "did you mean 'tanh'? allowed values: hard_sigmoid, logistic, relu, clipped_relu, linear, tanh, softplus, std"],
    ['populations[1].kind', "'ouptut' is not a valid kind", "did you mean 'output'?"],
    ['projections[0].role', "'foward' is not a valid role", "did you mean 'forward'?"],
    ['projections[0].mask', "'self' is not a valid mask", 'allowed values: none, no_self'],
    ['dynamics.scheme', "'explict' is not a valid scheme", "did you mean 'explicit'?"],
    ['dynamics.solver', "'fast' is not a valid solver", 'allowed values: auto, dense, layered'],
  ],
  'missing-required.yaml': [
    ['', "missing required field 'name'", "add 'name: chain'"],
    ['populations[0]', "missing required field 'size'", "add 'size: 10'"],
    ['projections[0]', "missing required field 'from'", "add 'from: in'"],
    ['dynamics', "missing required field 'dt'", "add 'dt: 0.05ms'"],
    ['phases[0]', "missing required field 'duration'", "add 'duration: 200ms'"],
  ],
  'schemes.yaml': [
    ['dynamics.scheme', "scheme 'le' needs a feedforward network, but the forward projections form the cycle h -> h", 'use scheme: explicit or implicit'],
    ['dynamics.solver', 'form the cycle h -> h', "remove projections[1] ('h->h')"],
  ],
  'signals.yaml': [
    ['stimulus.inputs.in.kind', "mnist inputs need a population of 784 neurons", "set the size of 'in' to 784"],
    ['stimulus.inputs.ctx.value', "has 3 numbers, but 'ctx' has 2 neurons", 'one number per neuron (2)'],
    ['stimulus.inputs.cue.freq', 'a frequency must be greater than 0, got "0kHz"', 'positive frequency such as "5Hz"'],
    ['stimulus.targets.out.period', 'period (10us) is shorter than one time step dt (100us)', 'at least dt'],
  ],
  'time-steps.yaml': [
    ['projections[0].init.high', 'high (0.5) must be greater than low (0.5)', 'make high larger than low'],
    ['dynamics.gle.tau_r', 'a duration must be greater than 0, got "0ms"', 'positive duration such as "10ms"'],
    ['stimulus.presentation', 'presentation (500us) is shorter than one time step dt (1ms)', 'at least dt'],
    ['stimulus.inputs.in.fmax', 'fmax (2 Hz) is below fmin (10 Hz)', 'make fmax at least fmin'],
    ['phases[0].duration', "phase 'blink' lasts 500us, less than one time step dt (1ms)", 'at least dt'],
  ],
  'stimulus-kinds.yaml': [
    ['stimulus.inputs.out2', "'out2' is an output population, but stimulus.inputs is only for input populations", 'move it to stimulus.targets'],
    ['stimulus.targets.h', "'h' is a hidden population, but stimulus.targets is only for output populations", 'remove it'],
    ['phases[0].nudge[1]', "'out2' is nudged but has no target", "add a target for 'out2'"],
  ],
  'inputs-only.yaml': [['populations', 'every population is an input population', 'add at least one hidden or output population']],
};

describe('malformed network files', () => {
  test('every bad fixture has a case, and there are at least 18', () => {
    const files = readdirSync(DIR).sort();
    expect(files).toEqual(Object.keys(CASES).sort());
    expect(files.length).toBeGreaterThanOrEqual(18);
  });

  test.each(Object.entries(CASES))('%s', (name, expected) => {
    const file = `${DIR}/${name}`;
    const { problems, file: named, message } = problemsOf(() => loadNetwork(file));
    expect(named).toBe(file);
    // All problems, each matched once, in the order of the file.
    expect(problems.map((p) => p.path)).toEqual(expected.map(([path]) => path));
    problems.forEach((p, i) => {
      const [, msg, fix] = expected[i]!;
      if (typeof msg === 'string') expect(p.message).toContain(msg);
      else expect(p.message).toMatch(msg);
      if (typeof fix === 'string') expect(p.fix).toContain(fix);
      else expect(p.fix).toMatch(fix);
      expect(p.fix.length).toBeGreaterThan(5);
      // The printed text names the file and the path on the same line.
      expect(message).toContain(p.path ? `${file}: ${p.path}: ` : `${file}: `);
    });
    if (problems.length > 1) expect(message.split('\n')[0]).toBe(`${file}: ${problems.length} problems`);
  });
});

// Good network files parse to the expected IR: defaults filled in, units converted to SI.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../compiler/common/errors.js';
import { loadNetwork, parseDuration, parseFrequency, parseNetwork, type NetworkIR, type NeuronModel } from '../../compiler/network/index.js';
import { problemsOf } from '../helpers/problems.js';

const good = (name: string): string => `tests/network/fixtures/good/${name}`;
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path, 'utf8')).digest('hex');

const DEFAULT_NEURON: NeuronModel = {
  tau: 0.01,
  activation: 'hard_sigmoid',
  clipMax: 1,
  stdA: 1,
  stdD: 1,
  bias: false,
  biasInit: { dist: 'zeros' },
};

describe('good network files', () => {
  test('a minimal file gets every default', () => {
    const file = good('minimal.yaml');
    const expected: NetworkIR = {
      name: 'minimal',
      file,
      sourceHash: sha256(file),
      seed: 1,
      populations: [
        { name: 'in', kind: 'input', size: 2, neuron: DEFAULT_NEURON },
        { name: 'out', kind: 'output', size: 1, neuron: DEFAULT_NEURON },
      ],
      projections: [
        {
          name: 'in->out',
          from: 'in',
          to: 'out',
          role: 'forward',
          init: { dist: 'normal', mean: 0, std: 1 / Math.sqrt(2), clip: null },
          noSelf: false,
          plastic: true,
          eta: 1e-3,
        },
      ],
      dynamics: {
        scheme: 'explicit',
        dt: 1e-4,
        tauIn: 0.01,
        beta: 0.1,
        betaI: 0.1 / 1.1,
        solver: 'auto',
        gle: { tauR: 0.01, gamma: 1 },
        relax: 20,
        implicitRelaxation: 1,
        implicitSweep: 'jacobi',
        implicitIterations: 1,
      },
      stimulus: {
        inputs: { in: { kind: 'random_steps', period: 0.1, low: 0, high: 1, seed: 1 } },
        targets: { out: { kind: 'constant', value: [0.25] } },
        presentation: 0.1,
      },
      phases: [{ name: 'run', duration: 0.1, nudge: [{ population: 'out', start: 0, end: 1 }], plastic: true }],
      probes: [{ population: 'out', signal: 'u' }],
      microcircuit: false,
      feedforward: true,
    };
    expect(loadNetwork(file)).toEqual(expected);
  });

  test('the same network as JSON gives the same IR', () => {
    const yaml = loadNetwork(good('minimal.yaml'));
    const json = loadNetwork(good('minimal.json'));
    expect({ ...json, file: '', sourceHash: '' }).toEqual({ ...yaml, file: '', sourceHash: '' });
    expect(json.file).toBe(good('minimal.json'));
    expect(json.sourceHash).toBe(sha256(good('minimal.json')));
  });

  test('every field of the format (the documented example)', () => {
    const ir = loadNetwork(good('chain.yaml'));
    expect(ir.name).toBe('chain');
    expect(ir.seed).toBe(7);
    expect(ir.dynamics).toEqual({
      scheme: 'explicit',
      dt: 5e-5, // "0.05ms"
      tauIn: 0.01,
      beta: 0.1,
      betaI: 0.0909,
      solver: 'auto',
      gle: { tauR: 0.01, gamma: 1 },
      relax: 20,
      implicitRelaxation: 1,
      implicitSweep: 'jacobi',
      implicitIterations: 1,
    });
    const [input, h1, out] = ir.populations;
    expect(input!.neuron).toEqual(DEFAULT_NEURON);
    expect(h1!.neuron).toEqual({ ...DEFAULT_NEURON, tau: 0.005, activation: 'tanh' }); // "5 ms", override
    expect(out!.neuron.activation).toBe('hard_sigmoid'); // inherited from the top-level neuron
    expect(ir.projections).toEqual([
      { name: 'W1', from: 'in', to: 'h1', role: 'forward', init: { dist: 'normal', mean: 0, std: 0.5, clip: 1 }, noSelf: false, plastic: true, eta: 1e-3 },
      { name: 'h1->out', from: 'h1', to: 'out', role: 'forward', init: { dist: 'uniform', low: -0.1, high: 0.1 }, noSelf: false, plastic: true, eta: 1e-3 },
      { name: 'out->h1', from: 'out', to: 'h1', role: 'topdown', init: { dist: 'constant', value: 0.2 }, noSelf: false, plastic: false, eta: 1e-3 },
    ]);
    expect(ir.stimulus).toEqual({
      presentation: 0.005,
      inputs: { in: { kind: 'random_steps', period: 0.005, low: 0, high: 1, seed: 3 } },
      targets: { out: { kind: 'constant', value: 0.5 } },
    });
    expect(ir.phases).toEqual([
      { name: 'train', duration: 0.2, nudge: [{ population: 'out', start: 0, end: 2 }], plastic: true },
      { name: 'test', duration: 0.05, nudge: [{ population: 'out', start: 0, end: 1 }], plastic: false },
    ]);
    expect(ir.probes).toEqual([
      { population: 'out', signal: 'u' },
      { population: 'h1', signal: 'ebar' },
      { population: 'in', signal: 'rbar' },
    ]);
    expect(ir.feedforward).toBe(true); // topdown projections do not make a cycle
    expect(ir.microcircuit).toBe(false);
  });

  test('a microcircuit: flags, signals in SI units, bias inits, default phase', () => {
    const ir = loadNetwork(good('microcircuit.yaml'));
    expect(ir.microcircuit).toBe(true);
    expect(ir.feedforward).toBe(true);
    expect(ir.stimulus.inputs['in']).toEqual({ kind: 'sine', freq: 200, amplitude: 0.5, offset: 0.5, phaseSpread: 0.3 }); // "0.2kHz"
    expect(ir.stimulus.targets['out']).toEqual({ kind: 'square', period: 0.02, low: 0, high: 1 });
    const bias = Object.fromEntries(ir.populations.map((p) => [p.name, [p.neuron.bias, p.neuron.biasInit]]));
    expect(bias['h']).toEqual([true, { dist: 'values', values: [[0.1], [0.2], [0.3]] }]);
    expect(bias['i']).toEqual([false, { dist: 'values', values: [[0.1], [0.2], [0.3]] }]);
    expect(bias['out']).toEqual([true, { dist: 'zeros' }]);
    expect(ir.projections.map((p) => [p.role, p.plastic])).toEqual([
      ['forward', true],
      ['forward', true],
      ['topdown', false],
      ['wip', true],
      ['wpi', true],
      ['bip', false],
    ]);
    expect(ir.phases).toEqual([{ name: 'run', duration: 0.1, nudge: [{ population: 'out', start: 0, end: 2 }], plastic: true }]);
    expect(ir.probes.map((p) => `${p.population}.${p.signal}`)).toEqual(['i.uI', 'h.ebar', 'out.target', 'in.r']);
  });

  test('a recurrent net without inputs: not feedforward, default probes and seeds', () => {
    const ir = loadNetwork(good('recurrent.yaml'));
    expect(ir.feedforward).toBe(false);
    expect(ir.projections[0]!.noSelf).toBe(true);
    expect(ir.stimulus.inputs).toEqual({});
    expect(ir.stimulus.targets['visible']).toEqual({ kind: 'multichannel', latents: 2, fmin: 0.5, fmax: 4, low: 0, high: 1, seed: 0 });
    expect(ir.probes).toEqual([
      { population: 'visible', signal: 'u' },
      { population: 'hidden', signal: 'u' },
    ]);
    expect(ir.phases[0]!.nudge).toEqual([{ population: 'visible', start: 0, end: 5 }]);
  });

  test('mnist signals in a JSON file with a $schema key', () => {
    const ir = loadNetwork(good('mnist.json'));
    expect(ir.dynamics.scheme).toBe('le');
    expect(ir.dynamics.solver).toBe('layered');
    expect(ir.stimulus.inputs['pixels']).toEqual({ kind: 'mnist', split: 'test', offset: 0, count: 5, on: 1, off: 0 });
    expect(ir.phases[0]).toEqual({ name: 'train', duration: 0.5, nudge: [{ population: 'digits', start: 0, end: 10 }], plastic: true });
  });

  test('a seed given to the loader replaces the file seed and the default signal seeds', () => {
    const ir = loadNetwork(good('minimal.yaml'), { seed: 42 });
    expect(ir.seed).toBe(42);
    expect(ir.stimulus.inputs['in']).toMatchObject({ seed: 42 });
    expect(() => loadNetwork(good('minimal.yaml'), { seed: -1 })).toThrow(UserError);
  });

  test('every shipped example validates', () => {
    const examples = readdirSync('examples').filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(examples.length).toBeGreaterThan(0);
    for (const f of examples) expect(() => loadNetwork(`examples/${f}`), f).not.toThrow();
  });

  test('the format is chosen by extension and a byte-order mark is ignored', () => {
    const text = readFileSync(good('minimal.json'), 'utf8');
    expect(parseNetwork(`\uFEFF${text}`, 'x.JSON').name).toBe('minimal');
    expect(parseNetwork(text, 'x.yml').name).toBe('minimal'); // JSON is YAML too
  });
});

describe('loading errors that are not about the content', () => {
  test('a missing file names the file', () => {
    const err = problemsOf(() => loadNetwork('tests/network/fixtures/nope.yaml'));
    expect(err.file).toBe('tests/network/fixtures/nope.yaml');
    expect(err.problems).toEqual([{ path: '', message: 'file not found', fix: expect.stringContaining('check the path') }]);
  });

  test('a directory is not a network file', () => {
    const err = problemsOf(() => loadNetwork('tests/network/fixtures'));
    expect(err.problems[0]!.message).toMatch(/directory/);
  });
});

describe('durations and frequencies', () => {
  test.each([
    [0.5, 0.5],
    ['0.05ms', 5e-5],
    ['10 ms', 0.01],
    ['2s', 2],
    ['250us', 2.5e-4],
    [' 1e-2 s ', 0.01],
    ['1.5e3us', 1.5e-3],
    ['.5ms', 5e-4],
  ])('parseDuration(%j) = %f', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each(['10', '10 sec', 'ms', '', 'fast', '1 0ms', '10mS'])('parseDuration(%j) is an error with an example', (text) => {
    expect(() => parseDuration(text)).toThrow(/e\.g\. "10ms"/);
  });

  test('frequencies', () => {
    expect(parseFrequency(5)).toBe(5);
    expect(parseFrequency('5Hz')).toBe(5);
    expect(parseFrequency('0.2 kHz')).toBe(200);
    expect(() => parseFrequency('5 rpm')).toThrow(UserError);
  });
});

// The compiler issue's acceptance checks on the whole pipeline: byte-identical images, golden
// disassembly of every example on every preset that holds it, the resources and the errors for
// networks and specs that do not fit.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHwSpec, parseHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import { readImage, writeImage } from '../../compiler/image/index.js';
import { isUserError } from '../../compiler/common/errors.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { imageText } from '../../tools/commands/compile.js';
import { examplePath } from '../../tools/bench/paths.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const EXAMPLES = ['chain', 'recurrent', 'mnist', 'microcircuit'];
const PRESETS = ['default', 'bss2-like', 'high-precision'];

function userErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!isUserError(e)) throw e;
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

function withSpec(base: string, edit: (s: HwSpec) => void): HwSpec {
  const s = structuredClone(loadHwSpec(base));
  edit(s);
  return s;
}

describe('compile: images', () => {
  it('compiling the same network twice gives byte-identical images, and they read back', () => {
    const net = loadNetwork(examplePath('recurrent.yaml'));
    const a = writeImage(compileNetwork(net, loadHwSpec('default')).image);
    const b = writeImage(compileNetwork(loadNetwork(examplePath('recurrent.yaml')), loadHwSpec('default')).image);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const back = readImage(a, 'recurrent.nlaimg');
    expect(writeImage(back)).toEqual(a);
  });

  for (const example of EXAMPLES)
    for (const preset of PRESETS)
      it(`${example} on ${preset}: disassembly equals the golden file`, () => {
        const { image } = compileNetwork(loadNetwork(examplePath(`${example}.yaml`)), loadHwSpec(preset));
        const text = imageText(readImage(writeImage(image), 'x.nlaimg'));
        const file = join(GOLDEN, `${example}.${preset}.s`);
        if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(file, text);
        }
        expect(text).toBe(readFileSync(file, 'utf8'));
      }, 30000);
});

describe('compile: resources that do not fit are clear errors', () => {
  it('a network too big for the chip names the projection, the resource and the limit', () => {
    const small = withSpec('default', (s) => {
      s.mesh = { ...s.mesh, cols: 2, rows: 2 };
    });
    const msg = userErrorOf(() => compileNetwork(loadNetwork(examplePath('mnist.yaml')), small));
    expect(msg).toMatch(/projection 'W1'|population/);
    expect(msg).toMatch(/4 (cores|crossbars)/);
  });
  it('too little vector memory names the core and the limit', () => {
    const spec = withSpec('default', (s) => {
      s.core = { ...s.core, vector_memory_words: 64 };
    });
    expect(userErrorOf(() => compileNetwork(loadNetwork(examplePath('mnist.yaml')), spec))).toMatch(/vector_memory_words = 64/);
  });
  it('a weight format that cannot hold the initial weights names the projection', () => {
    const spec = withSpec('high-precision', (s) => {
      s.formats.weight = { bits: 8, frac_bits: 7, signed: true };
    });
    const msg = userErrorOf(() => compileNetwork(loadNetwork(examplePath('chain.yaml')), spec));
    expect(msg).toMatch(/projection 'in->h1': initial weights reach 1\.2/);
    expect(msg).toMatch(/formats\.weight/);
  });
  it('a spec with a 0-bit ADC is rejected when it is loaded', () => {
    const text = readFileSync('hw-specs/presets/default.json', 'utf8').replace('"adc": { "bits": 8', '"adc": { "bits": 0');
    expect(text).toContain('"adc": { "bits": 0');
    expect(userErrorOf(() => parseHwSpec(text, 'zero-adc.json'))).toMatch(/formats\.adc\.bits/);
  });
  it('a network whose ideal scheme the chip does not run compiles to the implicit form, with a warning', () => {
    const chain = loadNetwork(examplePath('chain.yaml'));
    const gle = { ...chain, dynamics: { ...chain.dynamics, scheme: 'gle' as const } };
    const { image, machine } = compileNetwork(gle, loadHwSpec('default'));
    expect(machine.program.scheme).toBe('implicit');
    expect((image.metadata.warnings as string[])[0]).toMatch(/names scheme 'gle'.*chip runs 'implicit'/);
  });
});

describe('shared calibration runs', () => {
  it('a cache of calibration runs gives the same images, one run for specs that differ in their formats only, another for another dt', () => {
    const net = loadNetwork(examplePath('chain.yaml'));
    const cache = new Map();
    const specs = [loadHwSpec('default'), withSpec('default', (s) => (s.noise.read_std_lsb = 2)), withSpec('default', (s) => (s.adc.gain *= 2))];
    for (const spec of specs) {
      const cached = writeImage(compileNetwork(net, spec, { calibrations: cache }).image);
      expect(Buffer.from(cached).equals(Buffer.from(writeImage(compileNetwork(net, spec).image)))).toBe(true);
    }
    expect(cache.size).toBe(1);
    const finer = loadNetwork(examplePath('chain.yaml'));
    finer.dynamics.dt /= 2;
    compileNetwork(finer, specs[0]!, { calibrations: cache });
    expect(cache.size).toBe(2);
  });
});

// Pass quantize's range choices for crossbar products: rates written by a lookup table are sized
// for the table's bound (not the calibration's), the reads of one matrix in one direction share
// their DAC exponent, and the growth option of plastic networks widens the weight codes and the
// products' ADC ranges of the plastic matrices it names.
import { describe, expect, it } from 'vitest';
import { codeRange, loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { compileProgram } from '../../compiler/passes/pipeline.js';
import { quantize, type QuantizeOptions } from '../../compiler/passes/quantize.js';
import { calibrate } from '../../emulator/calibrate.js';
import { examplePath } from '../../tools/bench/paths.js';

function mnist(preset: string, opts?: QuantizeOptions) {
  const net = loadNetwork(examplePath('mnist.yaml'));
  const spec = loadHwSpec(preset);
  const program = compileProgram(net, { scheme: 'implicit' });
  const q = quantize(program, spec, calibrate(net, program, 200), opts);
  const vec = (name: string) => program.vectors.findIndex((v) => v.name === name);
  const mvms = program.ops.flatMap((o, k) => (o.op === 'mvm' ? [{ o, k, ...q.quant!.mvm[k]! }] : []));
  return { program: q, spec, vec, mvms, quant: q.quant! };
}

describe('quantize: crossbar ranges', () => {
  it('a rate written by a lookup table reaches its bound (hard sigmoid: 1) at the DAC, whatever the calibration saw', () => {
    for (const preset of ['high-precision', 'default']) {
      const { vec, mvms, quant, spec } = mnist(preset);
      const rbar = vec('hidden.rbar');
      // the untrained net's calibration sees hidden rates far below 1 ...
      expect(quant.vectors[rbar]!.maxAbs).toBeLessThan(0.5);
      expect(quant.vectors[rbar]!.reach).toBe(1);
      // ... but the products that read them must not clip at 1 (they did at 0.5 on high-precision)
      const reads = mvms.filter((m) => m.o.x === rbar);
      expect(reads.length).toBeGreaterThan(0);
      for (const r of reads) expect(codeRange(spec.formats.dac).max * 2 ** -r.dx, preset).toBeGreaterThanOrEqual(1);
    }
  });

  it('the reads of one matrix in one direction share their DAC exponent (the ADC offsets then cancel in em)', () => {
    const { mvms, program } = mnist('default');
    const byKey = new Map<string, Set<number>>();
    for (const m of mvms) {
      const key = `${program.matrices[m.o.m]!.name}:${m.o.transpose}`;
      byKey.set(key, (byKey.get(key) ?? new Set()).add(m.dx));
    }
    expect(byKey.get('W2:false')!.size).toBe(1);
    expect(mvms.filter((m) => program.matrices[m.o.m]!.name === 'W2' && !m.o.transpose).length).toBeGreaterThanOrEqual(2); // W2 rbar and W2 rp
    for (const [key, dxs] of byKey) expect(dxs.size, key).toBe(1);
  });

  it('the implicit tick reads the prospective input in one product (no separate W rdot read)', () => {
    const { program } = mnist('default');
    expect(program.vectors.some((v) => v.name === 'hidden.winDot')).toBe(false);
    const reads = program.ops.filter((o) => o.op === 'mvm' && program.matrices[o.m]!.name === 'W1').map((o) => program.vectors[(o as { x: number }).x]!.name);
    expect(reads.sort()).toEqual(['in.rbar', 'in.rinP']);
  });

  it('growth: finer weight codes for the plastic matrices it names, wider ADC ranges for their products', () => {
    const plain = mnist('default');
    const grown = mnist('default', { growth: { W1: 4, W2: 16 } });
    const W = (r: typeof plain, name: string) => r.quant.matrices[r.program.matrices.findIndex((m) => m.name === name)]!;
    expect(W(plain, 'W1').frac).toBe(plain.spec.formats.weight.frac_bits);
    // initial |w| <= 0.03: 4 x 0.03 fits 127 codes at 2^-10, 16 x 0.03 at 2^-8
    expect(W(grown, 'W1').frac).toBe(10);
    expect(W(grown, 'W2').frac).toBe(8);
    // the ADC range of every product (in real units: ADC max / (gain * scale * 2^dx)) covers the
    // calibrated output times the growth
    const adc = (r: typeof plain, m: (typeof plain.mvms)[number]) => Math.min(r.spec.adc.range.max, -r.spec.adc.range.min) / (r.spec.adc.gain * r.quant.matrices[m.o.m]!.scale * 2 ** m.dx);
    for (const m of grown.mvms) {
      const g = grown.program.matrices[m.o.m]!.name === 'W1' ? 4 : 16;
      expect(adc(grown, m)).toBeGreaterThanOrEqual(g * grown.quant.vectors[m.o.dst]!.maxAbs);
    }
    expect(() => mnist('default', { growth: { W3: 2 } })).toThrow(/growth names projection 'W3'/);
    expect(() => mnist('default', { growth: 0.5 })).toThrow(/must be a number >= 1/);
  });
});

// ADC offsets (fixed per crossbar line: mismatch) must not leave a constant error in the mismatch
// em = u - W rbar that the plasticity would integrate. The compiler arranges the reads so that they
// cancel: the drive of u reads the prospective input W_in r_in' in one product (not W rbar plus
// (tau / tau_in) W rdot, which adds the offset (tau / tau_in) times more than em subtracts), the
// reads of one matrix in one direction share their DAC exponent (the same offset in state units),
// and transposed reads (errors) on a signed DAC read x and -x and subtract. Here a small layered
// net runs with a constant input on the default preset with large ADC offsets and nothing else
// (no read noise, no gain error): its em must match the same chip without offsets.
import { describe, expect, it } from 'vitest';
import { loadHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import { parseNetwork } from '../../compiler/network/index.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { createChip } from '../../emulator/chip/index.js';
import { stimulusDriver } from '../helpers/drive.js';

const NET = `name: offsets
seed: 5
neuron: {tau: 10ms, activation: hard_sigmoid, bias: true}
populations:
  - {name: in, kind: input, size: 24}
  - {name: h, kind: hidden, size: 12}
  - {name: out, kind: output, size: 4}
projections:
  - {name: W1, from: in, to: h, init: {dist: normal, std: 0.1}}
  - {name: W2, from: h, to: out, init: {dist: normal, std: 0.1}}
dynamics: {scheme: explicit, dt: 1ms, beta: 0.1}
stimulus:
  presentation: 100ms
  inputs: {in: {kind: random_steps, period: 1s, low: 0, high: 1, seed: 2}}
  targets: {out: {kind: constant, value: [0.2, 0.8, 0.4, 0.6]}}
phases: [{name: run, duration: 1s, nudge: [out], plastic: false}]
`;

function spec(offsetLsb: number): HwSpec {
  const s = structuredClone(loadHwSpec('default'));
  s.noise = { ...s.noise, enabled: false };
  s.mismatch = { ...s.mismatch, enabled: offsetLsb > 0, adc_gain_std: 0, adc_offset_std_lsb: offsetLsb, tau_std: 0 };
  return s;
}

/** em of every network neuron, averaged over ticks 300..400 (the input is constant for 1 s); the
 * state value of one ADC step of each product */
function meanEm(s: HwSpec): { em: Record<string, Float64Array>; steps: number[] } {
  const net = parseNetwork(NET, 'offsets.yaml');
  const { image, machine } = compileNetwork(net, s, { probes: ['h.em', 'out.em'] });
  const q = machine.program.quant!;
  const steps = Object.values(q.mvm).map((m) => 2 ** (m.sho - q.stateFrac));
  const chip = createChip(image, { seed: 1 });
  const place = stimulusDriver(net, [chip]);
  const em: Record<string, Float64Array> = { h: new Float64Array(12), out: new Float64Array(4) };
  const buf: Record<string, Float64Array> = { h: new Float64Array(12), out: new Float64Array(4) };
  for (let k = 0; k < 400; k++) {
    place(k);
    chip.step();
    if (k < 300) continue;
    for (const p of ['h', 'out']) {
      chip.probe(p, 'em', buf[p]!);
      for (let i = 0; i < buf[p]!.length; i++) em[p]![i]! += buf[p]![i]! / 100;
    }
  }
  return { em, steps };
}

describe('ADC offsets cancel in the mismatch errors', () => {
  it('default preset with 3-LSB line offsets: em as without offsets', () => {
    const clean = meanEm(spec(0));
    const offset = meanEm(spec(3));
    // every product here has an ADC step of 1/8 in state units: an offset of 3 steps that did not
    // cancel would move em by about 0.375 (the old input drive, W rbar + W rdot, by that much)
    expect(offset.steps.every((s) => s === 1 / 8)).toBe(true);
    for (const p of ['h', 'out']) {
      let worst = 0;
      for (let i = 0; i < clean.em[p]!.length; i++) worst = Math.max(worst, Math.abs(offset.em[p]![i]! - clean.em[p]![i]!));
      console.log(`offsets: ${p}.em, largest shift of its mean ${worst.toExponential(2)}`);
      // what remains: the offsets move the state a little, and the 1/8 steps of the reads round
      // differently (0.05 on the outputs)
      expect(worst, p).toBeLessThan(0.1);
    }
  });
});

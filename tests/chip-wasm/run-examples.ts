// Runs a compiled example on the reference chip and on the Wasm core with the same stimulus and
// protocol: probes compared every tick, memory, crossbars and every counter at checkpoints, and
// the weights at the end, bit for bit.
import { expect } from 'vitest';
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { compileNetwork } from '../../tools/compile/compile.js';
import { examplePath } from '../../tools/bench/paths.js';
import { stimulusDriver } from '../helpers/drive.js';
import { expectSameProbes, expectSameState, firstDifference, pair } from './compare.js';

export const PRESETS = ['default', 'bss2-like', 'high-precision'] as const;

/** `checkpoints` full comparisons spread over the run, and one at its end */
export function runBoth(example: string, preset: string, ticks: number, checkpoints: number): void {
  const net = loadNetwork(examplePath(example));
  const { image } = compileNetwork(net, loadHwSpec(preset));
  const p = pair(image, 7);
  const place = stimulusDriver(net, [p.ref, p.wasm]);
  for (let k = 0; k < ticks; k++) {
    place(k);
    p.ref.step();
    p.wasm.step();
    expectSameProbes(p, `${example} ${preset} tick ${k}`);
    if ((k + 1) % Math.ceil(ticks / checkpoints) === 0) expectSameState(p, `${example} ${preset} tick ${k}`);
  }
  expectSameState(p, `${example} ${preset} end`);
  for (const m of image.matrices) expect(firstDifference(p.ref.weights(m.name), p.wasm.weights(m.name)), m.name).toBe(-1);
}

// Compile time of the examples on the presets (the compiler issue's figure: 784-500-10 under 2 s),
// best of three, calibration run included.
import { loadHwSpec } from '../../compiler/hwspec/index.js';
import { writeImage } from '../../compiler/image/index.js';
import { loadNetwork } from '../../compiler/network/index.js';
import { compileNetwork, defaultCalibrationTicks } from '../compile/compile.js';
import { examplePath } from './paths.js';

export async function benchCompile(): Promise<string[]> {
  const lines: string[] = [];
  for (const [example, hw] of [['mnist', 'default'], ['mnist', 'high-precision'], ['chain', 'default'], ['recurrent', 'default']] as const) {
    const net = loadNetwork(examplePath(`${example}.yaml`));
    const spec = loadHwSpec(hw);
    let best = Infinity;
    let bytes = 0;
    let cores = 0;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const { image } = compileNetwork(net, spec);
      bytes = writeImage(image).length;
      best = Math.min(best, performance.now() - t0);
      cores = image.cores.length;
    }
    lines.push(`compile ${example} on ${hw}: ${(best / 1000).toFixed(2)} s (best of 3, ${defaultCalibrationTicks(net)}-tick calibration included), ${cores} cores, ${bytes} bytes`);
  }
  return lines;
}

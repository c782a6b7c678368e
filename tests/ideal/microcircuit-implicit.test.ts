// The implicit form of the microcircuit (what the chip runs): one Richardson step per tick on the
// explicit system J udot = rhs. On NLA nets that step is exactly the spec's implicit form; on a
// microcircuit it must track the explicit (LU) solution, since both solve the same system.
import { describe, expect, it } from 'vitest';
import { createIdealModel } from '../../emulator/ideal/index.js';
import { stimulusDriver } from '../helpers/drive.js';
import { smallMicrocircuit } from '../helpers/nets.js';

describe('implicit microcircuit', () => {
  it('tracks the explicit (LU) microcircuit over 4000 steps with plasticity and nudging', async () => {
    const net = smallMicrocircuit();
    const imp = await createIdealModel(net, { scheme: 'implicit', kernels: 'js' });
    const exp = await createIdealModel(net, { scheme: 'explicit', kernels: 'js' });
    const place = stimulusDriver(net, [imp, exp]);
    place(0);
    imp.start();
    exp.start();
    let worst = 0;
    let scale = 0;
    for (let k = 1; k < 4000; k++) {
      place(k);
      imp.step();
      exp.step();
      for (let i = 0; i < imp.st.n; i++) {
        worst = Math.max(worst, Math.abs(imp.st.u[i]! - exp.st.u[i]!));
        scale = Math.max(scale, Math.abs(exp.st.u[i]!));
      }
    }
    console.log(`implicit vs explicit microcircuit: max |du| ${worst.toExponential(2)}, max |u| ${scale.toFixed(3)}`);
    expect(scale).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(0.02 * scale);
  });
});

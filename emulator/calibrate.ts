// Range analysis for `quantize`: run the lowered program in f64 on the network's own stimulus and
// protocol for a number of ticks and keep the largest |value| every vector takes after any op
// (temporaries are reused within a tick, so end-of-tick values would miss them) and every matrix.
import type { NetworkIR } from '../compiler/network/index.js';
import { ProgramInterpreter } from '../compiler/ir/interpret.js';
import type { Program } from '../compiler/ir/program.js';
import type { Ranges } from '../compiler/ir/quant.js';
import { runBackend } from './simulate.js';
import { mnistSplit } from './stimulus/mnist.js';


export function calibrate(net: NetworkIR, program: Program, ticks: number): Ranges {
  const interp = new ProgramInterpreter(program);
  const vectors = program.vectors.map((v) => {
    let m = 0;
    if (typeof v.init === 'number') m = Math.abs(v.init);
    else for (const x of v.init) m = Math.max(m, Math.abs(x));
    return m;
  });
  const vectorsMin = program.vectors.map((v) => (typeof v.init === 'number' ? Math.min(0, v.init) : Math.min(0, ...v.init)));
  interp.onWrite = (id, values) => {
    let m = vectors[id]!;
    let lo = vectorsMin[id]!;
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (Math.abs(x) > m) m = Math.abs(x);
      if (x < lo) lo = x;
    }
    vectors[id] = m;
    vectorsMin[id] = lo;
  };
  const matrices = program.matrices.map(() => 0);
  const measureMatrices = () =>
    interp.mat.forEach((W, i) => {
      for (let k = 0; k < W.length; k++) matrices[i] = Math.max(matrices[i]!, Math.abs(W[k]!));
    });
  measureMatrices();
  const every = Math.max(1, Math.floor(ticks / 16));
  runBackend(interp as never, net, { presentation: net.stimulus.presentation, dataset: mnistSplit, where: net.file }, {
    steps: ticks,
    record: [],
    onStep: (n) => {
      if (n % every === 0) measureMatrices();
    },
  });
  measureMatrices();
  return { vectors, vectorsMin, matrices, ticks };
}

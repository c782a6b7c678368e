// The static estimate of an image: walk every core's program once per tick without data, as the
// chip would run it, and price each instruction with the ISA table's cost model and the hw-spec's
// costs. The only data-dependent control flow compiled programs have is the `jz` on the
// learning-enable flag (the word an `in` of the 'plastic' port writes), fixed by `plastic`; a `jz`
// on anything else is assumed not taken and listed in `dataDependent`. The tick's time follows the
// chip's model (docs/emulator.md): per barrier phase the slowest core, summed; the wall time of a
// tick is the larger of that compute time and dt / acceleration.
import { chargeCounts, COST_CLASSES, costOf, decodeProgram, wordsOf, type CostClass } from '../../compiler/isa/index.js';
import type { HwSpec } from '../../compiler/hwspec/index.js';
import type { Image } from '../../compiler/image/index.js';

export interface ClassTotals {
  executions: number;
  events: number;
  cycles: number;
  energyPj: number;
}

export interface CoreEstimate {
  core: number;
  instructions: number;
  cycles: number;
  energyPj: number;
  /** cycles of each barrier phase */
  phaseCycles: number[];
  byClass: Record<CostClass, ClassTotals>;
}

export interface StaticEstimate {
  plastic: boolean;
  cores: CoreEstimate[];
  byClass: Record<CostClass, ClassTotals>;
  /** per tick */
  criticalCycles: number;
  computeS: number;
  analogS: number;
  wallS: number;
  dynamicPj: number;
  staticPj: number;
  /** "core 3 word 17: jz on @40" for branches the estimate had to guess */
  dataDependent: string[];
}

const zero = (): ClassTotals => ({ executions: 0, events: 0, cycles: 0, energyPj: 0 });
const zeroClasses = () => Object.fromEntries(COST_CLASSES.map((c) => [c, zero()])) as Record<CostClass, ClassTotals>;

export function staticEstimate(image: Image, spec: HwSpec, opts: { plastic: boolean }): StaticEstimate {
  const hopsOf = new Map(image.routes.map((r) => [r.id, r.hops]));
  const plasticPort = image.ports.find((p) => p.kind === 'plastic')?.id;
  const dataDependent: string[] = [];
  const cores = image.cores.map((c): CoreEstimate => {
    const program = decodeProgram(c.program);
    // word address of each instruction, and instruction index of each word address
    const words: number[] = [];
    const indexAt = new Map<number, number>();
    let w = 0;
    program.forEach((ins, k) => {
      words.push(w);
      indexAt.set(w, k);
      w += wordsOf(ins);
    });
    const flags = new Set(program.filter((i) => i.op === 'in' && i.port === plasticPort).map((i) => (i as { dst: number }).dst));
    const est: CoreEstimate = { core: c.index, instructions: 0, cycles: 0, energyPj: 0, phaseCycles: [0], byClass: zeroClasses() };
    const loops: { body: number; end: number; remaining: number }[] = [];
    let k = 0;
    for (let guard = 0; guard < 1e8; guard++) {
      const ins = program[k]!;
      const cost = costOf(ins, spec, ins.op === 'send' ? (hopsOf.get((ins as { route: number }).route) ?? 1) : 1);
      est.instructions++;
      est.cycles += cost.cycles;
      est.energyPj += cost.energyPj;
      est.phaseCycles[est.phaseCycles.length - 1]! += cost.cycles;
      for (const cls of Object.keys(chargeCounts(ins)) as CostClass[]) {
        const b = cost.byClass[cls];
        const t = est.byClass[cls];
        t.executions++;
        t.events += b.count;
        t.cycles += b.cycles;
        t.energyPj += b.energyPj;
      }
      let next = words[k]! + wordsOf(ins);
      if (ins.op === 'halt') break;
      if (ins.op === 'barrier') est.phaseCycles.push(0);
      if (ins.op === 'jmp') next = ins.target;
      if (ins.op === 'jz') {
        if (flags.has(ins.flag)) {
          if (!opts.plastic) next = ins.target;
        } else dataDependent.push(`core ${c.index} word ${words[k]}: jz on @${ins.flag} (assumed not taken)`);
      }
      if (ins.op === 'loop') {
        if (ins.count === 0) next = ins.end;
        else loops.push({ body: next, end: ins.end, remaining: ins.count });
      }
      while (loops.length && next === loops[loops.length - 1]!.end) {
        const top = loops[loops.length - 1]!;
        if (--top.remaining > 0) {
          next = top.body;
          break;
        }
        loops.pop();
      }
      const nk = indexAt.get(next);
      if (nk === undefined) break; // the chip reports running off the end; the estimate stops
      k = nk;
    }
    return est;
  });
  const byClass = zeroClasses();
  for (const c of cores)
    for (const cls of COST_CLASSES) {
      const t = byClass[cls];
      const s = c.byClass[cls];
      t.executions += s.executions;
      t.events += s.events;
      t.cycles += s.cycles;
      t.energyPj += s.energyPj;
    }
  const phases = Math.max(...cores.map((c) => c.phaseCycles.length));
  let criticalCycles = 0;
  for (let p = 0; p < phases; p++) criticalCycles += Math.max(0, ...cores.map((c) => c.phaseCycles[p] ?? 0));
  const computeS = criticalCycles / (spec.timing.clock_mhz * 1e6);
  const analogS = image.header.dt / spec.timing.acceleration;
  const wallS = Math.max(computeS, analogS);
  const dynamicPj = cores.reduce((s, c) => s + c.energyPj, 0);
  const staticPj = spec.static_power.mw_per_core * image.cores.length * wallS * 1e9;
  return { plastic: opts.plastic, cores, byClass, criticalCycles, computeS, analogS, wallS, dynamicPj, staticPj, dataDependent };
}

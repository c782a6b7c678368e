// Semantic checks of a network: what the schema cannot express (references between names, roles,
// the microcircuit's wiring, shapes, time steps against time constants, cycles). They run on the
// IR (units converted, defaults filled) and use the raw file only to point at the right place.
import type { Problem } from '../common/errors.js';
import type { Activation, Init, NetworkIR, Population, PopulationKind, Role, SignalSpec } from './ir.js';
import { parseNudge, type RawNetwork } from './build.js';
import { didYouMean, formatPath, problem, type Segment } from '../common/messages.js';
import { formatDuration } from './schema.js';


/** Which population kinds each role connects (from -> to). */
export const ROLE_KINDS: Record<Role, { from: readonly PopulationKind[]; to: readonly PopulationKind[] }> = {
  forward: { from: ['input', 'hidden', 'output'], to: ['hidden', 'output'] },
  topdown: { from: ['hidden', 'output'], to: ['hidden'] },
  wip: { from: ['hidden'], to: ['interneuron'] },
  wpi: { from: ['interneuron'], to: ['hidden'] },
  bip: { from: ['hidden', 'output'], to: ['interneuron'] },
};

const SCHEMES_NEEDING_FEEDFORWARD = ['le', 'gle', 'backprop'];
const MNIST_INPUT_SIZE = 784;
const MNIST_CLASSES = 10;

/**
 * A cycle among the forward projections (self-loops count), as population names with the first
 * repeated at the end ("h1 -> h2 -> h1"), and the projection that closes it; null if none.
 */
export function findForwardCycle(ir: Pick<NetworkIR, 'projections'>): { cycle: string[]; projection: number } | null {
  const edges = new Map<string, { to: string; index: number }[]>();
  ir.projections.forEach((p, index) => {
    if (p.role !== 'forward') return;
    if (!edges.has(p.from)) edges.set(p.from, []);
    edges.get(p.from)!.push({ to: p.to, index });
  });
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): { cycle: string[]; projection: number } | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const e of edges.get(node) ?? []) {
      const s = state.get(e.to);
      if (s === 'open') return { cycle: [...stack.slice(stack.indexOf(e.to)), e.to], projection: e.index };
      if (s === undefined) {
        const found = visit(e.to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of edges.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

const an = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
const list = (xs: readonly string[]): string => xs.join(', ');
const neurons = (n: number): string => (n === 1 ? '1 neuron' : `${n} neurons`);

export function checkSemantics(ir: NetworkIR, raw: RawNetwork): Problem[] {
  const problems: Problem[] = [];
  const add = (path: Segment[], message: string, fix: string): void => {
    problems.push(problem(path, message, fix));
  };
  const pops = new Map<string, { pop: Population; index: number }>();
  ir.populations.forEach((pop, index) => {
    const first = pops.get(pop.name);
    if (first) add(['populations', index, 'name'], `population name '${pop.name}' is already used by populations[${first.index}]`, 'rename one of them');
    else pops.set(pop.name, { pop, index });
  });
  const names = (kinds?: PopulationKind[]): string[] => ir.populations.filter((p) => !kinds || kinds.includes(p.kind)).map((p) => p.name);
  const unknown = (path: Segment[], name: string, kinds?: PopulationKind[]): void => {
    const candidates = names(kinds);
    const what = kinds ? `${kinds.join('/')} populations` : 'populations';
    add(path, `unknown population '${name}'`, `${didYouMean(name, candidates)}${candidates.length ? `${what}: ${list(candidates)}` : `there are no ${what}`}`);
  };

  if (!ir.populations.some((p) => p.kind !== 'input')) {
    add(['populations'], 'every population is an input population', 'add at least one hidden or output population, e.g. {name: out, kind: output, size: 2}');
  }

  checkProjections(ir, raw, pops, add, unknown);
  checkBiasInits(ir, raw, add);
  checkMicrocircuit(ir, pops, add);
  checkCyclesAndSolver(ir, add);
  checkTimeSteps(ir, raw, add);
  checkStimulus(ir, raw, pops, add, unknown);
  checkPhases(ir, raw, pops, add, unknown);
  checkProbes(ir, raw, pops, add, unknown);

  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

type Add = (path: Segment[], message: string, fix: string) => void;
type Pops = Map<string, { pop: Population; index: number }>;
type Unknown = (path: Segment[], name: string, kinds?: PopulationKind[]) => void;

function checkProjections(ir: NetworkIR, raw: RawNetwork, pops: Pops, add: Add, unknown: Unknown): void {
  const byName = new Map<string, number>();
  ir.projections.forEach((p, i) => {
    const rawP = raw.projections![i]!;
    const first = byName.get(p.name);
    if (first !== undefined) {
      const path: Segment[] = rawP.name !== undefined ? ['projections', i, 'name'] : ['projections', i];
      add(path, `projection name '${p.name}' is already used by projections[${first}]`, `give one of them a different 'name:'`);
    } else byName.set(p.name, i);

    const from = pops.get(p.from)?.pop;
    const to = pops.get(p.to)?.pop;
    if (!from) unknown(['projections', i, 'from'], p.from);
    if (!to) unknown(['projections', i, 'to'], p.to);
    if (to?.kind === 'input') {
      add(['projections', i, 'to'], `'${p.to}' is an input population; projections may not end at one (inputs follow their stimulus)`, 'let the projection end at a hidden or output population, or swap from and to');
    }
    const rule = ROLE_KINDS[p.role];
    const fromBad = from && !rule.from.includes(from.kind);
    const toBad = to && to.kind !== 'input' && !rule.to.includes(to.kind);
    if (fromBad || toBad) {
      const fits = from && to ? (Object.keys(ROLE_KINDS) as Role[]).filter((r) => ROLE_KINDS[r].from.includes(from.kind) && ROLE_KINDS[r].to.includes(to.kind)) : [];
      const interneuron = from?.kind === 'interneuron' || to?.kind === 'interneuron';
      let fix = fits.length ? `did you mean role: ${fits.join(' or role: ')}?` : 'check from and to';
      if (interneuron && !fits.length) fix = 'interneuron populations only take part in wip (hidden -> interneuron), wpi (interneuron -> hidden) and bip (hidden/output -> interneuron) projections';
      const bad = fromBad ? `from ${an(from!.kind)} population ('${p.from}')` : `to ${an(to!.kind)} population ('${p.to}')`;
      add(['projections', i, 'role'], `a ${p.role} projection goes from ${rule.from.join('/')} to ${rule.to.join('/')} populations, not ${bad}`, fix);
    }
    if (p.noSelf && p.from !== p.to) {
      add(['projections', i, 'mask'], `mask no_self only applies to a projection from a population onto itself, but this one goes from '${p.from}' to '${p.to}'`, 'remove the mask (or write mask: none)');
    }
    if (from && to) checkInit(p.init, ['projections', i, 'init'], to.size, from.size, `'${p.to}' (to)`, `'${p.from}' (from)`, add);
  });
}

function checkInit(init: Init, path: Segment[], rows: number, cols: number, rowsName: string, colsName: string, add: Add): void {
  if (init.dist === 'uniform' && !(init.low < init.high)) {
    add([...path, 'high'], `high (${init.high}) must be greater than low (${init.low})`, 'make high larger than low');
  }
  if (init.dist !== 'values') return;
  const shape = `values needs ${rows} rows x ${cols} columns (one row per neuron of ${rowsName}, one column per neuron of ${colsName})`;
  if (init.values.length !== rows) add([...path, 'values'], `has ${init.values.length} rows, but ${rowsName} has ${neurons(rows)}`, shape);
  const bad = init.values.map((row, r) => ({ r, n: row.length })).filter((x) => x.n !== cols);
  for (const { r, n } of bad.slice(0, 5)) add([...path, 'values', r], `row ${r} has ${n} numbers, but ${colsName} has ${neurons(cols)}`, shape);
  if (bad.length > 5) add([...path, 'values'], `${bad.length - 5} more rows have the wrong length`, shape);
}

function checkBiasInits(ir: NetworkIR, raw: RawNetwork, add: Add): void {
  ir.populations.forEach((pop, i) => {
    if (!pop.neuron.bias || pop.kind === 'input') return; // inputs follow their stimulus: no bias
    const own = raw.populations[i]!.neuron?.bias_init !== undefined;
    const path: Segment[] = own ? ['populations', i, 'neuron', 'bias_init'] : ['neuron', 'bias_init'];
    checkInit(pop.neuron.biasInit, path, pop.size, 1, `'${pop.name}'`, 'the bias neuron', add);
  });
}

function checkMicrocircuit(ir: NetworkIR, pops: Pops, add: Add): void {
  const projs = ir.projections.map((p, index) => ({ ...p, index }));
  ir.populations.forEach((I, k) => {
    if (I.kind !== 'interneuron' || pops.get(I.name)?.index !== k) return;
    const wip = projs.filter((p) => p.role === 'wip' && p.to === I.name);
    const wpi = projs.filter((p) => p.role === 'wpi' && p.from === I.name);
    const bip = projs.filter((p) => p.role === 'bip' && p.to === I.name);
    const firstHidden = ir.populations.find((p) => p.kind === 'hidden')?.name ?? '<hidden population>';
    const layer = wip.length === 1 ? wip[0]!.from : wpi.length === 1 ? wpi[0]!.to : firstHidden;
    const isUpper = (name: string): boolean => name !== layer && ['hidden', 'output'].includes(pops.get(name)?.pop.kind ?? '');
    const above = ir.projections.filter((p) => p.role === 'forward' && p.from === layer && isUpper(p.to)).map((p) => p.to);
    const upper = bip.length === 1 && above.includes(bip[0]!.from) ? bip[0]!.from : above[0];
    const need = (role: Role, found: number, what: string, example: string): void => {
      if (found === 1) return;
      const msg = `interneuron population '${I.name}' needs exactly one ${role} projection (${what}), found ${found}`;
      add(['populations', k], msg, found === 0 ? `add ${example} to projections` : `keep one of the ${found} ${role} projections onto '${I.name}'`);
    };
    need('wip', wip.length, `from its hidden layer`, `{from: ${layer}, to: ${I.name}, role: wip}`);
    need('wpi', wpi.length, `back to the same hidden layer`, `{from: ${I.name}, to: ${layer}, role: wpi}`);
    need('bip', bip.length, `from the layer above`, `{from: ${upper ?? '<the layer above>'}, to: ${I.name}, role: bip}`);
    if (wip.length !== 1 || pops.get(layer)?.pop.kind !== 'hidden') return;
    if (wpi.length === 1 && wpi[0]!.to !== layer) {
      add(['projections', wpi[0]!.index, 'to'], `the wpi projection of interneuron population '${I.name}' must go back to '${layer}' (where its wip comes from), not to '${wpi[0]!.to}'`, `write to: ${layer}`);
    }
    if (above.length === 0) {
      add(['populations', k], `hidden population '${layer}' projects forward to no other population, so interneuron population '${I.name}' has no layer above`, `add a forward projection from '${layer}' to the next layer`);
      return;
    }
    if (bip.length === 1 && !above.includes(bip[0]!.from)) {
      add(['projections', bip[0]!.index, 'from'], `the bip projection of interneuron population '${I.name}' must come from the layer above '${layer}' (${list(above)}), not from '${bip[0]!.from}'`, `write from: ${above[0]}`);
    }
    const upperPop = pops.get(upper!)?.pop;
    const nl = pops.get(layer)!.pop.size;
    if (upperPop) {
      const min = Math.min(nl, upperPop.size);
      if (I.size < min) {
        add(['populations', k, 'size'], `interneuron population '${I.name}' has ${neurons(I.size)}, but needs at least min(${nl}, ${upperPop.size}) = ${min} (the sizes of '${layer}' and '${upperPop.name}')`, `set size: ${min} or more`);
      }
      if (!ir.projections.some((p) => p.role === 'topdown' && p.from === upperPop.name && p.to === layer)) {
        add(['projections'], `hidden population '${layer}' has interneurons ('${I.name}') but no topdown projection from '${upperPop.name}'`, `add {from: ${upperPop.name}, to: ${layer}, role: topdown} to projections`);
      }
    }
  });
}

function checkCyclesAndSolver(ir: NetworkIR, add: Add): void {
  const found = findForwardCycle(ir);
  const cycle = found ? found.cycle.join(' -> ') : '';
  const breakIt = found ? `remove projections[${found.projection}] ('${ir.projections[found.projection]!.name}') or another forward projection of the cycle` : '';
  const { scheme, solver } = ir.dynamics;
  const interneurons = ir.populations.filter((p) => p.kind === 'interneuron').map((p) => p.name);
  if (found && solver === 'layered') {
    add(['dynamics', 'solver'], `solver 'layered' needs feedforward forward projections, but they form the cycle ${cycle}`, `use solver: dense (or auto), or ${breakIt}`);
  }
  if (solver === 'layered' && interneurons.length) {
    add(['dynamics', 'solver'], `solver 'layered' does not handle interneuron populations (${list(interneurons)}): the microcircuit's Jacobian is not layered`, 'use solver: dense (or auto)');
  }
  if (SCHEMES_NEEDING_FEEDFORWARD.includes(scheme)) {
    if (found) add(['dynamics', 'scheme'], `scheme '${scheme}' needs a feedforward network, but the forward projections form the cycle ${cycle}`, `use scheme: explicit or implicit, or ${breakIt}`);
    if (interneurons.length) add(['dynamics', 'scheme'], `scheme '${scheme}' does not support interneuron populations (${list(interneurons)})`, 'use scheme: explicit or implicit, or remove the interneuron populations');
  }
  if (found && interneurons.length) {
    add(['projections', found.projection], `a network with interneurons (a microcircuit) must be feedforward, but the forward projections form the cycle ${cycle}`, breakIt);
  }
  if (ir.dynamics.implicitSweep === 'forward') {
    if (found) add(['dynamics', 'implicit_sweep'], `implicit_sweep 'forward' needs a feedforward network, but the forward projections form the cycle ${cycle}`, `use implicit_sweep: jacobi, or ${breakIt}`);
    if (interneurons.length) add(['dynamics', 'implicit_sweep'], `implicit_sweep 'forward' is not defined for networks with interneuron populations (${list(interneurons)})`, 'use implicit_sweep: jacobi');
  }
  if (ir.dynamics.implicitIterations > 1 && interneurons.length)
    add(['dynamics', 'implicit_iterations'], `implicit_iterations ${ir.dynamics.implicitIterations} is not defined for networks with interneuron populations (${list(interneurons)})`, 'use implicit_iterations: 1');
}

function checkTimeSteps(ir: NetworkIR, raw: RawNetwork, add: Add): void {
  const dt = ir.dynamics.dt;
  if (!(dt > 0)) return;
  const constants = new Map<string, { value: number; what: string[] }>();
  const note = (where: string, value: number, what: string): void => {
    const c = constants.get(where) ?? { value, what: [] };
    c.what.push(what);
    constants.set(where, c);
  };
  ir.populations.forEach((p, i) => {
    if (p.kind === 'input') return; // input rates are low-passed with tau_in, not tau
    const where = raw.populations[i]!.neuron?.tau !== undefined ? formatPath(['populations', i, 'neuron', 'tau']) : raw.neuron?.tau !== undefined ? 'neuron.tau' : 'the default';
    note(where, p.neuron.tau, p.name);
  });
  const tooSmall: string[] = [];
  let smallest = Infinity;
  for (const [where, c] of constants) {
    if (c.value > dt) continue;
    const whose = c.what.length === 1 ? `population '${c.what[0]}'` : `populations ${list(c.what)}`;
    tooSmall.push(`tau of ${whose} (${formatDuration(c.value)}, ${where})`);
    smallest = Math.min(smallest, c.value);
  }
  const others: [string, number, boolean][] = [
    ['tau_in', ir.dynamics.tauIn, raw.dynamics.tau_in !== undefined],
    ['gle.tau_r', ir.dynamics.gle.tauR, raw.dynamics.gle?.tau_r !== undefined || ir.dynamics.scheme === 'gle'],
  ];
  for (const [name, value, relevant] of others) {
    if (!relevant && name !== 'tau_in') continue;
    if (!(value <= dt)) continue;
    tooSmall.push(`${name} (${formatDuration(value)}${relevant ? `, dynamics.${name}` : ', the default'})`);
    smallest = Math.min(smallest, value);
  }
  if (tooSmall.length) {
    add(['dynamics', 'dt'], `dt (${formatDuration(dt)}) must be smaller than every time constant, but it is not smaller than ${tooSmall.join(' and ')}`, `use dt <= ${formatDuration(smallest / 20)} (a twentieth of ${formatDuration(smallest)}), or larger time constants`);
  }
  if (ir.stimulus.presentation < dt) {
    add(['stimulus', 'presentation'], `presentation (${formatDuration(ir.stimulus.presentation)}) is shorter than one time step dt (${formatDuration(dt)})`, `make it at least dt; a sample should last many steps, e.g. ${formatDuration(dt * 100)}`);
  }
  ir.phases.forEach((ph, i) => {
    if (ph.duration < dt) add(['phases', i, 'duration'], `phase '${ph.name}' lasts ${formatDuration(ph.duration)}, less than one time step dt (${formatDuration(dt)})`, `make it at least dt (${formatDuration(dt)})`);
  });
}

function checkSignal(spec: SignalSpec, rawPeriod: boolean, path: Segment[], pop: Population, section: 'inputs' | 'targets', dt: number, add: Add): void {
  if (spec.kind === 'constant' && Array.isArray(spec.value) && spec.value.length !== pop.size) {
    add([...path, 'value'], `has ${spec.value.length} numbers, but '${pop.name}' has ${neurons(pop.size)}`, `give one number per neuron (${pop.size}), or a single number for all`);
  }
  if (spec.kind === 'mnist') {
    const need = section === 'inputs' ? MNIST_INPUT_SIZE : MNIST_CLASSES;
    const why = section === 'inputs' ? 'one neuron per pixel of the 28x28 images' : 'one neuron per digit class, one-hot';
    if (pop.size !== need) add([...path, 'kind'], `mnist ${section} need a population of ${need} neurons (${why}), but '${pop.name}' has ${pop.size}`, `set the size of '${pop.name}' to ${need}, or use another signal kind`);
  }
  if ((spec.kind === 'random_steps' && rawPeriod) || spec.kind === 'square') {
    if (spec.period < dt) add([...path, 'period'], `period (${formatDuration(spec.period)}) is shorter than one time step dt (${formatDuration(dt)})`, `make it at least dt (${formatDuration(dt)})`);
  }
  if (spec.kind === 'multichannel' && spec.fmax < spec.fmin) {
    add([...path, 'fmax'], `fmax (${spec.fmax} Hz) is below fmin (${spec.fmin} Hz)`, 'make fmax at least fmin');
  }
}

function checkStimulus(ir: NetworkIR, raw: RawNetwork, pops: Pops, add: Add, unknown: Unknown): void {
  const dt = ir.dynamics.dt;
  for (const section of ['inputs', 'targets'] as const) {
    const kind: PopulationKind = section === 'inputs' ? 'input' : 'output';
    for (const [key, spec] of Object.entries(ir.stimulus[section])) {
      const path: Segment[] = ['stimulus', section, key];
      const pop = pops.get(key)?.pop;
      if (!pop) {
        unknown(path, key, [kind]);
        continue;
      }
      if (pop.kind !== kind) {
        const fix = section === 'inputs' && pop.kind === 'output' ? 'move it to stimulus.targets' : section === 'targets' && pop.kind === 'input' ? 'move it to stimulus.inputs' : `remove it, or make '${key}' ${an(kind)} population`;
        add(path, `'${key}' is ${an(pop.kind)} population, but stimulus.${section} is only for ${kind} populations`, fix);
        continue;
      }
      const rawPeriod = raw.stimulus?.[section]?.[key]?.period !== undefined;
      checkSignal(spec, rawPeriod, path, pop, section, dt, add);
    }
  }
  for (const pop of ir.populations) {
    if (pop.kind === 'input' && ir.stimulus.inputs[pop.name] === undefined) {
      add(['stimulus', 'inputs'], `input population '${pop.name}' has no signal`, `add '${pop.name}: {kind: random_steps}' under stimulus.inputs (kinds: constant, sine, random_steps, square, multichannel, mnist)`);
    }
  }
}

function checkPhases(ir: NetworkIR, raw: RawNetwork, pops: Pops, add: Add, unknown: Unknown): void {
  const seen = new Map<string, number>();
  ir.phases.forEach((ph, i) => {
    const first = seen.get(ph.name);
    if (first !== undefined) add(['phases', i, 'name'], `phase name '${ph.name}' is already used by phases[${first}]`, 'rename one of them');
    else seen.set(ph.name, i);
    if (!raw.phases) return; // the default phase is built from valid targets
    ph.nudge.forEach((sel, j) => {
      const path: Segment[] = ['phases', i, 'nudge', j];
      const pop = pops.get(sel.population)?.pop;
      if (!pop) return unknown(path, sel.population, ['output']);
      if (pop.kind !== 'output') return add(path, `'${pop.name}' is ${an(pop.kind)} population; only output populations can be nudged`, 'remove it from nudge');
      if (ir.stimulus.targets[pop.name] === undefined) add(path, `'${pop.name}' is nudged but has no target`, `add a target for '${pop.name}' under stimulus.targets, or remove it from nudge`);
      if (parseNudge(raw.phases![i]!.nudge![j]!).range) {
        const range = `[${sel.start}:${sel.end}]`;
        if (sel.start >= sel.end) add(path, `the neuron range ${range} is empty`, 'write [a:b] with a < b: neurons a..b-1');
        else if (sel.end > pop.size) add(path, `the neuron range ${range} is outside '${pop.name}', which has ${neurons(pop.size)} (0..${pop.size - 1})`, `use a range within [0:${pop.size}]`);
      }
    });
  });
}

function checkProbes(ir: NetworkIR, raw: RawNetwork, pops: Pops, add: Add, unknown: Unknown): void {
  if (!raw.probes) return; // the default probes are valid
  const seen = new Set<string>();
  const interneurons = ir.populations.filter((p) => p.kind === 'interneuron').map((p) => p.name);
  const outputs = ir.populations.filter((p) => p.kind === 'output').map((p) => p.name);
  ir.probes.forEach(({ population, signal }, i) => {
    const path: Segment[] = ['probes', i];
    const text = `${population}.${signal}`;
    if (seen.has(text)) return add(path, `probe '${text}' is listed twice`, 'remove one of them');
    seen.add(text);
    const pop = pops.get(population)?.pop;
    if (!pop) return unknown(path, population);
    if (signal === 'uI' && pop.kind !== 'interneuron') {
      const alt = interneurons.length ? `probe an interneuron population (e.g. '${interneurons[0]}.uI'), or use '${population}.u'` : `use '${population}.u'`;
      return add(path, `signal 'uI' (interneuron voltage) exists only on interneuron populations, and '${population}' is ${an(pop.kind)} population`, alt);
    }
    if (signal === 'target' && pop.kind !== 'output') {
      return add(path, `signal 'target' exists only on output populations, and '${population}' is ${an(pop.kind)} population`, outputs.length ? `probe '${outputs[0]}.target'` : 'remove it');
    }
    if (pop.kind === 'input' && signal !== 'r' && signal !== 'rbar') {
      return add(path, `input population '${population}' has no signal '${signal}' (only r and rbar)`, `probe '${population}.rbar' or '${population}.r'`);
    }
  });
}

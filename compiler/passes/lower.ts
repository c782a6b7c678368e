// Pass `lower`: Network IR -> Program IR. One tick of the implicit NLA scheme (spec section 3,
// "Implicit form") as vector operations, in the same order as the ideal model's implicit step,
// so that the program run in f64 matches it to rounding. Time derivatives are held in units of
// the population's time constant (tau du/dt, tau_in dr/dt): O(1) numbers a fixed-point state
// format can hold, where du/dt in 1/s would be a hundred times larger.
import { UserError } from '../common/errors.js';
import { initialBias, initialWeights, projectionShape } from '../network/init.js';
import { constantTransfer } from '../network/activations.js';
import type { NetworkIR, Population, Projection } from '../network/ir.js';
import type { LutFn, MatrixDecl, Op, Program, VectorDecl, VectorRole } from '../ir/program.js';

export const LOWERED_SCHEMES = ['implicit', 'le'] as const;

interface Pop {
  pop: Population;
  v: Record<string, number>; // signal -> vector id
}

class Builder {
  readonly vectors: VectorDecl[] = [];
  readonly matrices: MatrixDecl[] = [];
  readonly ops: Op[] = [];
  readonly ports: Program['ports'] = [];

  vector(name: string, length: number, role: VectorRole, init: number | Float64Array = 0, population?: string): number {
    this.vectors.push({ name, length, role, init, population });
    return this.vectors.length - 1;
  }

  emit(o: Op): void {
    this.ops.push(o);
  }

  /** dst = sum of the products of `blocks`, or of `init` plus them; zero when there is nothing */
  sumProducts(dst: number, terms: { m: number; x: number; transpose: boolean }[], init: number | null, zero: number): void {
    if (init !== null) this.emit({ op: 'copy', dst, a: init });
    else if (terms.length === 0) this.emit({ op: 'copy', dst, a: zero });
    terms.forEach((t, i) => this.emit({ op: 'mvm', dst, m: t.m, x: t.x, transpose: t.transpose, accumulate: init !== null || i > 0 }));
  }
}

export interface LowerOptions {
  scheme?: string;
  /**
   * How the top-down rows of a microcircuit see the voltages of a population with the STD-matched
   * activation: 'none' reads the voltage (the ideal model's assumption), 'pool' sends the rate
   * through depressing synapses whose vesicle pool relaxes with the population's tau toward
   * v_inf(rbar), so that v rbar tracks u (spec section 5; the chip's STD rows).
   */
  std?: 'none' | 'pool';
}

export function lower(net: NetworkIR, opts: LowerOptions = {}): Program {
  const scheme = opts.scheme ?? net.dynamics.scheme;
  if (!(LOWERED_SCHEMES as readonly string[]).includes(scheme))
    throw new UserError(`${net.file}: dynamics.scheme: the chip runs the implicit form or Latent Equilibrium; lowering '${scheme}' is not supported. Use scheme: implicit or le (or --scheme)`);
  if (net.microcircuit && scheme !== 'implicit')
    throw new UserError(`${net.file}: dynamics.scheme: microcircuit networks are lowered in the implicit form only; '${scheme}' is not defined for them`);
  const b = new Builder();
  const { dt, beta, tauIn, implicitRelaxation: relaxation } = net.dynamics;
  const inputs = net.populations.filter((p) => p.kind === 'input');
  const pops = net.populations.filter((p) => p.kind === 'hidden' || p.kind === 'output');
  const zeros = new Map<number, number>();
  const zero = (n: number) => {
    if (!zeros.has(n)) zeros.set(n, b.vector(`const.zero${n}`, n, 'const', 0));
    return zeros.get(n)!;
  };

  // ---- declarations ----
  const inp = new Map<string, Pop>();
  for (const p of inputs) {
    const r = b.vector(`${p.name}.r`, p.size, 'port', 0, p.name);
    b.ports.push({ kind: 'input', population: p.name, vector: r });
    inp.set(p.name, {
      pop: p,
      v: { r, rbar: b.vector(`${p.name}.rbar`, p.size, 'state', 0, p.name), diff: b.vector(`${p.name}.tmp.diff`, p.size, 'temp', 0, p.name), rdot: b.vector(`${p.name}.rdot`, p.size, 'temp', 0, p.name) },
    });
  }
  const net_ = new Map<string, Pop>();
  const temps = net.microcircuit
    ? ['winRbar', 'winDot', 'rbar', 'd1', 'd2', 'wrb', 'em', 'eb', 'eA', 'q', 'acc', 't1', 't2']
    : scheme === 'le'
      ? ['winRbar', 'rbar', 'd1', 'wrb', 'em', 'rinP', 'fm', 'eb', 't1']
      : ['winRbar', 'rbar', 'd1', 'd2', 'wrb', 'em', 'fem', 'rp', 'ut', 'rinP', 'wrp', 'm', 'fm', 'e', 't1', 't2', 'drive'];
  for (const p of pops) {
    const v: Record<string, number> = {
      u: b.vector(`${p.name}.u`, p.size, 'state', 0, p.name),
      udot: b.vector(`${p.name}.udot`, p.size, 'state', 0, p.name),
    };
    for (const t of temps) v[t] = b.vector(`${p.name}.${t}`, p.size, 'temp', 0, p.name);
    if (p.neuron.bias) v.bias = b.vector(`${p.name}.bias`, p.size, 'param', initialBias(net, net.populations.indexOf(p)), p.name);
    if (net.microcircuit && opts.std === 'pool' && p.neuron.activation === 'std') {
      v.pool = b.vector(`${p.name}.pool`, p.size, 'state', 1 + p.neuron.stdA, p.name);
      v.ustd = b.vector(`${p.name}.ustd`, p.size, 'temp', 0, p.name);
    }
    // LE: the prospective voltage and the drive of the previous step (see leTick)
    if (scheme === 'le') v.drivePrev = b.vector(`${p.name}.drivePrev`, p.size, 'state', 0, p.name);
    if (p.kind === 'output') {
      v.target = b.vector(`${p.name}.target`, p.size, 'port', 0, p.name);
      v.nudge = b.vector(`${p.name}.nudge`, p.size, 'port', 0, p.name);
      if (scheme !== 'le') v.targetPrev = b.vector(`${p.name}.targetPrev`, p.size, 'state', 0, p.name);
      v.t3 = b.vector(`${p.name}.t3`, p.size, 'temp', 0, p.name);
      b.ports.push({ kind: 'target', population: p.name, vector: v.target }, { kind: 'nudge', population: p.name, vector: v.nudge });
    }
    net_.set(p.name, { pop: p, v });
  }
  // interneurons (microcircuit): instantaneous voltages uI, no integration
  const inter_ = new Map<string, Pop>();
  for (const p of net.populations.filter((q) => q.kind === 'interneuron')) {
    const v: Record<string, number> = {};
    for (const t of ['u', 'wipR', 'bipU', 'aI', 'q1', 'q2']) v[t] = b.vector(`${p.name}.${t}`, p.size, 'temp', 0, p.name);
    v.uI = v.u!;
    inter_.set(p.name, { pop: p, v });
  }
  const proj = net.projections.map((pr, i) => {
    const { rows, cols } = projectionShape(net, pr);
    b.matrices.push({ name: pr.name, rows, cols, init: initialWeights(net, i), rate: pr.plastic ? pr.eta * dt : 0, noSelf: pr.noSelf, pre: pr.from, post: pr.to });
    return { pr, m: b.matrices.length - 1 };
  });
  const isInput = (pr: Projection) => inputs.some((q) => q.name === pr.from);
  const fa = net.projections.some((pr) => pr.role === 'topdown');
  const inBlocks = (p: Population) => proj.filter((x) => x.pr.role === 'forward' && x.pr.to === p.name && isInput(x.pr));
  const netInto = (p: Population) => proj.filter((x) => x.pr.role === 'forward' && x.pr.to === p.name && !isInput(x.pr));
  /** feedback F x landing in p: W^T x over forward blocks from p, or B x over topdown blocks into p */
  const fbInto = (p: Population, sig: string) =>
    fa
      ? proj.filter((x) => x.pr.role === 'topdown' && x.pr.to === p.name).map((x) => ({ m: x.m, x: net_.get(x.pr.from)!.v[sig], transpose: false }))
      : proj.filter((x) => x.pr.role === 'forward' && x.pr.from === p.name).map((x) => ({ m: x.m, x: net_.get(x.pr.to)!.v[sig], transpose: true }));
  const lut = (p: Population, derivative: 0 | 1 | 2): LutFn => ({ activation: p.neuron.activation, derivative, clipMax: p.neuron.clipMax, stdA: p.neuron.stdA, stdD: p.neuron.stdD });
  const consts = new Map<string, number>();
  const constant = (value: number, n: number) => {
    const key = `${value}:${n}`;
    if (!consts.has(key)) consts.set(key, value === 0 ? zero(n) : b.vector(`const.${value}x${n}`, n, 'const', value));
    return consts.get(key)!;
  };
  /** dst = rho^(derivative)(u): a lookup table, or a copy where it is u or a constant */
  const transfer = (p: Population, dst: number, u: number, derivative: 0 | 1 | 2) => {
    const c = constantTransfer(p.neuron.activation, derivative);
    if (c === undefined) b.emit({ op: 'lut', dst, a: u, fn: lut(p, derivative) });
    else b.emit({ op: 'copy', dst, a: c === 'identity' ? u : constant(c, p.size) });
  };

  // ---- one tick ----
  for (const { v } of inp.values()) {
    b.emit({ op: 'sub', dst: v.diff, a: v.r, b: v.rbar });
    b.emit({ op: 'copy', dst: v.rdot, a: v.diff }); // tau_in rdot = r - rbar
  }
  /**
   * The input drives of a population: winRbar = W_in rbar_in + bias (its mismatch em subtracts it)
   * and, for the implicit and LE ticks, the prospective drive rinP = W_in r_in' + bias with
   * r_in' = rbar_in + (tau / tau_in) tau_in rdot, read in one crossbar product of r_in' (the
   * microcircuit keeps winDot = W_in tau_in rdot apart). One read of the prospective rate instead
   * of W rbar + (tau / tau_in) W rdot: on the chip both reads of W_in then carry the same ADC
   * offset, which cancels in em = u - winRbar; the second read would add it (tau / tau_in) times
   * more to the drive of u than em subtracts, a constant error that the plasticity integrates.
   */
  const inputProducts = (pop: Population, v: Record<string, number>) => {
    const blocks = inBlocks(pop);
    b.sumProducts(v.winRbar, blocks.map((x) => ({ m: x.m, x: inp.get(x.pr.from)!.v.rbar, transpose: false })), v.bias ?? null, zero(pop.size));
    if (v.winDot !== undefined) b.sumProducts(v.winDot, blocks.map((x) => ({ m: x.m, x: inp.get(x.pr.from)!.v.rdot, transpose: false })), null, zero(pop.size));
    else b.sumProducts(v.rinP, blocks.map((x) => ({ m: x.m, x: prospectiveInput(x.pr.from, pop.neuron.tau / tauIn), transpose: false })), v.bias ?? null, zero(pop.size));
  };
  /** r_in' = rbar_in + k tau_in rdot of an input population, once per tick and factor k */
  const prospective = new Map<string, number>();
  const prospectiveInput = (from: string, k: number): number => {
    const key = `${from}|${k}`;
    if (!prospective.has(key)) {
      const v = inp.get(from)!.v;
      const id = b.vector(`${from}.rinP${prospective.size ? prospective.size : ''}`, inp.get(from)!.pop.size, 'temp', 0, from);
      b.emit({ op: 'axpy', dst: id, a: v.rbar, k, b: v.rdot });
      prospective.set(key, id);
    }
    return prospective.get(key)!;
  };
  /** rho'' is zero for piecewise-linear transfer functions: the terms it multiplies are left out */
  const d2Zero = (p: Population) => constantTransfer(p.neuron.activation, 2) === 0;
  const netTerms = (pop: Population, sig: string) => netInto(pop).map((x) => ({ m: x.m, x: net_.get(x.pr.from)!.v[sig], transpose: false }));
  /** the network populations with every presynaptic population before its targets (feedforward) */
  const forwardOrder = (): Pop[] => {
    const order: Pop[] = [];
    const left = [...net_.values()];
    while (left.length) {
      const k = left.findIndex((p) => netInto(p.pop).every((x) => order.some((q) => q.pop.name === x.pr.from)));
      if (k < 0) throw new Error(`lower: implicit_sweep 'forward' on a network whose forward projections form a cycle (${net.file}; the semantic check should have refused it)`);
      order.push(...left.splice(k, 1));
    }
    return order;
  };
  if (net.microcircuit) microcircuitTick();
  else if (scheme === 'le') leTick();
  else implicitTick();

  /** spec section 3, implicit form: prospective rates and errors from the previous step's udot */
  function implicitTick(): void {
    for (const { pop, v } of net_.values()) {
      inputProducts(pop, v);
      transfer(pop, v.rbar, v.u, 0);
      transfer(pop, v.d1, v.u, 1);
      if (!d2Zero(pop)) transfer(pop, v.d2, v.u, 2);
    }
    for (const { pop, v } of net_.values()) {
      b.sumProducts(v.wrb, netTerms(pop, 'rbar'), null, zero(pop.size));
      b.emit({ op: 'sub', dst: v.t1, a: v.u, b: v.winRbar });
      b.emit({ op: 'sub', dst: v.em, a: v.t1, b: v.wrb });
    }
    for (const { pop, v } of net_.values()) if (!d2Zero(pop)) b.sumProducts(v.fem, fbInto(pop, 'em'), null, zero(pop.size));
    // implicit_iterations: the fixed-point iteration (prospective terms, mismatches, errors, udot)
    // repeated within the tick; the rates, em and its feedback above are those of this tick's u
    for (let it = 0; it < net.dynamics.implicitIterations; it++) {
      for (const { v } of net_.values()) {
        b.emit({ op: 'mul', dst: v.t1, a: v.d1, b: v.udot });
        b.emit({ op: 'axpy', dst: v.rp, a: v.rbar, k: 1, b: v.t1 });
        b.emit({ op: 'axpy', dst: v.ut, a: v.u, k: 1, b: v.udot });
      }
      for (const { pop, v } of net_.values()) {
        b.sumProducts(v.wrp, netTerms(pop, 'rp'), null, zero(pop.size));
        b.emit({ op: 'sub', dst: v.t1, a: v.ut, b: v.rinP });
        b.emit({ op: 'sub', dst: v.m, a: v.t1, b: v.wrp });
      }
      for (const { pop, v } of net_.values()) b.sumProducts(v.fm, fbInto(pop, 'm'), null, zero(pop.size));
      // implicit_sweep 'forward' (feedforward nets): populations in forward order, each one's
      // prospective drive from the udot its presynaptic populations got in this iteration (rp and
      // wrp are recomputed in place: their values of the Jacobi pass above have been used by m)
      const sweep = net.dynamics.implicitSweep === 'forward';
      for (const { pop, v } of sweep ? forwardOrder() : net_.values()) {
        const tau = pop.neuron.tau;
        if (sweep && netInto(pop).length) {
          for (const x of netInto(pop)) {
            const q = net_.get(x.pr.from)!.v;
            b.emit({ op: 'mul', dst: q.t1, a: q.d1, b: q.udot });
            b.emit({ op: 'axpy', dst: q.rp, a: q.rbar, k: 1, b: q.t1 });
          }
          b.sumProducts(v.wrp, netTerms(pop, 'rp'), null, zero(pop.size));
        }
        // e = d1 fm + tau d2 udot fem + beta P ((u* + tau du*/dt) - ut)
        if (d2Zero(pop)) b.emit({ op: 'mul', dst: v.e, a: v.d1, b: v.fm });
        else {
          b.emit({ op: 'mul', dst: v.t1, a: v.d1, b: v.fm });
          b.emit({ op: 'mul', dst: v.t2, a: v.d2, b: v.udot });
          b.emit({ op: 'mul', dst: v.t2, a: v.t2, b: v.fem });
          b.emit({ op: 'axpy', dst: v.e, a: v.t1, k: 1, b: v.t2 });
        }
        if (pop.kind === 'output') {
          b.emit({ op: 'sub', dst: v.t3, a: v.target, b: v.targetPrev });
          b.emit({ op: 'axpy', dst: v.t3, a: v.target, k: tau / dt, b: v.t3 });
          b.emit({ op: 'sub', dst: v.t3, a: v.t3, b: v.ut });
          b.emit({ op: 'mul', dst: v.t3, a: v.nudge, b: v.t3 });
          b.emit({ op: 'axpy', dst: v.e, a: v.e, k: beta, b: v.t3 });
        }
        // tau udot = -u + rinP + wrp + e
        b.emit({ op: 'add', dst: v.drive, a: v.rinP, b: v.wrp });
        b.emit({ op: 'add', dst: v.drive, a: v.drive, b: v.e });
        b.emit({ op: 'sub', dst: v.t1, a: v.drive, b: v.u });
        if (relaxation === 1) b.emit({ op: 'copy', dst: v.udot, a: v.t1 });
        else {
          // under-relaxed: udot += w (new - udot)
          b.emit({ op: 'sub', dst: v.t2, a: v.t1, b: v.udot });
          b.emit({ op: 'axpy', dst: v.udot, a: v.udot, k: relaxation, b: v.t2 });
        }
      }
    }
  }

  /**
   * Latent Equilibrium as the ideal model runs it: ub = u + tau udot, rates rho(ub), mismatch
   * m = ub - (drive of the previous step), eb = rho'(ub) (F m + beta P (rho(u*) - rho(ub))).
   */
  function leTick(): void {
    for (const { pop, v } of net_.values()) {
      inputProducts(pop, v);
      b.emit({ op: 'axpy', dst: v.t1, a: v.u, k: 1, b: v.udot }); // ub
      b.emit({ op: 'sub', dst: v.em, a: v.t1, b: v.drivePrev });
      transfer(pop, v.rbar, v.t1, 0);
      transfer(pop, v.d1, v.t1, 1);
    }
    for (const { pop, v } of net_.values()) b.sumProducts(v.wrb, netTerms(pop, 'rbar'), null, zero(pop.size));
    for (const { pop, v } of net_.values()) b.sumProducts(v.fm, fbInto(pop, 'em'), null, zero(pop.size));
    for (const { pop, v } of net_.values()) {
      b.emit({ op: 'add', dst: v.drivePrev, a: v.rinP, b: v.wrb });
      if (pop.kind === 'output') {
        transfer(pop, v.t3, v.target, 0); // target rates rho(u*)
        b.emit({ op: 'sub', dst: v.t3, a: v.t3, b: v.rbar });
        b.emit({ op: 'mul', dst: v.t3, a: v.nudge, b: v.t3 });
        b.emit({ op: 'axpy', dst: v.t1, a: v.fm, k: beta, b: v.t3 });
        b.emit({ op: 'mul', dst: v.eb, a: v.d1, b: v.t1 });
      } else b.emit({ op: 'mul', dst: v.eb, a: v.d1, b: v.fm });
      // tau udot = -u + drive + eb
      b.emit({ op: 'add', dst: v.t1, a: v.drivePrev, b: v.eb });
      b.emit({ op: 'sub', dst: v.udot, a: v.t1, b: v.u });
    }
  }

  /**
   * The microcircuit (spec section 4) in implicit form: errors from the interneurons, then one
   * Richardson step on the explicit system, s <- s + w (tau rhs - J s), s = tau udot,
   * with J s written out as products (I - W D1 - diag(d2 eA) + (1 - bI) D1 WPI WIP D1
   * - D1 (B - bI WPI BIP) + beta P); emulator/ideal implicitMicrocircuitIteration is its reference.
   */
  function microcircuitTick(): void {
    const bI = net.dynamics.betaI;
    const one = (role: string, from: string, to: string) => proj.find((x) => x.pr.role === role && x.pr.from === from && x.pr.to === to);
    const circuits = [...inter_.values()].map(({ pop: I, v: iv }) => {
      const wip = proj.find((x) => x.pr.role === 'wip' && x.pr.to === I.name)!;
      const wpi = proj.find((x) => x.pr.role === 'wpi' && x.pr.from === I.name)!;
      const bip = proj.find((x) => x.pr.role === 'bip' && x.pr.to === I.name)!;
      const layer = net_.get(wip.pr.from)!;
      const up = net_.get(bip.pr.from)!;
      const B = one('topdown', up.pop.name, layer.pop.name)!;
      return { iv, wip, wpi, bip, B, layer, up };
    });
    const circuitOf = (name: string) => circuits.find((c) => c.layer.pop.name === name);
    for (const { pop, v } of net_.values()) {
      inputProducts(pop, v);
      transfer(pop, v.rbar, v.u, 0);
      transfer(pop, v.d1, v.u, 1);
      transfer(pop, v.d2, v.u, 2);
    }
    for (const { pop, v } of net_.values()) {
      b.sumProducts(v.wrb, netTerms(pop, 'rbar'), null, zero(pop.size));
      b.emit({ op: 'sub', dst: v.t1, a: v.u, b: v.winRbar });
      b.emit({ op: 'sub', dst: v.em, a: v.t1, b: v.wrb });
    }
    // top-down rows read voltages, or rates through depressing synapses (STD rows): v rbar ~ u
    const topdownInput = (up: Pop): number => up.v.ustd ?? up.v.u!;
    for (const { pop, v } of net_.values()) {
      if (v.pool === undefined) continue;
      const vinf: LutFn = { activation: 'std_vinf', derivative: 0, clipMax: pop.neuron.clipMax, stdA: pop.neuron.stdA, stdD: pop.neuron.stdD };
      b.emit({ op: 'std', state: v.pool, rbar: v.rbar, k: dt / pop.neuron.tau, fn: vinf });
      b.emit({ op: 'mul', dst: v.ustd, a: v.pool, b: v.rbar });
    }
    // uI = (1 - bI) WIP rho(u_l) + bI BIP u_up; eA = B u_up - WPI uI; eb = rho'(u_l) eA
    for (const { iv, wip, wpi, bip, B, layer, up } of circuits) {
      b.emit({ op: 'mvm', dst: iv.wipR, m: wip.m, x: layer.v.rbar, transpose: false, accumulate: false });
      b.emit({ op: 'mvm', dst: iv.bipU, m: bip.m, x: topdownInput(up), transpose: false, accumulate: false });
      b.emit({ op: 'scale', dst: iv.u, a: iv.wipR, k: 1 - bI });
      b.emit({ op: 'axpy', dst: iv.u, a: iv.u, k: bI, b: iv.bipU });
      b.emit({ op: 'mvm', dst: layer.v.eA, m: B.m, x: topdownInput(up), transpose: false, accumulate: false });
      b.emit({ op: 'mvm', dst: layer.v.t1, m: wpi.m, x: iv.u, transpose: false, accumulate: false });
      b.emit({ op: 'sub', dst: layer.v.eA, a: layer.v.eA, b: layer.v.t1 });
      b.emit({ op: 'mul', dst: layer.v.eb, a: layer.v.d1, b: layer.v.eA });
    }
    for (const { pop, v } of net_.values()) {
      if (pop.kind === 'output') {
        b.emit({ op: 'sub', dst: v.t3, a: v.target, b: v.u });
        b.emit({ op: 'mul', dst: v.t3, a: v.nudge, b: v.t3 });
        b.emit({ op: 'scale', dst: v.eb, a: v.t3, k: beta });
      } else if (!circuitOf(pop.name)) b.emit({ op: 'copy', dst: v.eb, a: zero(pop.size) });
    }
    // one step on J s = tau rhs, all from the previous s
    for (const { v } of net_.values()) b.emit({ op: 'mul', dst: v.q, a: v.d1, b: v.udot });
    for (const { pop, v } of net_.values()) {
      const tau = pop.neuron.tau;
      b.emit({ op: 'sub', dst: v.acc, a: v.eb, b: v.em });
      b.emit({ op: 'axpy', dst: v.acc, a: v.acc, k: tau / tauIn, b: v.winDot });
      // s - J s: the identity of J cancels s; what is left are the coupling terms below
      for (const x of netInto(pop)) {
        const pre = net_.get(x.pr.from)!;
        b.emit({ op: 'mvm', dst: v.t1, m: x.m, x: pre.v.q, transpose: false, accumulate: false });
        b.emit({ op: 'axpy', dst: v.acc, a: v.acc, k: tau / pre.pop.neuron.tau, b: v.t1 });
      }
      const c = circuitOf(pop.name);
      if (c) {
        b.emit({ op: 'mul', dst: v.t1, a: v.d2, b: v.eA });
        b.emit({ op: 'mul', dst: v.t1, a: v.t1, b: v.udot });
        b.emit({ op: 'add', dst: v.acc, a: v.acc, b: v.t1 });
        b.emit({ op: 'mvm', dst: c.iv.q1, m: c.wip.m, x: v.q, transpose: false, accumulate: false });
        b.emit({ op: 'mvm', dst: v.t1, m: c.wpi.m, x: c.iv.q1, transpose: false, accumulate: false });
        b.emit({ op: 'mul', dst: v.t1, a: v.d1, b: v.t1 });
        b.emit({ op: 'axpy', dst: v.acc, a: v.acc, k: -(1 - bI), b: v.t1 });
        b.emit({ op: 'mvm', dst: v.t1, m: c.B.m, x: c.up.v.udot, transpose: false, accumulate: false });
        b.emit({ op: 'mvm', dst: c.iv.q2, m: c.bip.m, x: c.up.v.udot, transpose: false, accumulate: false });
        b.emit({ op: 'mvm', dst: v.t2, m: c.wpi.m, x: c.iv.q2, transpose: false, accumulate: false });
        b.emit({ op: 'axpy', dst: v.t1, a: v.t1, k: -bI, b: v.t2 });
        b.emit({ op: 'mul', dst: v.t1, a: v.d1, b: v.t1 });
        b.emit({ op: 'axpy', dst: v.acc, a: v.acc, k: tau / c.up.pop.neuron.tau, b: v.t1 });
      }
      if (pop.kind === 'output') {
        // beta P (tau (u* - u*_prev) / dt - s)
        b.emit({ op: 'sub', dst: v.t3, a: v.target, b: v.targetPrev });
        b.emit({ op: 'scale', dst: v.t2, a: v.t3, k: tau / dt });
        b.emit({ op: 'sub', dst: v.t2, a: v.t2, b: v.udot });
        b.emit({ op: 'mul', dst: v.t2, a: v.nudge, b: v.t2 });
        b.emit({ op: 'axpy', dst: v.acc, a: v.acc, k: beta, b: v.t2 });
      }
    }
    for (const { v } of net_.values()) {
      if (relaxation === 1) b.emit({ op: 'copy', dst: v.udot, a: v.acc });
      else {
        b.emit({ op: 'sub', dst: v.t2, a: v.acc, b: v.udot });
        b.emit({ op: 'axpy', dst: v.udot, a: v.udot, k: relaxation, b: v.t2 });
      }
    }
    // the interneuron rules (spec section 4), from this tick's uI and eA, before the weights move
    for (const { iv, wip, wpi, layer } of circuits) {
      if (wip.pr.plastic && wip.pr.eta !== 0) {
        b.emit({ op: 'sub', dst: iv.aI, a: iv.u, b: iv.wipR });
        b.emit({ op: 'outer', m: wip.m, a: iv.aI, x: layer.v.rbar });
      }
      if (wpi.pr.plastic && wpi.pr.eta !== 0) b.emit({ op: 'outer', m: wpi.m, a: layer.v.eA, x: iv.u });
    }
  }

  // plasticity from the errors of this tick, before the state moves: rt-DeEP (em with the
  // low-pass input rates) or LE (eb with the raw input rates)
  const [errorOf, inputRate] = scheme === 'le' ? ['eb', 'r'] : ['em', 'rbar'];
  for (const x of proj) {
    if (x.pr.role !== 'forward' || !x.pr.plastic || x.pr.eta === 0) continue;
    const a = net_.get(x.pr.to)!.v[errorOf]!;
    const pre = isInput(x.pr) ? inp.get(x.pr.from)!.v[inputRate]! : net_.get(x.pr.from)!.v.rbar!;
    b.emit({ op: 'outer', m: x.m, a, x: pre });
  }
  for (const { pop, v } of net_.values()) {
    if (v.bias === undefined) continue;
    const into = proj.find((x) => x.pr.to === pop.name && x.pr.role === 'forward' && x.pr.plastic);
    if (into && into.pr.eta !== 0) b.emit({ op: 'outer_bias', dst: v.bias, a: v[errorOf]!, rate: into.pr.eta * dt });
  }
  for (const { pop, v } of net_.values()) {
    b.emit({ op: 'axpy', dst: v.u, a: v.u, k: dt / pop.neuron.tau, b: v.udot });
    if (v.targetPrev !== undefined) b.emit({ op: 'copy', dst: v.targetPrev, a: v.target });
  }
  for (const { v } of inp.values()) b.emit({ op: 'axpy', dst: v.rbar, a: v.rbar, k: dt / tauIn, b: v.rdot });

  const probes: Program['probes'] = [];
  for (const [name, { v }] of [...inp, ...net_, ...inter_]) {
    for (const [signal, key] of Object.entries(PROBE_SIGNALS)) if (v[key] !== undefined) probes.push({ population: name, signal, vector: v[key] });
  }
  return { name: net.name, dt, scheme, vectors: b.vectors, matrices: b.matrices, ports: b.ports, probes, ops: b.ops };
}

/** probe signal -> the program vector that holds it (rbar on inputs is the low-pass rate) */
// udot is held as tau * du/dt (see the header) and is not offered as a probe
const PROBE_SIGNALS: Record<string, string> = { u: 'u', uI: 'uI', rbar: 'rbar', em: 'em', target: 'target' };

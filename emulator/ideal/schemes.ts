// One Euler step of each integration scheme (spec sections 3, 4, 6). Every scheme reads the
// inputs and targets already placed in the state (rIn, uStar, nudge) and leaves udot, the
// errors and the updated u, rbar_in and weights behind.
import type { Scheme } from '../../compiler/network/index.js';
import { evalActivation } from '../../compiler/network/activations.js';
import { DenseSolver, microcircuitLayers, type Solver } from './solvers.js';
import type { NetState } from './state.js';

export interface SchemeStep {
  /** bring the state onto its equilibrium at t = 0 */
  settle(): void;
  step(): void;
}

// ---- shared pieces ----

/**
 * Errors of the NLA family at the current u: rb, d1, d2, em, eb, f (and, in a microcircuit, the
 * interneuron voltages uI and apical voltages in tmp[6]). F em is left in tmp[7].
 */
export function drive(st: NetState): void {
  st.inputProducts();
  st.activate(st.u, st.rb, st.d1, st.d2);
  st.netMv(st.rb, st.wrb);
  const { u, em, eb, f, n } = st;
  for (let i = 0; i < n; i++) em[i] = u[i] - st.winRbar[i] - st.wrb[i];
  if (st.nI > 0) {
    microcircuitErrors(st);
  } else {
    const fem = st.tmp[7];
    st.fbMv(em, fem);
    for (let i = 0; i < n; i++) eb[i] = st.d1[i] * fem[i] + st.beta * st.nudge[i] * (st.uStar[i] - u[i]);
  }
  for (let i = 0; i < n; i++) f[i] = em[i] - eb[i];
}

/** uI = (1 - betaI) WIP rho(u_l) + betaI BIP u_{l+1}; eA = B u_{l+1} - WPI uI; eb = rho' . eA */
function microcircuitErrors(st: NetState): void {
  const bI = st.net.dynamics.betaI;
  const eA = st.tmp[6];
  eA.fill(0);
  st.eb.fill(0);
  st.uI.fill(0);
  const tI = st.tmpI;
  for (const mc of microcircuitLayers(st)) {
    tI.fill(0);
    st.k.gemv(mc.wip.W, mc.wip.rows, mc.wip.cols, st.view(st.rb, mc.layer.offset, mc.layer.size), st.view(st.uI, mc.inter.offset, mc.inter.size), false);
    st.k.gemv(mc.bip.W, mc.bip.rows, mc.bip.cols, st.view(st.u, mc.bip.from.offset, mc.bip.from.size), st.view(tI, mc.inter.offset, mc.inter.size), false);
    for (let q = mc.inter.offset; q < mc.inter.offset + mc.inter.size; q++) st.uI[q] = (1 - bI) * st.uI[q] + bI * tI[q];
    for (const B of mc.topdown) st.blockMv(B, st.u, eA);
    const apical = st.view(eA, mc.layer.offset, mc.layer.size);
    const wpiOut = st.view(st.tmp[5], mc.layer.offset, mc.layer.size);
    st.k.gemv(mc.wpi.W, mc.wpi.rows, mc.wpi.cols, st.view(st.uI, mc.inter.offset, mc.inter.size), wpiOut, false);
    for (let r = 0; r < mc.layer.size; r++) apical[r] -= wpiOut[r];
  }
  for (const s of st.bySpace.net) {
    for (let i = s.offset; i < s.offset + s.size; i++) {
      st.eb[i] = s.pop.kind === 'output' ? st.beta * st.nudge[i] * (st.uStar[i] - st.u[i]) : st.d1[i] * eA[i];
    }
  }
}

/** rt-DeEP (and the microcircuit's three rules) for the current errors. */
function learnNla(st: NetState): void {
  if (!st.plastic) return;
  for (const b of st.inBlocks) st.learn(b, st.em, st.rbarIn);
  for (const b of st.netBlocks) st.learn(b, st.em, st.rb);
  st.learnBias(st.em);
  if (st.nI === 0) return;
  const bI = st.net.dynamics.betaI;
  for (const mc of microcircuitLayers(st)) {
    // dWIP = eta (uI - WIP rbar_l) rbar_l^T, with uI - WIP rbar_l = betaI (BIP u_{l+1} - WIP rbar_l)
    const aI = st.tmpI;
    st.k.gemv(mc.wip.W, mc.wip.rows, mc.wip.cols, st.view(st.rb, mc.layer.offset, mc.layer.size), st.view(aI, mc.inter.offset, mc.inter.size), false);
    for (let q = mc.inter.offset; q < mc.inter.offset + mc.inter.size; q++) aI[q] = st.uI[q] - aI[q];
    void bI;
    // dWPI uses eA (tmp[6]) and uI, both computed before any weight of this step changes
    st.learn(mc.wpi, st.tmp[6], st.uI);
    st.learn(mc.wip, aI, st.rb);
  }
}

function advance(st: NetState): void {
  const { u, udot, dt, n } = st;
  for (let i = 0; i < n; i++) u[i] += dt * udot[i];
  st.advanceInputs();
  st.uStarPrev.set(st.uStar);
}

/**
 * Puts an NLA-family net on f = 0 at t = 0: feedforward nets start from the forward pass (exact
 * for beta = 0), then damped Newton steps u -= s J^-1 f (s halved until |f| falls) take care of
 * nudging and recurrence.
 */
function newtonSettle(st: NetState, solver: Solver): void {
  if (st.topo.length > 0 && st.nI === 0) forwardSettle(st);
  const x = st.tmp[0];
  const u0 = st.tmp[2];
  const norm = () => {
    let s = 0;
    for (let i = 0; i < st.n; i++) s = Math.max(s, Math.abs(st.f[i]));
    return s;
  };
  drive(st);
  let fNow = norm();
  for (let it = 0; it < st.net.dynamics.relax && fNow > 1e-14; it++) {
    solver.prepare();
    solver.solve(st.f, x);
    u0.set(st.u);
    let scale = 1;
    for (let halvings = 0; halvings < 30; halvings++, scale /= 2) {
      for (let i = 0; i < st.n; i++) st.u[i] = u0[i] - scale * x[i];
      drive(st);
      if (norm() < fNow) break;
    }
    const fNew = norm();
    if (!(fNew < fNow)) {
      st.u.set(u0);
      drive(st);
      break;
    }
    fNow = fNew;
  }
  st.udot.fill(0);
}

/** Feedforward nets: u = the instantaneous forward pass (errors zero). */
function forwardSettle(st: NetState): void {
  for (let it = 0; it < 2; it++) {
    st.inputProducts();
    for (const p of st.topo) {
      const o = p.offset;
      st.u.set(st.view(st.winRbar, o, p.size), o);
      for (const b of st.netBlocks) if (b.to === p) st.blockMv(b, st.rb, st.u);
      evalActivation(p.pop.neuron, st.u, o, o + p.size, st.rb, st.d1, st.d2);
    }
  }
  st.udot.fill(0);
}

// ---- the schemes ----

/**
 * Explicit udot (spec section 3, steps 6-10) for the errors of drive():
 * solve tau J udot = -f + tau G W_in rinDot + tau beta P (u*_n - u*_{n-1}) / dt, G = I - D1 F
 * (the microcircuit's f has no D1 F term on the input drive, so there G = I).
 * `inputTerm` exists only so the tests can prove that the invariants catch the paper's printed
 * slips: the term with its sign flipped, or without the (I - D1 W_net^T) factor.
 */
export type InputTerm = 'correct' | 'flipped' | 'no_factor';

export function explicitUdot(st: NetState, solver: Solver, inputTerm: InputTerm = 'correct'): void {
  const rhs = st.udot;
  const g = st.tmp[1];
  if (st.nI > 0 || inputTerm === 'no_factor') g.set(st.winDot);
  else {
    st.fbMv(st.winDot, g);
    for (let i = 0; i < st.n; i++) g[i] = st.winDot[i] - st.d1[i] * g[i];
  }
  if (inputTerm === 'flipped') for (let i = 0; i < st.n; i++) g[i] = -g[i];
  const { n, dt, beta } = st;
  for (let i = 0; i < n; i++) {
    const kick = (beta * st.nudge[i] * (st.uStar[i] - st.uStarPrev[i])) / dt;
    rhs[i] = -st.f[i] / st.tau[i] + g[i] + kick;
  }
  solver.prepare();
  solver.solve(rhs, st.udot);
}

function explicit(st: NetState, solver: Solver, inputTerm: InputTerm = 'correct'): SchemeStep {
  return {
    settle: () => newtonSettle(st, solver),
    step() {
      st.inputDerivative();
      drive(st);
      explicitUdot(st, solver, inputTerm);
      learnNla(st);
      advance(st);
    },
  };
}

/**
 * One fixed-point iteration of the implicit form (spec section 3): udot <- g(udot), with the
 * errors of drive() in place. Iterated to convergence it equals the explicit udot.
 */
export function implicitIteration(st: NetState): void {
  const { n, dt, beta, tau, u, udot } = st;
  const [rp, ut, rinP, wrp, m, fm] = st.tmp; // tmp[7] holds F em from drive()
  for (let i = 0; i < n; i++) {
    rp[i] = st.rb[i] + tau[i] * st.d1[i] * udot[i];
    ut[i] = u[i] + tau[i] * udot[i];
    rinP[i] = st.winRbar[i] + tau[i] * st.winDot[i];
  }
  st.netMv(rp, wrp);
  for (let i = 0; i < n; i++) m[i] = ut[i] - rinP[i] - wrp[i];
  st.fbMv(m, fm);
  const fem = st.tmp[7];
  const w = st.net.dynamics.implicitRelaxation;
  const forward = st.net.dynamics.implicitSweep === 'forward';
  for (let i = 0; i < n; i++) {
    const ustarDot = (st.uStar[i] - st.uStarPrev[i]) / dt;
    const e = st.d1[i] * fm[i] + tau[i] * st.d2[i] * udot[i] * fem[i] + beta * st.nudge[i] * (st.uStar[i] + tau[i] * ustarDot - ut[i]);
    if (forward) {
      // kept for the forward sweep below: e (fm[i] is not read again) and the previous udot
      fm[i] = e;
      ut[i] = udot[i];
    }
    const next = (-u[i] + rinP[i] + wrp[i] + e) / tau[i];
    udot[i] = w === 1 ? next : udot[i] + w * (next - udot[i]);
  }
  if (forward) forwardSweep(st, fm, ut);
}

/**
 * implicit_sweep 'forward' (feedforward nets): in forward order, each population with network
 * presynapses redoes its update with the prospective rates rp = rho(u) + tau rho'(u) udot of its
 * presynaptic populations from this step's udot (already final: they come earlier in the order);
 * `e` and `udotPrev` are its errors and udot of the previous step from the Jacobi pass.
 */
function forwardSweep(st: NetState, e: Float64Array, udotPrev: Float64Array): void {
  const { tau, u, udot } = st;
  const [rp, , rinP, wrp] = st.tmp;
  const w = st.net.dynamics.implicitRelaxation;
  for (const p of st.topo) {
    const into = st.netBlocks.filter((b) => b.to === p);
    if (into.length === 0) continue;
    for (const b of into) for (let j = b.from.offset; j < b.from.offset + b.from.size; j++) rp[j] = st.rb[j] + tau[j] * st.d1[j] * udot[j];
    wrp.fill(0, p.offset, p.offset + p.size);
    for (const b of into) st.blockMv(b, rp, wrp);
    for (let i = p.offset; i < p.offset + p.size; i++) {
      const next = (-u[i] + rinP[i] + wrp[i] + e[i]) / tau[i];
      udot[i] = w === 1 ? next : udotPrev[i] + w * (next - udotPrev[i]);
    }
  }
}

/**
 * The implicit form of a microcircuit: the same fixed-point iteration as implicitIteration, which
 * is a Richardson step udot <- udot + w (rhs - J udot) on the explicit system J udot = rhs
 * (checked to rounding on NLA nets, tests/ideal), with the microcircuit's J and rhs.
 */
export function implicitMicrocircuitIteration(st: NetState, solver: DenseSolver): void {
  const rhs = st.tmp[1];
  const jv = st.tmp[2];
  const { n, dt, beta } = st;
  for (let i = 0; i < n; i++) rhs[i] = -st.f[i] / st.tau[i] + st.winDot[i] + (beta * st.nudge[i] * (st.uStar[i] - st.uStarPrev[i])) / dt;
  solver.applyJacobian(st.udot, jv);
  const w = st.net.dynamics.implicitRelaxation;
  for (let i = 0; i < n; i++) st.udot[i] += w * (rhs[i] - jv[i]);
}

function implicit(st: NetState, solver: Solver): SchemeStep {
  const micro = st.nI > 0;
  if (micro && !(solver instanceof DenseSolver)) throw new Error('the implicit microcircuit step needs the dense solver');
  return {
    settle: () => newtonSettle(st, solver),
    step() {
      st.inputDerivative();
      drive(st);
      if (micro) implicitMicrocircuitIteration(st, solver as DenseSolver);
      else for (let it = 0; it < st.net.dynamics.implicitIterations; it++) implicitIteration(st);
      learnNla(st);
      advance(st);
    },
  };
}

function noLookahead(st: NetState, solver: Solver): SchemeStep {
  return {
    settle: () => newtonSettle(st, solver),
    step() {
      st.inputDerivative();
      drive(st);
      for (let i = 0; i < st.n; i++) st.udot[i] = (-st.u[i] + st.winRbar[i] + st.wrb[i] + st.eb[i]) / st.tau[i];
      learnNla(st);
      advance(st);
    },
  };
}

/** tau du/dt = -u + W r with prospective r; weights by backprop of the instantaneous net. */
function backprop(st: NetState): SchemeStep {
  return {
    settle: () => forwardSettle(st),
    step() {
      st.inputDerivative();
      st.inputProducts();
      st.activate(st.u, st.rb, st.d1, st.d2);
      const r = st.tmp[0];
      const { u, udot, tau } = st;
      for (const p of st.topo) {
        const y = st.tmp[1];
        for (let i = p.offset; i < p.offset + p.size; i++) y[i] = st.winRbar[i] + tau[i] * st.winDot[i];
        for (const b of st.netBlocks) if (b.to === p) st.blockMv(b, r, y);
        for (let i = p.offset; i < p.offset + p.size; i++) {
          udot[i] = (-u[i] + y[i]) / tau[i];
          r[i] = st.rb[i] + tau[i] * st.d1[i] * udot[i];
        }
      }
      backpropDeltas(st, st.d1, st.eb);
      st.netMv(st.rb, st.wrb);
      for (let i = 0; i < st.n; i++) {
        st.em[i] = u[i] - st.winRbar[i] - st.wrb[i];
        st.f[i] = st.em[i] - st.eb[i];
      }
      if (st.plastic) {
        for (const b of st.inBlocks) st.learn(b, st.eb, st.rbarIn);
        for (const b of st.netBlocks) st.learn(b, st.eb, st.rb);
        st.learnBias(st.eb);
      }
      advance(st);
    },
  };
}

/** delta = beta P (u* - u) at the outputs, propagated down: delta_p += d1_p . (F delta)_p. */
export function backpropDeltas(st: NetState, d1: Float64Array, delta: Float64Array): void {
  const t = st.tmp[2];
  for (let i = 0; i < st.n; i++) delta[i] = st.beta * st.nudge[i] * (st.uStar[i] - st.u[i]);
  for (const p of st.topoReverse) {
    t.fill(0, p.offset, p.offset + p.size);
    let any = false;
    for (const b of st.feedbackAlignment ? st.fbBlocks : st.netBlocks) {
      if ((st.feedbackAlignment ? b.to : b.from) !== p) continue;
      any = true;
      if (st.feedbackAlignment) st.blockMv(b, delta, t);
      else st.blockMvT(b, delta, t);
    }
    if (any) for (let i = p.offset; i < p.offset + p.size; i++) delta[i] += d1[i] * t[i];
  }
}

/** rho(u*) of the output neurons into out (targets are voltages; LE/GLE compare rates). */
function targetRates(st: NetState, out: Float64Array): void {
  const s1 = st.tmp[6];
  const s2 = st.tmp[7];
  for (const p of st.bySpace.net) evalActivation(p.pop.neuron, st.uStar, p.offset, p.offset + p.size, out, s1, s2);
}

/**
 * Latent Equilibrium: prospective voltage ub = u + tau udot_prev, rate r = rho(ub),
 * e_l = rho'(ub_l) . W_{l+1}^T (ub_{l+1} - W_{l+1} r_l) with r_l the rates that drove ub_{l+1}
 * (the previous step's: using this step's rates feeds rate differences back through W^T W and
 * oscillates with period two), output error beta rho'(ub_N) . (r* - r_N).
 */
function latentEquilibrium(st: NetState): SchemeStep {
  const drivePrev = st.k.alloc(Math.max(1, st.n)); // W_in r_in' + W r of the previous step
  return {
    settle: () => {
      forwardSettle(st);
      st.netMv(st.rb, st.wrb);
      for (let i = 0; i < st.n; i++) drivePrev[i] = st.winRbar[i] + st.wrb[i];
    },
    step() {
      st.inputDerivative();
      st.inputProducts();
      const { n, u, udot, tau } = st;
      const [ub, rinP, m, fm, , rStar] = st.tmp;
      for (let i = 0; i < n; i++) {
        ub[i] = u[i] + tau[i] * udot[i];
        rinP[i] = st.winRbar[i] + tau[i] * st.winDot[i];
        m[i] = ub[i] - drivePrev[i];
      }
      st.activate(ub, st.rb, st.d1, st.d2);
      st.netMv(st.rb, st.wrb);
      st.fbMv(m, fm);
      targetRates(st, rStar);
      for (let i = 0; i < n; i++) {
        drivePrev[i] = rinP[i] + st.wrb[i];
        st.em[i] = m[i];
        st.eb[i] = st.d1[i] * (fm[i] + st.beta * st.nudge[i] * (rStar[i] - st.rb[i]));
        st.f[i] = m[i] - st.eb[i];
        udot[i] = (-u[i] + drivePrev[i] + st.eb[i]) / tau[i];
      }
      if (st.plastic) {
        for (const b of st.inBlocks) st.learn(b, st.eb, st.rIn);
        for (const b of st.netBlocks) st.learn(b, st.eb, st.rb);
        st.learnBias(st.eb);
      }
      advance(st);
    },
  };
}

/** Generalized Latent Equilibrium (two time constants, prospective backward errors). */
function gle(st: NetState): SchemeStep {
  const v = st.k.alloc(Math.max(1, st.n));
  const vdot = st.k.alloc(Math.max(1, st.n));
  const { tauR, gamma } = st.net.dynamics.gle;
  return {
    settle: () => {
      forwardSettle(st);
      v.fill(0);
    },
    step() {
      st.inputDerivative();
      st.inputProducts();
      const { n, u, udot, tau } = st;
      const [ub, rinP, , , , rStar] = st.tmp;
      for (let i = 0; i < n; i++) {
        ub[i] = u[i] + tauR * udot[i];
        rinP[i] = st.winRbar[i] + tau[i] * st.winDot[i];
      }
      st.activate(ub, st.rb, st.d1, st.d2);
      st.netMv(st.rb, st.wrb);
      targetRates(st, rStar);
      // backward: c = rho'(ub) . (F e)_p (+ output error), tau_r vdot = -v + c, e = v + tau_m vdot
      const e = st.eb;
      const t = st.tmp[2];
      for (const p of st.topoReverse) {
        t.fill(0, p.offset, p.offset + p.size);
        for (const b of st.feedbackAlignment ? st.fbBlocks : st.netBlocks) {
          if ((st.feedbackAlignment ? b.to : b.from) !== p) continue;
          if (st.feedbackAlignment) st.blockMv(b, e, t);
          else st.blockMvT(b, e, t);
        }
        for (let i = p.offset; i < p.offset + p.size; i++) {
          const c = st.d1[i] * (t[i] + st.beta * st.nudge[i] * (rStar[i] - st.rb[i]));
          vdot[i] = (-v[i] + c) / tauR;
          e[i] = v[i] + tau[i] * vdot[i];
        }
      }
      for (let i = 0; i < n; i++) {
        st.em[i] = ub[i] - rinP[i] - st.wrb[i];
        st.f[i] = st.em[i] - e[i];
        udot[i] = (-u[i] + rinP[i] + st.wrb[i] + gamma * e[i]) / tau[i];
      }
      if (st.plastic) {
        for (const b of st.inBlocks) st.learn(b, e, st.rIn);
        for (const b of st.netBlocks) st.learn(b, e, st.rb);
        st.learnBias(e);
      }
      for (let i = 0; i < n; i++) v[i] += st.dt * vdot[i];
      advance(st);
    },
  };
}

export const SCHEME_BUILDERS: Record<Scheme, (st: NetState, solver: Solver, inputTerm?: InputTerm) => SchemeStep> = {
  explicit,
  implicit,
  no_lookahead: noLookahead,
  backprop,
  le: latentEquilibrium,
  gle,
};

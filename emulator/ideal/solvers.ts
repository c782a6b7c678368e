// Solvers of the explicit NLA step J udot = rhs, where J = df/du (spec section 3).
//  - DenseSolver: assembles J (n x n) and factorises it: Cholesky when J is symmetric (weight
//    transport), LU otherwise (feedback alignment, microcircuit) or when Cholesky fails.
//  - LayeredSolver: feedforward nets. J = G A + beta P + D with A = I - W D1 (unit block-lower),
//    G = I - D1 F (unit block-upper) and D = -diag(rho'' . F em) (zero for piecewise-linear rho):
//    a backward and a forward pass, a Woodbury correction of rank = number of nudged neurons,
//    and, for smooth rho, defect-correction sweeps x <- (G A + beta P)^-1 (rhs - D x), which
//    converge fast on the moving equilibrium where em is small; a dense solve takes over if not.
import { cholesky, choleskySolve, luFactor, luSolve } from './linalg.js';
import type { Block, NetState, PopSlice } from './state.js';

export interface Solver {
  readonly kind: 'dense' | 'layered';
  /** build/factorise J for the state's current d1, d2, em (+ microcircuit terms), nudge, beta */
  prepare(): void;
  /** x = J^-1 rhs (x may alias rhs) */
  solve(rhs: Float64Array, x: Float64Array): void;
  /** J itself, dense row-major (tests compare it with finite differences) */
  jacobian(): Float64Array;
}

/** Indices of the nudged neurons of the current phase (with beta > 0). */
function nudged(st: NetState, out: Int32Array): number {
  let k = 0;
  if (st.beta === 0) return 0;
  for (let i = 0; i < st.n; i++) if (st.nudge[i] !== 0) out[k++] = i;
  return k;
}

export class DenseSolver implements Solver {
  readonly kind = 'dense';
  private readonly J: Float64Array;
  private readonly Wd: Float64Array;
  private readonly Fd: Float64Array;
  private readonly A: Float64Array;
  private readonly piv: Int32Array;
  private readonly symmetric: boolean;
  private useCholesky = false;

  constructor(private readonly st: NetState) {
    const n = st.n;
    this.J = new Float64Array(n * n);
    this.Wd = new Float64Array(n * n);
    this.Fd = new Float64Array(n * n);
    this.A = new Float64Array(n * n);
    this.piv = new Int32Array(n);
    this.symmetric = !st.feedbackAlignment && st.nI === 0;
  }

  jacobian(): Float64Array {
    this.assemble();
    return this.J.slice();
  }

  /** y = J x at the current state (no allocation): the implicit microcircuit step needs J udot */
  applyJacobian(x: Float64Array, y: Float64Array): void {
    this.assemble();
    const n = this.st.n;
    const J = this.J;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += J[i * n + j]! * x[j]!;
      y[i] = s;
    }
  }

  private assemble(): void {
    const st = this.st;
    const n = st.n;
    const { Wd, Fd, A, J, } = this;
    Wd.fill(0);
    for (const b of st.netBlocks) scatter(b, Wd, n);
    const d1 = st.d1;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = (i === j ? 1 : 0) - Wd[i * n + j] * d1[j];
    if (st.nI > 0) {
      this.assembleMicrocircuit();
      return;
    }
    Fd.fill(0);
    if (st.feedbackAlignment) for (const b of st.fbBlocks) scatter(b, Fd, n);
    else for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Fd[i * n + j] = Wd[j * n + i];
    // J = (I - D1 F) A - diag(d2 . F em) + beta P
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) J[row + j] = A[row + j];
      const di = d1[i];
      if (di !== 0) {
        for (let k = 0; k < n; k++) {
          const c = di * Fd[row + k];
          if (c === 0) continue;
          const rk = k * n;
          for (let j = 0; j < n; j++) J[row + j] -= c * A[rk + j];
        }
      }
    }
    const fem = st.tmp[7];
    st.fbMv(st.em, fem);
    for (let i = 0; i < n; i++) J[i * n + i] += st.beta * st.nudge[i] - st.d2[i] * fem[i];
  }

  /** J of the microcircuit (spec section 4): I - W D1 + beta P plus the apical terms per layer. */
  private assembleMicrocircuit(): void {
    const st = this.st;
    const n = st.n;
    const { A, J } = this;
    J.set(A);
    for (let i = 0; i < n; i++) J[i * n + i] += st.beta * st.nudge[i];
    const bI = st.net.dynamics.betaI;
    const eA = st.tmp[6]; // apical voltages, left there by the microcircuit drive
    for (const mc of microcircuitLayers(st)) {
      const l = mc.layer;
      const { wip, wpi, bip } = mc;
      const nl = l.size;
      const ni = wip.rows;
      // J_ll += -diag(d2 . eA) + (1 - betaI) D1 WPI WIP D1
      for (let r = 0; r < nl; r++) {
        const gi = l.offset + r;
        J[gi * n + gi] -= st.d2[gi] * eA[gi];
        const dr = st.d1[gi];
        if (dr === 0) continue;
        for (let c = 0; c < nl; c++) {
          const gc = l.offset + c;
          let s = 0;
          for (let q = 0; q < ni; q++) s += wpi.W[r * ni + q] * wip.W[q * nl + c];
          J[gi * n + gc] += (1 - bI) * dr * s * st.d1[gc];
        }
      }
      // J_l,up += -D1 (B - betaI WPI BIP)
      for (const B of mc.topdown) {
        const up = B.from;
        for (let r = 0; r < nl; r++) {
          const gi = l.offset + r;
          const dr = st.d1[gi];
          if (dr === 0) continue;
          for (let c = 0; c < up.size; c++) {
            let s = 0;
            if (bip.from === up) for (let q = 0; q < ni; q++) s += wpi.W[r * ni + q] * bip.W[q * up.size + c];
            J[gi * n + up.offset + c] -= dr * (B.W[r * up.size + c] - bI * s);
          }
        }
      }
    }
  }

  prepare(): void {
    this.assemble();
    const n = this.st.n;
    this.useCholesky = this.symmetric && cholesky(this.J, n);
    if (!this.useCholesky) {
      this.assemble();
      if (!luFactor(this.J, n, this.piv)) throw new Error('ideal model: the Jacobian of f is singular');
    }
  }

  solve(rhs: Float64Array, x: Float64Array): void {
    if (x !== rhs) x.set(rhs.subarray(0, this.st.n));
    if (this.useCholesky) choleskySolve(this.J, this.st.n, x);
    else luSolve(this.J, this.st.n, this.piv, x);
  }
}

function scatter(b: Block, M: Float64Array, n: number): void {
  for (let r = 0; r < b.rows; r++)
    for (let c = 0; c < b.cols; c++) M[(b.to.offset + r) * n + b.from.offset + c] += b.W[r * b.cols + c];
}

export interface MicrocircuitLayer {
  layer: PopSlice; // hidden pyramids l
  inter: PopSlice;
  wip: Block; // l -> inter
  wpi: Block; // inter -> l
  bip: Block; // l+1 -> inter
  topdown: Block[]; // l+1 -> l (B)
}

const mcCache = new WeakMap<NetState, MicrocircuitLayer[]>();
export function microcircuitLayers(st: NetState): MicrocircuitLayer[] {
  let list = mcCache.get(st);
  if (list) return list;
  list = st.bySpace.inter.map((inter) => {
    const wip = st.wipBlocks.find((b) => b.to === inter)!;
    const wpi = st.wpiBlocks.find((b) => b.from === inter)!;
    const bip = st.bipBlocks.find((b) => b.to === inter)!;
    const layer = wip.from;
    return { layer, inter, wip, wpi, bip, topdown: st.fbBlocks.filter((b) => b.to === layer) };
  });
  mcCache.set(st, list);
  return list;
}

export class LayeredSolver implements Solver {
  readonly kind = 'layered';
  private readonly idx: Int32Array;
  private k = 0;
  private readonly Z: Float64Array; // n x k: columns M^-1 e_j of the nudged neurons
  private readonly S: Float64Array; // k x k Woodbury capacitance
  private readonly piv: Int32Array;
  private readonly nOut: number;
  private readonly into: Map<PopSlice, Block[]>; // forward blocks into p
  private readonly fbInto: Map<PopSlice, Block[]>; // feedback blocks landing in p
  private readonly reverse: PopSlice[];
  private readonly col: Float64Array;
  private readonly dx: Float64Array;
  private readonly diag: Float64Array; // D = -rho'' . F em
  private readonly resid: Float64Array;
  private readonly prev: Float64Array;
  private hasDiag = false;
  private dense: DenseSolver | null = null;
  private useDense = false;
  /** defect-correction sweeps done and dense fallbacks taken (reported by counters) */
  sweeps = 0;
  fallbacks = 0;

  constructor(private readonly st: NetState) {
    this.nOut = st.bySpace.net.filter((p) => p.pop.kind === 'output').reduce((s, p) => s + p.size, 0);
    this.idx = new Int32Array(Math.max(1, st.n));
    this.Z = new Float64Array(st.n * Math.max(1, this.nOut));
    this.S = new Float64Array(Math.max(1, this.nOut * this.nOut));
    this.piv = new Int32Array(Math.max(1, this.nOut));
    this.into = new Map(st.topo.map((p) => [p, st.netBlocks.filter((b) => b.to === p)]));
    this.fbInto = new Map(
      st.topo.map((p) => [p, st.feedbackAlignment ? st.fbBlocks.filter((b) => b.to === p) : st.netBlocks.filter((b) => b.from === p)]),
    );
    this.reverse = st.topoReverse;
    this.col = st.k.alloc(st.n);
    this.dx = st.k.alloc(st.n);
    this.diag = st.k.alloc(st.n);
    this.resid = st.k.alloc(st.n);
    this.prev = st.k.alloc(st.n);
  }

  /** x <- M^-1 x with M = G A: backward pass (G^-1) then forward pass (A^-1). */
  private applyMinv(x: Float64Array): void {
    const st = this.st;
    const t = this.dx;
    for (const p of this.reverse) {
      const blocks = this.fbInto.get(p)!;
      if (blocks.length === 0) continue;
      t.fill(0, p.offset, p.offset + p.size);
      for (const b of blocks) st.feedbackAlignment ? st.blockMv(b, x, t) : st.blockMvT(b, x, t);
      for (let i = p.offset; i < p.offset + p.size; i++) x[i] += st.d1[i] * t[i];
    }
    const dx = this.col;
    for (const p of st.topo) {
      const blocks = this.into.get(p)!;
      if (blocks.length > 0) {
        t.fill(0, p.offset, p.offset + p.size);
        for (const b of blocks) st.blockMv(b, dx, t);
        for (let i = p.offset; i < p.offset + p.size; i++) x[i] += t[i];
      }
      for (let i = p.offset; i < p.offset + p.size; i++) dx[i] = st.d1[i] * x[i];
    }
  }

  prepare(): void {
    const st = this.st;
    const n = st.n;
    this.useDense = false;
    this.hasDiag = false;
    for (let i = 0; i < n && !this.hasDiag; i++) this.hasDiag = st.d2[i] !== 0;
    if (this.hasDiag) {
      st.fbMv(st.em, this.diag);
      for (let i = 0; i < n; i++) this.diag[i] = -st.d2[i] * this.diag[i];
    }
    const k = (this.k = nudged(st, this.idx));
    if (k === 0) return;
    if (k > this.nOut) throw new Error('ideal model: more nudged neurons than output neurons');
    const col = st.tmp[5];
    for (let c = 0; c < k; c++) {
      col.fill(0);
      col[this.idx[c]] = 1;
      this.applyMinv(col);
      for (let i = 0; i < n; i++) this.Z[i * k + c] = col[i];
    }
    for (let a = 0; a < k; a++)
      for (let c = 0; c < k; c++) this.S[a * k + c] = (a === c ? 1 / st.beta : 0) + this.Z[this.idx[a] * k + c];
    if (!luFactor(this.S, k, this.piv)) throw new Error('ideal model: singular Woodbury system');
  }

  /** x = (G A + beta P)^-1 x */
  private solveLayered(x: Float64Array): void {
    const st = this.st;
    const n = st.n;
    this.applyMinv(x);
    const k = this.k;
    if (k === 0) return;
    const c = st.tmp[4];
    for (let a = 0; a < k; a++) c[a] = x[this.idx[a]];
    luSolve(this.S, k, this.piv, c);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += this.Z[i * k + a] * c[a];
      x[i] -= s;
    }
  }

  solve(rhs: Float64Array, x: Float64Array): void {
    const n = this.st.n;
    if (this.useDense) return this.dense!.solve(rhs, x);
    if (!this.hasDiag) {
      if (x !== rhs) x.set(rhs.subarray(0, n));
      this.solveLayered(x);
      return;
    }
    const { resid, prev, diag } = this;
    resid.set(rhs.subarray(0, n));
    x.fill(0, 0, n);
    for (let sweep = 0; sweep < 60; sweep++) {
      prev.set(x.subarray(0, n));
      for (let i = 0; i < n; i++) x[i] = resid[i] - diag[i] * prev[i];
      this.solveLayered(x);
      this.sweeps++;
      let change = 0;
      let size = 0;
      for (let i = 0; i < n; i++) {
        change = Math.max(change, Math.abs(x[i] - prev[i]));
        size = Math.max(size, Math.abs(x[i]));
      }
      if (change <= 1e-15 * size) return;
    }
    // the sweeps did not converge (far from equilibrium): factorise J densely for this step
    this.fallbacks++;
    this.dense ??= new DenseSolver(this.st);
    this.dense.prepare();
    this.useDense = true;
    this.dense.solve(resid, x);
  }

  jacobian(): Float64Array {
    // column j of J = G A e_j + beta P e_j, by products (not inverses); scratch in st.tmp[0..3]
    const st = this.st;
    const n = st.n;
    const J = new Float64Array(n * n);
    const [a, fa, d1e, wd] = st.tmp;
    for (let j = 0; j < n; j++) {
      d1e.fill(0);
      d1e[j] = st.d1[j];
      st.netMv(d1e, wd);
      for (let i = 0; i < n; i++) a[i] = (i === j ? 1 : 0) - wd[i];
      st.fbMv(a, fa);
      for (let i = 0; i < n; i++) J[i * n + j] = a[i] - st.d1[i] * fa[i] + (i === j ? st.beta * st.nudge[i] : 0);
    }
    st.fbMv(st.em, fa);
    for (let i = 0; i < n; i++) J[i * n + i] -= st.d2[i] * fa[i];
    return J;
  }
}

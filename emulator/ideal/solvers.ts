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
  readonly kind: 'dense' | 'layered' | 'microcircuit';
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

/**
 * Microcircuit nets (spec section 4), exact block elimination instead of the dense LU of J.
 * The interneurons are instantaneous: with their voltage changes xI as extra unknowns, J udot = rhs
 * is the sparse augmented system
 *   pyramid i of a microcircuit layer l:  Dg_i x_i - (W D1 x_below)_i + d1_i (WPI xI - B x_up)_i = rhs_i
 *   other pyramids:                       Dg_i x_i - (W D1 x_below)_i = rhs_i
 *   interneuron q of layer l:             xI_q - (1 - betaI) (WIP D1 x_l)_q - betaI (BIP x_up)_q = 0
 * with Dg = 1 + beta P - d2 . eA (eliminating xI gives back J). Split the unknowns into K (every
 * interneuron and every pyramid population that sends a topdown or bip projection: 40 + 10 on the
 * paper's 784-300-10 net) and G (the other pyramids). The G x G block A = Dg - W_GG D1 is block
 * lower-triangular (only forward projections stay inside G), so A^-1 is a forward pass; the
 * Schur complement S = D_KK - C_KG A^-1 B_GK is |K| x |K| and is LU-factorised. A step costs one
 * product of the WIP-sized (and W_next-sized) blocks with the |G| x |K| matrix A^-1 B_GK (columns of
 * neurons with rho' = 0 skipped) plus an |K|^3 / 3 LU, instead of assembling the n x n J (an
 * n^2 x nI product) and its n^3 / 3 LU. Same system, other elimination order: equal to the dense
 * solve to rounding (tests/ideal). Falls back to the dense solve if a diagonal entry Dg is 0 or S
 * is singular.
 */
export class MicrocircuitSolver implements Solver {
  readonly kind = 'microcircuit';
  private readonly layers: MicrocircuitLayer[];
  /** per pyramid population: 'G' or 'K' and its first index there (interneuron populations: K) */
  private readonly place = new Map<PopSlice, { inK: boolean; at: number }>();
  private readonly gPops: PopSlice[]; // G populations in topological order
  private readonly kPyr: PopSlice[]; // pyramid populations in K
  private readonly nG: number;
  private readonly nK: number;
  private readonly Z: Float64Array; // nG x nK: A^-1 B_GK
  private readonly S: Float64Array; // nK x nK Schur complement, then its LU factors
  private readonly piv: Int32Array;
  private readonly dg: Float64Array; // diagonal Dg over the pyramids
  private readonly yG: Float64Array;
  private readonly xK: Float64Array;
  /** the blocks of C_KG: rows from row0 in K, columns of a G population, times s (and D1) */
  private readonly cBlocks: { row0: number; b: Block; from: PopSlice; s: number }[] = [];
  /** per G population feeding C_KG: its rows of Z with rho' != 0, transposed (nK x m), in kernel memory */
  private readonly zt = new Map<PopSlice, { ZT: Float64Array; idx: Int32Array; m: number }>();
  private readonly xa: Float64Array;
  private readonly tG: Float64Array;
  private readonly tK: Float64Array;
  private dense: DenseSolver | null = null;
  private useDense = false;
  /** steps that fell back to the dense solve (reported by counters) */
  fallbacks = 0;

  constructor(private readonly st: NetState) {
    if (st.nI === 0 || st.topo.length === 0) throw new Error('MicrocircuitSolver: needs a feedforward net with interneurons');
    this.layers = microcircuitLayers(st);
    const senders = new Set<PopSlice>();
    for (const mc of this.layers) {
      senders.add(mc.bip.from);
      for (const B of mc.topdown) senders.add(B.from);
    }
    let nG = 0;
    let nK = 0;
    this.gPops = [];
    this.kPyr = [];
    for (const p of st.topo) {
      if (senders.has(p)) {
        this.place.set(p, { inK: true, at: nK });
        this.kPyr.push(p);
        nK += p.size;
      } else {
        this.place.set(p, { inK: false, at: nG });
        this.gPops.push(p);
        nG += p.size;
      }
    }
    for (const p of st.bySpace.inter) {
      this.place.set(p, { inK: true, at: nK });
      nK += p.size;
    }
    this.nG = nG;
    this.nK = nK;
    this.Z = st.k.alloc(Math.max(1, nG * nK));
    this.S = st.k.alloc(nK * nK);
    const bI = st.net.dynamics.betaI;
    for (const b of st.netBlocks) {
      const from = this.at(b.from);
      const to = this.at(b.to);
      if (!from.inK && to.inK) this.cBlocks.push({ row0: to.at, b, from: b.from, s: 1 });
    }
    for (const mc of this.layers) if (!this.at(mc.layer).inK) this.cBlocks.push({ row0: this.at(mc.inter).at, b: mc.wip, from: mc.layer, s: 1 - bI });
    let widest = 1;
    for (const cb of this.cBlocks) {
      if (this.zt.has(cb.from)) continue;
      this.zt.set(cb.from, { ZT: st.k.alloc(Math.max(1, nK * cb.from.size)), idx: new Int32Array(cb.from.size), m: 0 });
      widest = Math.max(widest, cb.from.size);
    }
    this.xa = st.k.alloc(widest);
    this.piv = new Int32Array(nK);
    this.dg = new Float64Array(Math.max(1, st.n));
    this.yG = new Float64Array(Math.max(1, nG));
    this.xK = st.k.alloc(nK);
    this.tG = st.k.alloc(Math.max(1, nG));
    this.tK = st.k.alloc(nK);
  }

  private at(p: PopSlice): { inK: boolean; at: number } {
    return this.place.get(p)!;
  }

  prepare(): void {
    const st = this.st;
    const { n, d1 } = st;
    const { Z, S, dg, nK } = this;
    const bI = st.net.dynamics.betaI;
    this.useDense = false;
    const eA = st.tmp[6]; // apical voltages, left there by the microcircuit drive
    for (let i = 0; i < n; i++) dg[i] = 1 + st.beta * st.nudge[i];
    for (const mc of this.layers) for (let i = mc.layer.offset; i < mc.layer.offset + mc.layer.size; i++) dg[i] -= st.d2[i] * eA[i];
    for (let i = 0; i < n; i++) {
      if (dg[i] === 0) {
        this.fallBack();
        return;
      }
    }

    // Z = B_GK (the G rows of the K columns of the augmented system), then Z = A^-1 Z
    Z.fill(0);
    S.fill(0);
    for (const b of st.netBlocks) {
      const from = this.at(b.from);
      if (!from.inK) continue;
      const to = this.at(b.to);
      // -W D1 from a K population: into G rows (Z) or K rows (S)
      const M = to.inK ? S : Z;
      for (let r = 0; r < b.rows; r++) {
        const row = (to.at + r) * nK + from.at;
        for (let c = 0; c < b.cols; c++) {
          const d = d1[b.from.offset + c];
          if (d !== 0) M[row + c] -= b.W[r * b.cols + c] * d;
        }
      }
    }
    for (const mc of this.layers) {
      const l = this.at(mc.layer);
      const M = l.inK ? S : Z;
      const inter = this.at(mc.inter).at;
      const ni = mc.wpi.cols;
      const WPI = mc.wpi.W;
      const lo = mc.layer.offset;
      for (let r = 0; r < mc.layer.size; r++) {
        const d = d1[lo + r];
        if (d === 0) continue;
        // d1 WPI (interneuron columns)
        const row = (l.at + r) * nK + inter;
        for (let q = 0; q < ni; q++) M[row + q] += d * WPI[r * ni + q];
      }
      for (const B of mc.topdown) {
        // -d1 B (columns of the layer above)
        const up = this.at(B.from).at;
        const { W: BW, cols } = B;
        for (let r = 0; r < mc.layer.size; r++) {
          const d = d1[lo + r];
          if (d === 0) continue;
          const row = (l.at + r) * nK + up;
          for (let c = 0; c < cols; c++) M[row + c] -= d * BW[r * cols + c];
        }
      }
    }
    this.aInv(Z, nK);

    // S = D_KK - C_KG Z
    for (const p of this.kPyr) {
      const o = this.at(p).at;
      for (let r = 0; r < p.size; r++) S[(o + r) * nK + o + r] += dg[p.offset + r];
    }
    for (const mc of this.layers) {
      const inter = this.at(mc.inter).at;
      for (let q = 0; q < mc.inter.size; q++) S[(inter + q) * nK + inter + q] += 1;
      // -betaI BIP (the sender of bip is in K)
      const up = this.at(mc.bip.from).at;
      const bip = mc.bip;
      for (let q = 0; q < bip.rows; q++) for (let c = 0; c < bip.cols; c++) S[(inter + q) * nK + up + c] -= bI * bip.W[q * bip.cols + c];
      // -(1 - betaI) WIP D1 when the layer itself is in K (deeper nets); from G it is in C_KG
      const l = this.at(mc.layer);
      if (l.inK) {
        const wip = mc.wip;
        for (let q = 0; q < wip.rows; q++)
          for (let c = 0; c < wip.cols; c++) S[(inter + q) * nK + l.at + c] -= (1 - bI) * wip.W[q * wip.cols + c] * d1[mc.layer.offset + c];
      }
    }
    this.subtractCZ();
    if (!luFactor(S, nK, this.piv)) this.fallBack();
  }

  /**
   * xK -= C_KG yG. C_KG, the couplings from G columns into K rows, holds -W D1 (forward
   * projections from G into K pyramids) and -(1 - betaI) WIP D1 (interneurons of a layer in G), so
   * both are added.
   */
  private subtractC(xK: Float64Array, yG: Float64Array): void {
    const st = this.st;
    const d1 = st.d1;
    const { xa, tK } = this;
    for (const cb of this.cBlocks) {
      // xK[rows] += s W (D1 yG[from])
      const g0 = this.at(cb.from).at;
      const off = cb.from.offset;
      const { W, rows, cols } = cb.b;
      for (let c = 0; c < cols; c++) xa[c] = d1[off + c] * yG[g0 + c];
      st.k.gemv(W, rows, cols, xa, tK, false);
      for (let r = 0; r < rows; r++) xK[cb.row0 + r] += cb.s * tK[r];
    }
  }

  /**
   * S -= C_KG Z, the one product that grows with the layer sizes (|K| x |G| x |K|): per G
   * population the rows of Z with rho' != 0 are gathered, transposed, into kernel memory, and
   * every row of C_KG is one gemv over them.
   */
  private subtractCZ(): void {
    const st = this.st;
    const { Z, S, nK, xa } = this;
    const d1 = st.d1;
    for (const [P, z] of this.zt) {
      const g0 = this.at(P).at;
      let m = 0;
      for (let c = 0; c < P.size; c++) if (d1[P.offset + c] !== 0) z.idx[m++] = c;
      z.m = m;
      const { ZT, idx } = z;
      for (let a = 0; a < m; a++) {
        const zo = (g0 + idx[a]) * nK;
        for (let k = 0; k < nK; k++) ZT[k * m + a] = Z[zo + k];
      }
    }
    for (const cb of this.cBlocks) {
      const z = this.zt.get(cb.from)!;
      const m = z.m;
      if (m === 0) continue;
      const { W, cols, rows } = cb.b;
      const off = cb.from.offset;
      const idx = z.idx;
      for (let r = 0; r < rows; r++) {
        const wo = r * cols;
        for (let a = 0; a < m; a++) xa[a] = cb.s * W[wo + idx[a]] * d1[off + idx[a]];
        st.k.gemv(z.ZT, nK, m, xa, st.view(S, (cb.row0 + r) * nK, nK), true);
      }
    }
  }

  /** M[(row0 + r), :] += s W[r, c] d1[off + c] X[(x0 + c), :] over w columns, skipping d1 = 0 */
  private addProducts(M: Float64Array, row0: number, w: number, W: Float64Array, rows: number, cols: number, off: number, x0: number, X: Float64Array, s: number): void {
    const d1 = this.st.d1;
    for (let r = 0; r < rows; r++) {
      const mo = (row0 + r) * w;
      for (let c = 0; c < cols; c++) {
        const d = d1[off + c];
        if (d === 0) continue;
        const coef = s * W[r * cols + c] * d;
        if (coef === 0) continue;
        const xo = (x0 + c) * w;
        for (let k = 0; k < w; k++) M[mo + k] += coef * X[xo + k];
      }
    }
  }

  /** X = A^-1 X (X: nG x w): forward pass over the G populations, A = Dg - W_GG D1 */
  private aInv(X: Float64Array, w: number): void {
    const st = this.st;
    for (const p of this.gPops) {
      const to = this.at(p).at;
      for (const b of st.netBlocks) {
        if (b.to !== p) continue;
        const from = this.at(b.from);
        if (from.inK) continue;
        this.addProducts(X, to, w, b.W, b.rows, b.cols, b.from.offset, from.at, X, 1);
      }
      for (let r = 0; r < p.size; r++) {
        const dg = this.dg[p.offset + r];
        if (dg === 1) continue;
        const o = (to + r) * w;
        for (let k = 0; k < w; k++) X[o + k] /= dg;
      }
    }
  }

  private fallBack(): void {
    this.fallbacks++;
    this.dense ??= new DenseSolver(this.st);
    this.dense.prepare();
    this.useDense = true;
  }

  solve(rhs: Float64Array, x: Float64Array): void {
    if (this.useDense) return this.dense!.solve(rhs, x);
    const { yG, xK, Z, nK, nG } = this;
    // yG = A^-1 rhs_G; rK = rhs_K - C_KG yG (interneuron rows: 0); xK = S^-1 rK; xG = yG - Z xK
    for (const p of this.gPops) {
      const o = this.at(p).at;
      for (let r = 0; r < p.size; r++) yG[o + r] = rhs[p.offset + r];
    }
    xK.fill(0);
    for (const p of this.kPyr) {
      const o = this.at(p).at;
      for (let r = 0; r < p.size; r++) xK[o + r] = rhs[p.offset + r];
    }
    this.aInv(yG, 1);
    this.subtractC(xK, yG);
    luSolve(this.S, nK, this.piv, xK);
    const zx = this.tG;
    this.st.k.gemv(Z, nG, nK, xK, zx, false);
    for (let g = 0; g < nG; g++) yG[g] -= zx[g];
    for (const p of this.gPops) {
      const o = this.at(p).at;
      for (let r = 0; r < p.size; r++) x[p.offset + r] = yG[o + r];
    }
    for (const p of this.kPyr) {
      const o = this.at(p).at;
      for (let r = 0; r < p.size; r++) x[p.offset + r] = xK[o + r];
    }
  }

  jacobian(): Float64Array {
    // the same J the dense solver assembles (this solver never forms it)
    this.dense ??= new DenseSolver(this.st);
    return this.dense.jacobian();
  }
}

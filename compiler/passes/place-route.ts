// Pass `place_route`: Program (tiled by `map`) -> Machine. Puts population slices on cores
// (first fit by neuron circuits), crossbar blocks into crossbars (next to the core that owns
// their output, else the nearest one with room), then walks the tick's ops and cuts each into
// per-core tasks. Whenever a task needs a slice that lives on another core, a route carries it
// there (a send on the owner, a recv on the user); its hop count becomes a delay in ticks,
// which must fit the delay line. A received copy is reused until its vector is written again.
import { UserError } from '../common/errors.js';
import type { HwSpec } from '../hwspec/index.js';
import type { Block, Buffer, Machine, PortDecl, ProbeDecl, RouteDecl, Task } from '../ir/machine.js';
import type { Op, Program } from '../ir/program.js';

export interface PlaceOptions {
  /** "population.signal" of the probes to wire out (default: every probe of the program) */
  probes?: string[];
}

/** Network-time length of one tick on the chip, ns. */
export function tickNs(dt: number, spec: HwSpec): number {
  return (dt * 1e9) / spec.timing.acceleration;
}

/** Ticks a word needs for `hops` hops: the part of the hop latency that does not fit in one tick. */
export function routeDelay(hops: number, dt: number, spec: HwSpec): number {
  return Math.floor((hops * spec.mesh.hop_latency_ns) / tickNs(dt, spec));
}

/** bottom-left packing of rectangles into one crossbar (also used by pass replicate to re-pack) */
export class Crossbar {
  readonly rects: { r: number; c: number; m: number; n: number }[] = [];
  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {}

  /** bottom-left placement over the corners of what is placed; undefined when it does not fit */
  fit(m: number, n: number): { r: number; c: number } | undefined {
    const candidates = [{ r: 0, c: 0 }, ...this.rects.flatMap((x) => [{ r: x.r + x.m, c: x.c }, { r: x.r, c: x.c + x.n }, { r: 0, c: x.c + x.n }, { r: x.r + x.m, c: 0 }])];
    candidates.sort((a, b) => a.r - b.r || a.c - b.c);
    for (const p of candidates) {
      if (p.r + m > this.rows || p.c + n > this.cols) continue;
      if (this.rects.every((x) => p.r >= x.r + x.m || x.r >= p.r + m || p.c >= x.c + x.n || x.c >= p.c + n)) {
        this.rects.push({ ...p, m, n });
        return p;
      }
    }
    return undefined;
  }
}

export function placeRoute(program: Program, spec: HwSpec, opts: PlaceOptions = {}): Machine {
  const tiling = program.tiling;
  if (!tiling) throw new Error("place_route needs the output of 'map'");
  const total = spec.mesh.cols * spec.mesh.rows;
  const where = `hw-spec '${spec.name}'`;
  const coords = (k: number) => ({ x: k % spec.mesh.cols, y: Math.floor(k / spec.mesh.cols) });
  const hops = (a: number, b: number) => Math.abs(coords(a).x - coords(b).x) + Math.abs(coords(a).y - coords(b).y);

  // ---- population slices -> cores (first fit by neuron circuits and lookup-table slots; at most
  // one slice of a population per core, so that a port or probe has one segment per core) ----
  const used: number[] = [];
  const owner: Record<string, number[]> = {};
  // lookup tables each population's ops need; a core holds at most core.lut_slots of them
  const tables = new Map<string, Set<string>>();
  for (const o of program.ops) {
    if (o.op !== 'lut' && o.op !== 'std') continue;
    const pop = program.vectors[o.op === 'lut' ? o.dst : o.state]!.population!;
    if (!tables.has(pop)) tables.set(pop, new Set());
    tables.get(pop)!.add(JSON.stringify(o.fn));
  }
  const coreTables: Set<string>[] = [];
  const tablesFit = (k: number, pop: string) => new Set([...(coreTables[k] ?? []), ...(tables.get(pop) ?? [])]).size <= spec.core.lut_slots;
  for (const [pop, slices] of Object.entries(tiling.slices)) {
    const mine = new Set<number>();
    owner[pop] = slices.map(([s, e]) => {
      let core = used.findIndex((u, k) => u + (e - s) <= spec.core.neurons && !mine.has(k) && tablesFit(k, pop));
      if (core < 0) core = used.length;
      mine.add(core);
      coreTables[core] = new Set([...(coreTables[core] ?? []), ...(tables.get(pop) ?? [])]);
      if (core >= total)
        throw new UserError(`population '${pop}' (${slices.length} slices of up to ${tiling.sliceSize} neurons) does not fit: the ${total} cores of ${where} (${spec.core.neurons} neuron circuits each) are full. Use a spec with more cores or a smaller network`);
      used[core] = (used[core] ?? 0) + (e - s);
      return core;
    });
  }

  // ---- crossbar blocks -> cores ----
  const xbars: Crossbar[] = [];
  const xbar = (k: number) => (xbars[k] ??= new Crossbar(spec.core.crossbar.rows, spec.core.crossbar.cols));
  const blocks: Block[] = [];
  const blockIds: number[][] = program.matrices.map((M, mi) =>
    tiling.blocks[mi]!.map((b, bi) => {
      const near = owner[M.post]![b.j]!;
      const order = [...Array(total).keys()].sort((p, q) => hops(p, near) - hops(q, near) || p - q);
      for (const core of [near, owner[M.pre]![b.i]!, ...order]) {
        const at = xbar(core).fit(b.m, b.n);
        if (at) {
          blocks.push({ matrix: mi, ...b, core, xrow: at.r, xcol: at.c });
          return blocks.length - 1;
        }
      }
      throw new UserError(
        `projection '${M.name}' (${M.rows} x ${M.cols}) does not fit: after ${bi} of its ${tiling.blocks[mi]!.length} crossbar blocks of up to ${tiling.sliceSize} x ${tiling.sliceSize}, the ${total} crossbars of ${where} (${spec.core.crossbar.rows} x ${spec.core.crossbar.cols} each) are full. Use a spec with more cores or larger crossbars, or a smaller network`,
      );
    }),
  );

  // ---- tasks ----
  const buffers: Buffer[] = [];
  const tasks: Task[] = [];
  const routes: RouteDecl[] = [];
  const newBuffer = (b: Buffer) => buffers.push(b) - 1;
  const homes = new Map<string, number>();
  const vecs = program.vectors;
  const sliceOf = (pop: string, s: number) => tiling.slices[pop]![s]!;
  const home = (v: number, s: number): number => {
    const key = `${v}:${s}`;
    let id = homes.get(key);
    if (id === undefined) {
      const V = vecs[v]!;
      const [a, e] = sliceOf(V.population!, s);
      const init = typeof V.init === 'number' ? V.init : V.init.slice(a, e);
      id = newBuffer({ core: owner[V.population!]![s]!, length: e - a, name: `${V.name}[${a}:${e}]`, home: { vector: v, offset: a }, init });
      homes.set(key, id);
    }
    return id;
  };
  const consts = new Map<string, number>();
  const constOn = (v: number, pop: string, s: number): number => {
    const [a, e] = sliceOf(pop, s);
    const core = owner[pop]![s]!;
    const key = `${v}:${a}:${e}@${core}`;
    if (!consts.has(key)) {
      const V = vecs[v]!;
      consts.set(key, newBuffer({ core, length: e - a, name: `${V.name}[${a}:${e}]@${core}`, init: typeof V.init === 'number' ? V.init : V.init.slice(a, e) }));
    }
    return consts.get(key)!;
  };
  // received copies: key -> buffer, valid while the vector's version is unchanged
  const version = new Map<number, number>();
  const copies = new Map<string, { buffer: number; version: number }>();
  const staging = new Map<string, number>();
  const route = (src: number, dst: number, length: number, what: string): number => {
    const h = hops(src, dst);
    const delay = routeDelay(h, program.dt, spec);
    if (delay > spec.core.delay_line_depth)
      throw new UserError(
        `${what}: the route from core ${src} to core ${dst} (${h} hops x ${spec.mesh.hop_latency_ns} ns) takes ${delay} ticks of ${tickNs(program.dt, spec).toPrecision(3)} ns, the delay lines of ${where} hold ${spec.core.delay_line_depth}. Use a larger dt, a smaller acceleration or a spec with deeper delay lines`,
      );
    return routes.push({ src, dst, length, hops: h, delay }) - 1;
  };
  const stage = (key: string, core: number, length: number, name: string): number => {
    if (!staging.has(key)) staging.set(key, newBuffer({ core, length, name, init: 0 }));
    return staging.get(key)!;
  };
  /** the buffer on `core` that holds slice s of vector v (its home, or a fresh received copy) */
  const need = (v: number, s: number, core: number, from: number): number => {
    const h = home(v, s);
    const src = buffers[h]!.core;
    if (src === core) return h;
    const key = `${v}:${s}@${core}`;
    const ver = version.get(v) ?? 0;
    const c = copies.get(key);
    if (c && c.version === ver) return c.buffer;
    const buffer = stage(key, core, buffers[h]!.length, `${buffers[h]!.name}@${core}`);
    const r = route(src, core, buffers[h]!.length, `slice ${buffers[h]!.name}`);
    tasks.push({ t: 'send', route: r, src: h, core: src, from }, { t: 'recv', route: r, dst: buffer, core, from });
    copies.set(key, { buffer, version: ver });
    return buffer;
  };
  const wrote = (v: number) => version.set(v, (version.get(v) ?? 0) + 1);

  // ports: read at the start of the tick
  const ports: PortDecl[] = program.ports.map((p) => {
    const V = vecs[p.vector]!;
    const segments = tiling.slices[V.population!]!.map(([a, e], s) => ({ core: owner[V.population!]![s]!, offset: a, length: e - a, buffer: home(p.vector, s) }));
    return { kind: p.kind, population: p.population, size: V.length, segments };
  });
  ports.forEach((p, id) => p.segments.forEach((g, sg) => tasks.push({ t: 'port', port: id, segment: sg, dst: g.buffer, core: g.core, from: -1 })));
  const plasticCores = new Set<number>();

  program.ops.forEach((o, from) => {
    if (o.op === 'mvm') return mvmTasks(o, from);
    if (o.op === 'outer') return outerTasks(o, from);
    const dst = o.op === 'lpf' || o.op === 'leak' || o.op === 'std' ? o.state : o.dst;
    const pop = vecs[dst]!.population!;
    const operand = (v: number | undefined, s: number): number | undefined => {
      if (v === undefined) return undefined;
      const V = vecs[v]!;
      if (V.population === undefined) return constOn(v, pop, s);
      if (V.population !== pop) throw new Error(`place_route: op ${from} mixes populations ${pop} and ${V.population}`);
      return home(v, s);
    };
    tiling.slices[pop]!.forEach((_, s) => {
      const core = owner[pop]![s]!;
      const d = home(dst, s);
      const base = { core, from };
      switch (o.op) {
        case 'copy': {
          const A = vecs[o.a]!;
          if (A.population === undefined && typeof A.init === 'number') return void tasks.push({ t: 'vec', op: 'set', dst: d, value: A.init, ...base });
          return void tasks.push({ t: 'vec', op: 'copy', dst: d, a: operand(o.a, s), ...base });
        }
        case 'add':
        case 'sub':
        case 'mul':
          return void tasks.push({ t: 'vec', op: o.op, dst: d, a: operand(o.a, s), b: operand(o.b, s), ...base });
        case 'scale':
          return void tasks.push({ t: 'vec', op: 'scale', dst: d, a: operand(o.a, s), k: o.k, ...base });
        case 'axpy':
          return void tasks.push({ t: 'vec', op: 'axpy', dst: d, a: operand(o.a, s), b: operand(o.b, s), k: o.k, ...base });
        case 'lut':
          return void tasks.push({ t: 'vec', op: 'lut', dst: d, a: operand(o.a, s), fn: o.fn, ...base });
        case 'lpf':
          return void tasks.push({ t: 'vec', op: 'lpf', dst: d, a: operand(o.x, s), k: o.k, ...base });
        case 'leak':
          return void tasks.push({ t: 'vec', op: 'leak', dst: d, a: operand(o.drive, s), k: o.k, ...base });
        case 'std':
          return void tasks.push({ t: 'vec', op: 'std', dst: d, a: operand(o.rbar, s), k: o.k, fn: o.fn, ...base });
        case 'outer_bias':
          plasticCores.add(core);
          return void tasks.push({ t: 'vec', op: 'axpy', dst: d, a: d, b: operand(o.a, s), k: o.rate, plastic: true, ...base });
      }
    });
    wrote(dst);
  });

  function mvmTasks(o: Extract<Op, { op: 'mvm' }>, from: number): void {
    const M = program.matrices[o.m]!;
    const [inPop, outPop] = o.transpose ? [M.post, M.pre] : [M.pre, M.post];
    tiling!.slices[outPop]!.forEach((_, so) => {
      const dstCore = owner[outPop]![so]!;
      const d = home(o.dst, so);
      const mine = blockIds[o.m]!.filter((b) => (o.transpose ? blocks[b]!.i : blocks[b]!.j) === so);
      // local blocks first: they write dst directly
      mine.sort((p, q) => Number(blocks[p]!.core !== dstCore) - Number(blocks[q]!.core !== dstCore) || p - q);
      let first = !o.accumulate;
      for (const b of mine) {
        const B = blocks[b]!;
        const x = need(o.x, o.transpose ? B.j : B.i, B.core, from);
        if (B.core === dstCore) {
          tasks.push({ t: 'mvm', dst: d, src: x, block: b, transpose: o.transpose, accumulate: !first, core: B.core, from });
        } else {
          const len = buffers[d]!.length;
          const part = stage(`part:${from}:${b}`, B.core, len, `part.${M.name}.${b}@${B.core}`);
          tasks.push({ t: 'mvm', dst: part, src: x, block: b, transpose: o.transpose, accumulate: false, core: B.core, from });
          const r = route(B.core, dstCore, len, `partial sums of projection '${M.name}'`);
          const got = stage(`sum:${from}:${b}`, dstCore, len, `part.${M.name}.${b}@${dstCore}`);
          tasks.push({ t: 'send', route: r, src: part, core: B.core, from }, { t: 'recv', route: r, dst: got, core: dstCore, from });
          tasks.push(first ? { t: 'vec', op: 'copy', dst: d, a: got, core: dstCore, from } : { t: 'vec', op: 'add', dst: d, a: d, b: got, core: dstCore, from });
        }
        first = false;
      }
      if (first) tasks.push({ t: 'vec', op: 'set', dst: d, value: 0, core: dstCore, from });
    });
    wrote(o.dst);
  }

  function outerTasks(o: Extract<Op, { op: 'outer' }>, from: number): void {
    if (program.matrices[o.m]!.rate === 0) return;
    for (const b of blockIds[o.m]!) {
      const B = blocks[b]!;
      const a = need(o.x, B.i, B.core, from); // presynaptic rates: crossbar rows
      const x = need(o.a, B.j, B.core, from); // postsynaptic errors: crossbar columns
      const tmp = stage(`outer:${b}`, B.core, B.m, `tmp.outer.${b}`);
      plasticCores.add(B.core);
      tasks.push({ t: 'outer', a, x, tmp, block: b, core: B.core, from, plastic: true });
    }
  }

  // the learning-enable flag, one word on every core that learns
  if (plasticCores.size) {
    const cores = [...plasticCores].sort((p, q) => p - q);
    const segments = cores.map((core) => ({ core, offset: 0, length: 1, buffer: newBuffer({ core, length: 1, name: `plastic@${core}`, init: 1 }) }));
    ports.push({ kind: 'plastic', population: '', size: 1, segments });
    segments.forEach((g, sg) => tasks.unshift({ t: 'port', port: ports.length - 1, segment: sg, dst: g.buffer, core: g.core, from: -1 }));
  }

  // probes: read at the end of the tick
  const wanted = opts.probes ? new Set(opts.probes) : undefined;
  const probes: ProbeDecl[] = program.probes
    .filter((p) => !wanted || wanted.has(`${p.population}.${p.signal}`))
    .map((p) => {
      const V = vecs[p.vector]!;
      const segments = tiling.slices[p.population]!.map(([a, e], s) => ({ core: owner[p.population]![s]!, offset: a, length: e - a, buffer: home(p.vector, s) }));
      return { population: p.population, signal: p.signal, size: V.length, segments };
    });
  probes.forEach((p, id) => p.segments.forEach((g, sg) => tasks.push({ t: 'probe', probe: id, segment: sg, src: g.buffer, core: g.core, from: -1 })));

  // state vectors need a home even when no op of this tick touches a slice
  program.vectors.forEach((V, v) => {
    if (V.population !== undefined && (V.role === 'state' || V.role === 'param')) tiling.slices[V.population]!.forEach((_, s) => home(v, s));
  });
  const cores = Math.max(used.length, xbars.length, ...buffers.map((b) => b.core + 1));
  return { program, cores, meshCols: spec.mesh.cols, buffers, blocks, routes, ports, probes, tasks };
}

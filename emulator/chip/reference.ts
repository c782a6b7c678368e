// THE REFERENCE INTERPRETER of the chip: a slow, obvious execution of an Image, instruction by
// instruction, that defines what the chip does; the Wasm core must match it bit for bit. This
// file is the chip level: one tick runs every core's program from word 0 in barrier-separated
// phases, and owns control flow, routes (delay lines), host ports and probes; datapath.ts computes.
// docs/emulator.md is the prose version, including every decision docs/isa.md leaves open.
import { UserError } from '../../compiler/common/errors.js';
import type { HwSpec } from '../../compiler/hwspec/types.js';
import type { Image, PortMap, ProbeMap, Route } from '../../compiler/image/types.js';
import { print, type InstrFor } from '../../compiler/isa/index.js';
import { ChipCounters, CoreCounters } from './counters.js';
import { Datapath, SEQUENCER_MNEMONICS, type SequencerMnemonic } from './datapath.js';
import { loadChip, type LoadedChip, type LoadedCore, type LoadedInstr } from './load.js';
import { coreGenerators } from './random.js';

export interface ChipOptions {
  /** the run seed (default 0): read noise and stochastic rounding; mismatch depends on the hw-spec seed only */
  seed?: number;
}

/** An open `loop`: its body is words [bodyStart, end), `remaining` iterations including the current one. */
interface OpenLoop {
  bodyStart: number;
  end: number;
  remaining: number;
}

type CoreStatus = 'running' | 'at_barrier' | 'halted';

/** The text of a runtime error: the tick, the core, the word and the instruction that starts there. */
export function runtimeErrorText(tick: number, core: LoadedCore, word: number, message: string): string {
  const k = core.instrAt[word];
  const what = k !== undefined && k >= 0 ? ` (${print(core.program[k]!.instr)})` : '';
  return `chip tick ${tick}: core ${core.index}, word ${word}${what}: ${message}`;
}

/** What went wrong, for runtimeErrorText (shared with the Wasm core's host, which must say the same). */
export const RUNTIME_ERRORS = {
  ranOffEnd: (words: number) => `ran past the end of its ${words}-word program without halt`,
  haltedWhileWaiting: (waitingCore: number, waitingWord: number, phase: number) =>
    `halted while core ${waitingCore} waits at its barrier (word ${waitingWord}), barrier ${phase + 1} of this tick; every core must execute the same number of barriers`,
  routeRace: (id: number, r: Route) =>
    `route ${id} (core ${r.srcCore} -> core ${r.dstCore}) has no delay, and its send and recv ran in the same barrier phase: what arrives would depend on the order the cores run in. Put a barrier between them`,
};

/** One core: its datapath and its sequencer state. */
class CoreRun {
  pc = 0;
  loops: OpenLoop[] = [];
  status: CoreStatus = 'running';
  /** word of the barrier it waits at, or of its halt */
  stoppedAt = 0;
  /** cycles spent in the current barrier phase */
  phaseCycles = 0;

  constructor(
    readonly loaded: LoadedCore,
    readonly datapath: Datapath,
    readonly counters: CoreCounters,
  ) {}

  get index(): number {
    return this.loaded.index;
  }
}

/** A route's delay line: a ring of delay + 1 vectors; a send at tick t fills slot t mod (delay + 1). */
class DelayLine {
  readonly slots: Int32Array[];
  /** tick and barrier phase of the last send and recv, to catch both in one phase on a delay-0 route */
  private lastSend = { tick: -1, phase: -1 };
  private lastRecv = { tick: -1, phase: -1 };

  constructor(readonly route: Route) {
    this.slots = Array.from({ length: route.delay + 1 }, () => new Int32Array(route.length));
  }

  /** With no delay, a send and a recv in one barrier phase race: the result would depend on core order. */
  private races(other: { tick: number; phase: number }, tick: number, phase: number): boolean {
    return this.route.delay === 0 && other.tick === tick && other.phase === phase;
  }

  /** Returns false on a race. */
  send(tick: number, phase: number, words: Int32Array): boolean {
    this.slots[tick % this.slots.length]!.set(words);
    this.lastSend = { tick, phase };
    return !this.races(this.lastRecv, tick, phase);
  }

  /** What was sent `delay` ticks ago: slot (tick - delay) mod (delay + 1) = (tick + 1) mod (delay + 1); undefined on a race. */
  recv(tick: number, phase: number): Int32Array | undefined {
    this.lastRecv = { tick, phase };
    return this.races(this.lastSend, tick, phase) ? undefined : this.slots[(tick + 1) % this.slots.length]!;
  }
}

/** The run seed of `options`, checked. */
export function runSeedOption(options: ChipOptions): number {
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`run seed must be a whole number >= 0, got ${options.seed}`);
  return seed;
}

export class ChipReference {
  readonly spec: HwSpec;
  readonly chip: LoadedChip;
  readonly counters: ChipCounters;
  /** ticks run since construction or reset(): the clock of the delay lines */
  tick = 0;
  private cores: CoreRun[] = [];
  private lines = new Map<number, DelayLine>();
  /** codes the host writes before a tick, per port id (whole population vectors) */
  readonly portCodes = new Map<number, Int32Array>();
  /** codes the probes wrote in the last tick, per probe id (whole population vectors) */
  readonly probeCodes = new Map<number, Int32Array>();
  private readonly runSeed: number;

  constructor(
    readonly image: Image,
    options: ChipOptions = {},
  ) {
    // images are checked when read (readImage validates the spec); an in-memory image is trusted
    this.spec = JSON.parse(image.hwSpecJson) as HwSpec;
    this.runSeed = runSeedOption(options);
    this.chip = loadChip(image, this.spec);
    this.counters = new ChipCounters(this.spec, image.header.dt, this.chip.cores.map((c) => c.index));
    this.reset();
  }

  /** Back to the state of the image: memory, crossbars, delay lines, ports, probes, generators, counters. */
  reset(): void {
    this.tick = 0;
    this.counters.reset();
    this.cores = this.chip.cores.map((loaded, k) => {
      const counters = this.counters.cores[k]!;
      return new CoreRun(loaded, new Datapath(loaded, this.spec, coreGenerators(this.spec, this.runSeed, loaded.index), counters.events), counters);
    });
    this.lines = new Map([...this.chip.routes].map(([id, r]) => [id, new DelayLine(r)]));
    for (const [id, p] of this.chip.ports) this.portCodes.set(id, new Int32Array(p.size));
    for (const [id, p] of this.chip.probes) this.probeCodes.set(id, new Int32Array(p.size));
  }

  /** The datapath of core `index` (memory, crossbar), for hosts and tests. */
  core(index: number): Datapath {
    const c = this.cores.find((k) => k.index === index);
    if (!c) throw new UserError(`the image has no core ${index} (cores: ${this.cores.map((k) => k.index).join(', ')})`);
    return c.datapath;
  }

  /**
   * One tick: every core runs its program from word 0 until its next barrier or its halt, in
   * ascending core order; when every core waits at a barrier, all continue; when all have halted,
   * the tick ends. A core that halts while others wait is an error.
   */
  step(): void {
    for (const c of this.cores) {
      c.pc = 0;
      c.loops = [];
      c.status = 'running';
      c.phaseCycles = 0;
    }
    let critical = 0;
    for (let phase = 0; ; phase++) {
      for (const c of this.cores) if (c.status === 'running') this.run(c, phase);
      critical += Math.max(0, ...this.cores.map((c) => c.phaseCycles));
      for (const c of this.cores) c.phaseCycles = 0;
      const waiting = this.cores.filter((c) => c.status === 'at_barrier');
      if (waiting.length === 0) break;
      const halted = this.cores.find((c) => c.status === 'halted');
      if (halted) {
        throw this.runtimeError(halted, halted.stoppedAt, RUNTIME_ERRORS.haltedWhileWaiting(waiting[0]!.index, waiting[0]!.stoppedAt, phase));
      }
      for (const c of waiting) c.status = 'running';
    }
    this.counters.endTick(critical);
    this.tick++;
  }

  private runtimeError(c: CoreRun, word: number, message: string): UserError {
    return new UserError(runtimeErrorText(this.tick, c.loaded, word, message));
  }

  private race(c: CoreRun, li: LoadedInstr, route: number): UserError {
    return this.runtimeError(c, li.word, RUNTIME_ERRORS.routeRace(route, this.chip.routes.get(route)!));
  }

  /** Runs core `c` until it reaches a barrier or halts. */
  private run(c: CoreRun, phase: number): void {
    const { program, instrAt } = c.loaded;
    for (;;) {
      const k = instrAt[c.pc];
      if (k === undefined) throw this.runtimeError(c, c.pc, RUNTIME_ERRORS.ranOffEnd(instrAt.length));
      const li = program[k]!;
      c.phaseCycles += c.counters.charge(li);
      let next = li.next;
      const op = li.instr.op;
      if (isSequencer(op)) {
        const flow = this.sequence(c, li, phase);
        if (flow === 'stop') return;
        next = flow;
      } else {
        c.datapath.execute(li);
      }
      c.pc = this.endOfBody(c, next);
    }
  }

  /** Reaching the end of an open loop's body starts its next iteration or closes it. */
  private endOfBody(c: CoreRun, pc: number): number {
    while (c.loops.length > 0 && pc === c.loops[c.loops.length - 1]!.end) {
      const top = c.loops[c.loops.length - 1]!;
      if (--top.remaining > 0) return top.bodyStart;
      c.loops.pop();
    }
    return pc;
  }

  /** Control flow, routes, ports and probes; returns the next pc, or 'stop' at a barrier or halt. */
  private sequence(c: CoreRun, li: LoadedInstr, phase: number): number | 'stop' {
    const i = li.instr as InstrFor<SequencerMnemonic>;
    const mem = c.datapath;
    switch (i.op) {
      case 'halt':
        c.status = 'halted';
        c.stoppedAt = li.word;
        return 'stop';
      case 'barrier':
        c.status = 'at_barrier';
        c.stoppedAt = li.word;
        c.pc = this.endOfBody(c, li.next);
        return 'stop';
      case 'nop':
        return li.next;
      case 'jmp':
        return i.target;
      case 'jz':
        return mem.memory[i.flag] === 0 ? i.target : li.next;
      case 'loop':
        if (i.count === 0) return i.end;
        c.loops.push({ bodyStart: li.next, end: i.end, remaining: i.count });
        return li.next;
      case 'send':
        if (!this.lines.get(i.route)!.send(this.tick, phase, mem.read(i.src, i.len))) throw this.race(c, li, i.route);
        return li.next;
      case 'recv': {
        const words = this.lines.get(i.route)!.recv(this.tick, phase);
        if (!words) throw this.race(c, li, i.route);
        mem.write(i.dst, words.subarray(0, i.len));
        return li.next;
      }
      case 'in':
      case 'tgt': {
        const g = li.segment!;
        mem.write(i.dst, this.portCodes.get(i.port)!.subarray(g.offset, g.offset + i.len));
        return li.next;
      }
      case 'probe': {
        const g = li.segment!;
        this.probeCodes.get(i.probe)!.set(mem.read(i.src, i.len), g.offset);
        return li.next;
      }
    }
  }

  /** The port of `kind` for `population`, or undefined. */
  findPort(kind: PortMap['kind'], population?: string): PortMap | undefined {
    return [...this.chip.ports.values()].find((p) => p.kind === kind && (population === undefined || p.population === population));
  }

  findProbe(population: string, signal: string): ProbeMap | undefined {
    return [...this.chip.probes.values()].find((p) => p.population === population && p.signal === signal);
  }
}

const SEQUENCER = new Set<string>(SEQUENCER_MNEMONICS);

function isSequencer(op: string): op is SequencerMnemonic {
  return SEQUENCER.has(op);
}

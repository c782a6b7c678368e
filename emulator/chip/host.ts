// The host side of the reference chip: the Backend interface (emulator/backend.ts) in real units.
// Real values become codes through each port segment's fracBits (round, then saturate to
// formats.state), probe codes become real values the same way, and projections' weights are read
// back from their crossbar blocks through the matrix scale.
import { UserError } from '../../compiler/common/errors.js';
import { codeRange, type CodeRange } from '../../compiler/hwspec/types.js';
import type { Image, PortMap, ProbeMap } from '../../compiler/image/types.js';
import type { Signal } from '../../compiler/network/index.js';
import type { Backend } from '../backend.js';
import { cycleSummary, energySummary, flatCounters, type CycleSummary, type EnergySummary } from './counters.js';
import { ChipReference, type ChipOptions } from './reference.js';

/** What every emulator of the chip offers (this reference and the Wasm core of wasm.ts). */
export interface ChipEmulator extends Backend {
  /** ticks run since the chip was created or reset() (start() does not change it) */
  readonly tick: number;
  /** back to the image's initial state (memory, weights, delay lines, generators, counters) */
  reset(): void;
  /** real weights of a projection, post x pre, row-major (rows = postsynaptic) */
  weights(projection: string): Float64Array;
  energy(): EnergySummary;
  cycles(): CycleSummary;
}

export interface Chip extends ChipEmulator {
  readonly reference: ChipReference;
}

// ---- the real-unit side of any implementation of the chip (this reference, the Wasm core)

export function requirePort(p: PortMap | undefined, kind: PortMap['kind'], population: string): PortMap {
  if (!p) throw new UserError(`the image has no ${kind} port for population '${population}'`);
  return p;
}

export function requireProbe(p: ProbeMap | undefined, population: string, signal: string): ProbeMap {
  if (!p) throw new UserError(`signal '${signal}' of '${population}' is not probed in this image`);
  return p;
}

/** codes = round(x * 2^fracBits), saturated to formats.state, into the port's segments; returns the values it clamped */
export function writePortCodes(p: PortMap, values: ArrayLike<number>, codes: Int32Array, state: CodeRange): number {
  if (values.length !== p.size) throw new UserError(`${p.kind} port of '${p.population}': expected ${p.size} values, got ${values.length}`);
  const { min, max } = state;
  let saturations = 0;
  for (const g of p.segments) {
    // 2 ** n is a library call in V8 unless n is a constant: once per segment
    const scale = 2 ** g.fracBits;
    for (let k = g.offset; k < g.offset + g.length; k++) {
      const code = Math.round(values[k]! * scale);
      if (code < min || code > max) saturations++;
      codes[k] = Math.min(max, Math.max(min, code));
    }
  }
  return saturations;
}

/** probe codes -> real values, per segment */
export function readProbeCodes(p: ProbeMap, codes: Int32Array, out: Float64Array): void {
  for (const g of p.segments) {
    const scale = 2 ** -g.fracBits;
    for (let k = g.offset; k < g.offset + g.length; k++) out[k] = codes[k]! * scale;
  }
}

/** W[post][pre] = crossbar code / scale over the projection's blocks, row-major post x pre */
export function projectionWeights(image: Image, projection: string, crossbar: (core: number) => { cell(row: number, col: number): number }): Float64Array {
  const M = image.matrices.find((m) => m.name === projection);
  if (!M) throw new UserError(`the image has no projection '${projection}' (it has: ${image.matrices.map((m) => m.name).join(', ')})`);
  const out = new Float64Array(M.rows * M.cols);
  for (const b of M.blocks) {
    const core = crossbar(b.core);
    for (let p = 0; p < b.m; p++) for (let q = 0; q < b.n; q++) out[(b.post0 + q) * M.cols + b.pre0 + p] = core.cell(b.xrow + p, b.xcol + q) / M.scale;
  }
  return out;
}

class ChipHost implements Chip {
  readonly name = 'chip-reference';
  readonly reference: ChipReference;
  /** port values the host clamped to formats.state since start() */
  private inputSaturations = 0;

  constructor(image: Image, options: ChipOptions) {
    this.reference = new ChipReference(image, options);
  }

  get tick(): number {
    return this.reference.tick;
  }

  private port(kind: PortMap['kind'], population: string): PortMap {
    return requirePort(this.reference.findPort(kind, population), kind, population);
  }

  private writePort(p: PortMap, values: ArrayLike<number>): void {
    this.inputSaturations += writePortCodes(p, values, this.reference.portCodes.get(p.id)!, codeRange(this.reference.spec.formats.state));
  }

  setInput(population: string, values: Float64Array): void {
    this.writePort(this.port('input', population), values);
  }

  setTarget(population: string, values: Float64Array, nudge: Float64Array): void {
    this.writePort(this.port('target', population), values);
    this.writePort(this.port('nudge', population), nudge);
  }

  /** the learning-enable flag of every learning core (the 'plastic' port), if the image has one */
  setPlastic(on: boolean): void {
    const p = this.reference.findPort('plastic');
    if (p) this.reference.portCodes.get(p.id)!.fill(on ? 1 : 0);
  }

  /** The chip cannot settle onto an equilibrium: start() only zeroes the counters. */
  start(): void {
    this.reference.counters.reset();
    this.inputSaturations = 0;
  }

  step(): void {
    this.reference.step();
  }

  probe(population: string, signal: Signal, out: Float64Array): void {
    const p = requireProbe(this.reference.findProbe(population, signal), population, signal);
    readProbeCodes(p, this.reference.probeCodes.get(p.id)!, out);
  }

  counters(): Record<string, number> {
    return { ...flatCounters(this.reference.counters), saturation_input: this.inputSaturations };
  }

  reset(): void {
    this.reference.reset();
    this.inputSaturations = 0;
  }

  weights(projection: string): Float64Array {
    return projectionWeights(this.reference.image, projection, (core) => this.reference.core(core));
  }

  energy(): EnergySummary {
    return energySummary(this.reference.counters);
  }

  cycles(): CycleSummary {
    return cycleSummary(this.reference.counters);
  }
}

/** The reference chip behind the Backend interface; `seed` is the run seed (default 0). */
export function createChip(image: Image, options: ChipOptions = {}): Chip {
  return new ChipHost(image, options);
}

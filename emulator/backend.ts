// The one interface every model of a network implements: the ideal float model now; the
// lowered f64 program and the emulated chip later. A runner (simulate.ts) drives any of them.
import type { Signal } from '../compiler/network/index.js';

export interface Backend {
  readonly name: string;
  /** raw input rates r_in of one input population for the coming step */
  setInput(population: string, values: Float64Array): void;
  /** target voltages u* of one output population and its nudge mask (1 = nudged) */
  setTarget(population: string, values: Float64Array, nudge: Float64Array): void;
  /** plasticity on or off (per phase) */
  setPlastic(on: boolean): void;
  /** settle onto the equilibrium at t = 0 (after the first inputs and targets are set) */
  start(): void;
  /** advance one step dt */
  step(): void;
  /** copy one signal of one population into out (length = population size) */
  probe(population: string, signal: Signal, out: Float64Array): void;
  /** event and operation counters since start */
  counters(): Record<string, number>;
}

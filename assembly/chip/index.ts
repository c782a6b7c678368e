// The chip core in Wasm (build/chip.wasm): the same chip as the reference interpreter
// (emulator/chip/reference.ts), bit for bit, on a memory the host lays out at load
// (emulator/chip/wasm-layout.ts; the records are in layout.ts). Imports: env.memory (the host's,
// never grown), env.abort and env.log (Math.log, for outer.sr's thinned rows: the only host call
// while it runs); no libm.
//
//   sequencer.ts  a tick: phases, control flow, routes, ports, probes, counters
//   vector.ts     the vector unit;  crossbar.ts  DAC, line sums, ADC, plasticity
//   arith.ts      sat, rnd, scl;    random.ts    xoshiro128**, read noise, rounding bits, outer.sr's counter-based draws
//   state.ts      hw-spec constants and the active core in globals
import { configure } from './state';
import { setConfig } from './sequencer';
import { fill, nextU32, noiseReadKey, outerExecutionKey, outerRowKey, outerWord, readNoises, seedGenerator as seed, uniform } from './random';

export * from './layout';
export { tick, resetTicks } from './sequencer';

/** First free byte after the module's static data (its scratch vectors); the host lays out from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Reads the hw-spec constants of the config block at `cfg`; once, after the host wrote it. */
export function init(cfg: usize): void {
  configure(cfg);
  setConfig(cfg);
}

/** Seeds the generator at `at` as new Rng(seed, stream) (both already ToUint32). */
export function seedGenerator(at: usize, s: u32, stream: u32): void {
  seed(at, s, stream);
}

// ---- for the tests: the generators against compiler/common/rng.ts and emulator/chip/random.ts
export function rngNextU32(at: usize): u32 {
  return nextU32(at);
}

/** n draws into out (u32), or only advances the generator with out = 0 */
export function rngFill(at: usize, out: usize, n: i32): void {
  fill(at, out, n);
}


export function rngUniform(at: usize): f64 {
  return uniform(at);
}

/** the read noise of lines 0 .. n - 1 of read m of the core with key N, into out (f64) */
export function rngReadNoises(key: u32, m: u32, out: usize, n: i32): void {
  readNoises(noiseReadKey(key, m), out, n);
}

/** outer.sr's word k of cell (r, c) of execution n of the core with key K */
export function rngOuterWord(key: u32, n: u32, r: i32, c: i32, k: i32): u32 {
  return outerWord(outerRowKey(outerExecutionKey(key, n), r), c, k);
}

/** the portable logarithm of outer.sr's thinned rows (emulator/chip/ln.ts) */
export { ln as portableLn } from './ln';

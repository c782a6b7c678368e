// The core's registers: the hw-spec constants (read once from the config block by configure())
// and the core being run (activate() / deactivate() around every stretch a core runs). Globals
// instead of loads through pointers in the hot loops; range events are counted here and added to
// the core's counters when it stops.
import {
  CFG_ADC_MAX, CFG_ADC_MIN, CFG_ADC_OFFSET, CFG_DAC_GAIN, CFG_DAC_MAX, CFG_DAC_MIN, CFG_DAC_OFFSET,
  CFG_NOISE, CFG_READ_STD, CFG_ROUND_ADC, CFG_ROUND_STATE, CFG_SCRATCH, CFG_STATE_MAX, CFG_STATE_MIN, CFG_SUM_MODE, MAX_VECTOR,
  CFG_CELLS_IN_RANGE, CFG_WEIGHT_MAX, CFG_WEIGHT_MIN, CFG_XBAR_COLS, CFG_XBAR_I16, CFG_XBAR_ROWS,
  CNT_ADC_CLIPS, CNT_DAC_CLIPS, CNT_DRAWS, CNT_STATE_SAT, CNT_WEIGHT_SAT,
  CORE_COUNTERS, CORE_DIAG, CORE_MEM, CORE_MISMATCH, CORE_RNG, CORE_XBAR, RNG_NOISE_KEY, RNG_OUTER_KEY, RNG_ROUNDING,
} from './layout';

// ---- hw-spec constants
export let stateMin: i64 = 0;
export let stateMax: i64 = 0;
export let weightMin: i64 = 0;
export let weightMax: i64 = 0;
export let dacMin: f64 = 0;
export let dacMax: f64 = 0;
export let dacGain: f64 = 0;
export let dacOffset: f64 = 0;
export let adcMin: f64 = 0;
export let adcMax: f64 = 0;
export let adcOffset: f64 = 0;
export let noiseOn: bool = false;
export let readStd: f64 = 0;
export let roundState: i32 = 0;
export let roundAdc: i32 = 0;
export let sumMode: i32 = 0;
export let xbarI16: bool = false;
export let xbarRows: i32 = 0;
export let xbarCols: i32 = 0;
export let cellsInRange: bool = false;

// ---- scratch vectors (MAX_VECTOR elements each)
/** results of an instruction whose dst overlaps a source (i32) */
export let OUT: usize = 0;
/** DAC drives of a crossbar read (f64, and i64 in the integer sum modes) */
export let DRIVE_F: usize = 0;
export let DRIVE_I: usize = 0;
/** line sums of a crossbar read (f64, and i64 or i32 in the integer sum modes) */
export let SUM_F: usize = 0;
export let SUM_I: usize = 0;
/** read noise of a crossbar read: one f64 per line */
export let NOISE: usize = 0;
/** the rows of a forward read with a nonzero drive: address of their first cell, drive (2 i32) */
export let LIVE: usize = 0;

export function configure(cfg: usize): void {
  stateMin = <i64>load<f64>(cfg + CFG_STATE_MIN);
  stateMax = <i64>load<f64>(cfg + CFG_STATE_MAX);
  weightMin = <i64>load<f64>(cfg + CFG_WEIGHT_MIN);
  weightMax = <i64>load<f64>(cfg + CFG_WEIGHT_MAX);
  dacMin = load<f64>(cfg + CFG_DAC_MIN);
  dacMax = load<f64>(cfg + CFG_DAC_MAX);
  dacGain = load<f64>(cfg + CFG_DAC_GAIN);
  dacOffset = load<f64>(cfg + CFG_DAC_OFFSET);
  adcMin = load<f64>(cfg + CFG_ADC_MIN);
  adcMax = load<f64>(cfg + CFG_ADC_MAX);
  adcOffset = load<f64>(cfg + CFG_ADC_OFFSET);
  noiseOn = load<i32>(cfg + CFG_NOISE) != 0;
  readStd = load<f64>(cfg + CFG_READ_STD);
  roundState = load<i32>(cfg + CFG_ROUND_STATE);
  roundAdc = load<i32>(cfg + CFG_ROUND_ADC);
  sumMode = load<i32>(cfg + CFG_SUM_MODE);
  xbarI16 = load<i32>(cfg + CFG_XBAR_I16) != 0;
  xbarRows = load<i32>(cfg + CFG_XBAR_ROWS);
  xbarCols = load<i32>(cfg + CFG_XBAR_COLS);
  cellsInRange = load<i32>(cfg + CFG_CELLS_IN_RANGE) != 0;
  OUT = <usize>load<i32>(cfg + CFG_SCRATCH);
  DRIVE_F = OUT + MAX_VECTOR * 4;
  DRIVE_I = DRIVE_F + MAX_VECTOR * 8;
  SUM_F = DRIVE_I + MAX_VECTOR * 8;
  SUM_I = SUM_F + MAX_VECTOR * 8;
  NOISE = SUM_I + MAX_VECTOR * 8;
  LIVE = NOISE + MAX_VECTOR * 16;
}

// ---- the active core
/** vector memory (i32 words) */
export let mem: usize = 0;
export let xbar: usize = 0;
export let counters: usize = 0;
export let rngRounding: usize = 0;
/** the read noise's counter-based draws: the core key N (u32) and, RNG_NOISE_COUNT - RNG_NOISE_KEY bytes on, m (u32) */
export let rngNoise: usize = 0;
/** outer.sr's counter-based draws: the core key K (u32) and, RNG_OUTER_COUNT - RNG_OUTER_KEY bytes on, n (u32) */
export let rngOuter: usize = 0;
/** f64 x (2 cols + 2 rows): column gains, column offsets, row gains, row offsets */
export let mismatch: usize = 0;
export let diag: usize = 0;

export let stateSaturations: f64 = 0;
export let weightSaturations: f64 = 0;
export let adcClips: f64 = 0;
export let dacClips: f64 = 0;
export let draws: f64 = 0;

export function activate(core: usize): void {
  mem = <usize>load<i32>(core + CORE_MEM);
  xbar = <usize>load<i32>(core + CORE_XBAR);
  counters = <usize>load<i32>(core + CORE_COUNTERS);
  const rng = <usize>load<i32>(core + CORE_RNG);
  rngRounding = rng + RNG_ROUNDING;
  rngNoise = rng + RNG_NOISE_KEY;
  rngOuter = rng + RNG_OUTER_KEY;
  mismatch = <usize>load<i32>(core + CORE_MISMATCH);
  diag = <usize>load<i32>(core + CORE_DIAG);
  stateSaturations = 0;
  weightSaturations = 0;
  adcClips = 0;
  dacClips = 0;
  draws = 0;
}

// @ts-ignore: decorator
@inline function add(at: usize, n: f64): void {
  // sums of whole counts below 2^53 are exact: the same as the reference's one-by-one increments
  if (n != 0) store<f64>(at, load<f64>(at) + n);
}

export function deactivate(): void {
  add(counters + CNT_STATE_SAT, stateSaturations);
  add(counters + CNT_WEIGHT_SAT, weightSaturations);
  add(counters + CNT_ADC_CLIPS, adcClips);
  add(counters + CNT_DAC_CLIPS, dacClips);
  add(counters + CNT_DRAWS, draws);
}

/** Word `addr` of the active core's vector memory. */
// @ts-ignore: decorator
@inline export function word(addr: i32): i64 {
  return <i64>load<i32>(mem + (<usize>addr << 2));
}

/** Address of word `addr` of the active core's vector memory. */
// @ts-ignore: decorator
@inline export function wordAt(addr: i32): usize {
  return mem + (<usize>addr << 2);
}

/**
 * memory.copy of `words` i32 words from src to dst (overlapping or not): short vectors word by
 * word (V8 runs memory.copy as a call out of the module, which costs more than a few words), in
 * the direction that reads every word before it is overwritten.
 */
// @ts-ignore: decorator
@inline export function copyWords(dst: usize, src: usize, words: i32): void {
  if (words > 16) memory.copy(dst, src, <usize>words << 2);
  else if (dst <= src) for (let i = 0; i < words; i++) store<i32>(dst + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
  else for (let i = words - 1; i >= 0; i--) store<i32>(dst + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
}

/** where pin() parks loop invariants: PIN_SLOTS v128 */
const PIN_SLOTS = 16;
const PIN: usize = memory.data(16 * PIN_SLOTS, 16);

/**
 * v, as a value the engine keeps in a register across the loop that follows. V8's Turbofan places
 * pure values (splats, int/float conversions, constants) at their uses, so a loop recomputes every
 * invariant it reads on each iteration; a value loaded from memory is computed once, before the
 * loop. Slots 0 .. PIN_SLOTS - 1, reusable at any time: the value is in a local once loaded.
 */
// @ts-ignore: decorator
@inline export function pin(slot: i32, v: v128): v128 {
  const at = PIN + (<usize>slot << 4);
  v128.store(at, v);
  return v128.load(at);
}

// The memory layout the host (emulator/chip/wasm-layout.ts) builds and the core reads: byte
// offsets of the fields of every record. These constants are the only definition: the module
// exports them and the host reads them from the instance, so the two sides cannot drift.
//
// One Wasm memory per chip, laid out once at load and never grown:
//
//   [static data of the module]                                     below heapBase()
//   config block            spec constants, error record, last tick's critical path
//   scratch                 vectors an instruction computes into before it writes
//   core table              one CORE_ record per core, in ascending core index
//   per core: vector memory (i32), crossbar (i16 or i32 codes, row-major, rows x cols),
//             program (INS_ records), counters (CNT_), generators (2 x 4 u32),
//             ADC lines (f64: column gains adc.gain (1 + g), column offsets, row gains, row offsets),
//             noSelf diagonal mask (u8 per crossbar cell, or none), loop stack (LOOP_)
//   routes                  RT_ records and their delay lines ((delay + 1) x length i32)
//   lookup tables           LUT_ records and their entries (i32)
//   ports, probes           one i32 population vector each

// ---- config block (f64 slots, then i32 slots)
export const CFG_STATE_MIN: i32 = 0;
export const CFG_STATE_MAX: i32 = 8;
export const CFG_WEIGHT_MIN: i32 = 16;
export const CFG_WEIGHT_MAX: i32 = 24;
export const CFG_DAC_MIN: i32 = 32;
export const CFG_DAC_MAX: i32 = 40;
export const CFG_DAC_GAIN: i32 = 48;
export const CFG_DAC_OFFSET: i32 = 56;
export const CFG_ADC_MIN: i32 = 64;
export const CFG_ADC_MAX: i32 = 72;
/** adc.gain (the core reads it folded into each line's gain, in the mismatch block) */
export const CFG_ADC_GAIN: i32 = 80;
export const CFG_ADC_OFFSET: i32 = 88;
export const CFG_READ_STD: i32 = 96;
/** out: the critical path (cycles) of the last tick */
export const CFG_CRITICAL: i32 = 104;
/** 1 when noise.enabled */
export const CFG_NOISE: i32 = 128;
/** rounding.state: ROUND_NEAREST_EVEN, ROUND_FLOOR or ROUND_STOCHASTIC */
export const CFG_ROUND_STATE: i32 = 132;
/** rounding.adc: ROUND_NEAREST_EVEN or ROUND_FLOOR */
export const CFG_ROUND_ADC: i32 = 136;
/** how crossbar line sums are computed: SUM_F64, SUM_I64 or SUM_I32 (see crossbar.ts) */
export const CFG_SUM_MODE: i32 = 140;
/** 1: crossbar cells are i16, 0: i32 */
export const CFG_XBAR_I16: i32 = 144;
/** 1: every cell of the image lies within formats.weight (so plasticity that adds 0 changes nothing) */
export const CFG_CELLS_IN_RANGE: i32 = 168;
export const CFG_XBAR_ROWS: i32 = 148;
export const CFG_XBAR_COLS: i32 = 152;
export const CFG_NCORES: i32 = 156;
/** address of the core table */
export const CFG_CORES: i32 = 160;
/** address of SCRATCH_BYTES of scratch vectors (results, drives, line sums) */
export const CFG_SCRATCH: i32 = 164;
/** out: the error of the last tick (ERR_*, 0 = none) and what the host needs to describe it */
export const CFG_ERR_CODE: i32 = 176;
/** position in the core table of the core that failed */
export const CFG_ERR_CORE: i32 = 180;
/** instruction index (or the program's instruction count when it ran off its end) */
export const CFG_ERR_INSTR: i32 = 184;
/** ERR_HALTED_WHILE_WAITING: the waiting core's position, its barrier's instruction index, the phase */
export const CFG_ERR_OTHER_CORE: i32 = 188;
export const CFG_ERR_OTHER_INSTR: i32 = 192;
export const CFG_ERR_PHASE: i32 = 196;
export const CFG_BYTES: i32 = 256;

export const ROUND_NEAREST_EVEN: i32 = 0;
export const ROUND_FLOOR: i32 = 1;
export const ROUND_STOCHASTIC: i32 = 2;
/** rn() of docs/isa.md: ties toward +infinity (outer.rn); never a hw-spec mode */
export const ROUND_NEAREST_UP: i32 = 3;

/** line sums in f64 in the reference's order (any DAC model) */
export const SUM_F64: i32 = 0;
/** integer drives, sums exact below 2^53: i64 sums converted to f64 give the same bits */
export const SUM_I64: i32 = 1;
/** the same when every sum fits in i32 */
export const SUM_I32: i32 = 2;

export const ERR_NONE: i32 = 0;
export const ERR_RAN_OFF_END: i32 = 1;
export const ERR_HALTED_WHILE_WAITING: i32 = 2;
export const ERR_ROUTE_RACE: i32 = 3;

// ---- core record (i32 fields unless noted)
export const CORE_MEM: i32 = 0;
export const CORE_XBAR: i32 = 4;
export const CORE_PROG: i32 = 8;
export const CORE_NINSTR: i32 = 12;
export const CORE_COUNTERS: i32 = 16;
/** the core's random state: RNG_ records */
export const CORE_RNG: i32 = 20;
export const CORE_MISMATCH: i32 = 24;
/** 0 when the core has no noSelf diagonal cell */
export const CORE_DIAG: i32 = 28;
export const CORE_LOOPS: i32 = 32;
// sequencer state, rewritten every tick
export const CORE_PC: i32 = 36;
export const CORE_STATUS: i32 = 40;
/** instruction index of the barrier it waits at, or of its halt */
export const CORE_STOPPED: i32 = 44;
export const CORE_NLOOPS: i32 = 48;
/** f64: cycles in the current barrier phase */
export const CORE_PHASE_CYCLES: i32 = 56;
export const CORE_BYTES: i32 = 64;

export const STATUS_RUNNING: i32 = 0;
export const STATUS_AT_BARRIER: i32 = 1;
export const STATUS_HALTED: i32 = 2;

/** xoshiro128** state (4 u32) of stochastic rnd */
export const RNG_ROUNDING: i32 = 0;
/** the read noise's counter-based draws (emulator/chip/random.ts): the core key N (u32, written at reset) and m, the crossbar reads so far (u32) */
export const RNG_NOISE_KEY: i32 = 16;
export const RNG_NOISE_COUNT: i32 = 20;
/** outer.sr's counter-based draws: the core key K (u32, written at reset) and n, the outer.sr executions so far (u32) */
export const RNG_OUTER_KEY: i32 = 24;
export const RNG_OUTER_COUNT: i32 = 28;
export const RNG_BYTES: i32 = 32;

// ---- instruction record: the validated words, and what the host resolved at load
export const INS_W0: i32 = 0;
export const INS_W1: i32 = 8;
/** index of the next instruction */
export const INS_NEXT: i32 = 16;
/** jmp, jz: index of the target; loop: index of its end */
export const INS_TARGET: i32 = 20;
/** vlut, std: LUT_ record; send, recv: RT_ record; in, tgt, probe: address of the segment's first word in the port or probe vector */
export const INS_REF: i32 = 24;
export const INS_NCHARGES: i32 = 28;
export const INS_CHARGES: i32 = 32;
export const MAX_CHARGES: i32 = 3;
// one charge: the cost class's index in COST_CLASSES and the precomputed cost of one execution
export const CHG_CLASS: i32 = 0;
export const CHG_EVENTS: i32 = 8;
export const CHG_CYCLES: i32 = 16;
export const CHG_ENERGY: i32 = 24;
export const CHG_BYTES: i32 = 32;
export const INS_BYTES: i32 = 128;

// ---- counters of one core (f64, as the reference's CoreCounters)
export const CNT_INSTRUCTIONS: i32 = 0;
export const CNT_CYCLES: i32 = 8;
export const CNT_ENERGY: i32 = 16;
export const CNT_STATE_SAT: i32 = 24;
export const CNT_WEIGHT_SAT: i32 = 32;
export const CNT_ADC_CLIPS: i32 = 40;
export const CNT_DAC_CLIPS: i32 = 48;
export const CNT_DRAWS: i32 = 56;
/** then per cost class: executions, events, cycles, energy */
export const CNT_CLASSES: i32 = 64;
export const CNT_CLASS_BYTES: i32 = 32;

// ---- loop stack entry
export const LOOP_BODY: i32 = 0;
export const LOOP_END: i32 = 4;
export const LOOP_REMAINING: i32 = 8;
export const LOOP_BYTES: i32 = 12;

// ---- lookup table
export const LUT_XMIN: i32 = 0;
export const LUT_SHIFT: i32 = 4;
export const LUT_N: i32 = 8;
export const LUT_OUT_SHIFT: i32 = 12;
export const LUT_ENTRIES: i32 = 16;
/** the largest |e[i + 1] - e[i]| of the entries, at most 2^31 - 1 (larger steps are written as that) */
export const LUT_STEP_MAX: i32 = 20;
export const LUT_BYTES: i32 = 32;

// ---- route and its delay line
export const RT_LENGTH: i32 = 0;
export const RT_DELAY: i32 = 4;
export const RT_SLOTS: i32 = 8;
export const RT_SEND_PHASE: i32 = 12;
export const RT_RECV_PHASE: i32 = 16;
/** i64: tick of the last send and recv (-1: none since reset) */
export const RT_SEND_TICK: i32 = 24;
export const RT_RECV_TICK: i32 = 32;
export const RT_BYTES: i32 = 48;

/** longest vector operand (12-bit len fields) and crossbar line count the scratch vectors hold */
export const MAX_VECTOR: i32 = 4096;
/** scratch: OUT (i32), DRIVE_F (f64), DRIVE_I (i64), SUM_F (f64), SUM_I (i64), NOISE (f64, 2 used), LIVE (2 i32) */
export const SCRATCH_BYTES: i32 = MAX_VECTOR * (4 + 8 + 8 + 8 + 8 + 16 + 8);

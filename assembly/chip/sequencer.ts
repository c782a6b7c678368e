// The chip level, as ChipReference.step of emulator/chip/reference.ts: one tick runs every core
// from its first instruction in barrier-separated phases, cores in ascending index, and owns
// control flow, loops, routes (delay lines), ports, probes and the cost counters. The program is
// the host's decoded form: the validated words (fields read with the generated extractors) plus
// every id, target and cost resolved at load. A runtime error stops the tick and leaves its
// description in the config block for the host, which words it as the reference does.
import * as I from '../isa.generated';
import { crossbarRead, outer } from './crossbar';
import {
  CFG_CORES, CFG_CRITICAL, CFG_ERR_CODE, CFG_ERR_CORE, CFG_ERR_INSTR, CFG_ERR_OTHER_CORE, CFG_ERR_OTHER_INSTR, CFG_ERR_PHASE, CFG_NCORES,
  CHG_BYTES, CHG_CLASS, CHG_CYCLES, CHG_ENERGY, CHG_EVENTS, CNT_CLASS_BYTES, CNT_CLASSES, CNT_CYCLES, CNT_ENERGY, CNT_INSTRUCTIONS,
  CORE_BYTES, CORE_COUNTERS, CORE_LOOPS, CORE_NINSTR, CORE_NLOOPS, CORE_PC, CORE_PHASE_CYCLES, CORE_PROG, CORE_STATUS, CORE_STOPPED,
  ERR_HALTED_WHILE_WAITING, ERR_NONE, ERR_RAN_OFF_END, ERR_ROUTE_RACE,
  INS_BYTES, INS_CHARGES, INS_NCHARGES, INS_NEXT, INS_REF, INS_TARGET, INS_W0, INS_W1,
  LOOP_BODY, LOOP_BYTES, LOOP_END, LOOP_REMAINING,
  RT_DELAY, RT_LENGTH, RT_RECV_PHASE, RT_RECV_TICK, RT_SEND_PHASE, RT_SEND_TICK, RT_SLOTS,
  STATUS_AT_BARRIER, STATUS_HALTED, STATUS_RUNNING,
} from './layout';
import { activate, copyWords, deactivate, word, wordAt } from './state';
import * as V from './vector';

let cfg: usize = 0;
/** ticks since the host's last reset: the clock of the delay lines */
let tickNo: i64 = 0;

export function setConfig(at: usize): void {
  cfg = at;
}

export function resetTicks(): void {
  tickNo = 0;
}

// @ts-ignore: decorator
@inline function coreAt(k: i32): usize {
  return <usize>load<i32>(cfg + CFG_CORES) + <usize>k * CORE_BYTES;
}

/** CoreCounters.charge: per class one execution, its events, cycles and energy; returns the cycles */
// @ts-ignore: decorator
@inline function charge(counters: usize, ins: usize): f64 {
  let cycles: f64 = 0;
  const n = load<i32>(ins + INS_NCHARGES);
  for (let j = 0; j < n; j++) {
    const c = ins + INS_CHARGES + <usize>j * CHG_BYTES;
    const t = counters + CNT_CLASSES + <usize>load<i32>(c + CHG_CLASS) * CNT_CLASS_BYTES;
    const cy = load<f64>(c + CHG_CYCLES);
    const e = load<f64>(c + CHG_ENERGY);
    store<f64>(t, load<f64>(t) + 1);
    store<f64>(t, load<f64>(t, 8) + load<f64>(c + CHG_EVENTS), 8);
    store<f64>(t, load<f64>(t, 16) + cy, 16);
    store<f64>(t, load<f64>(t, 24) + e, 24);
    cycles += cy;
    store<f64>(counters + CNT_ENERGY, load<f64>(counters + CNT_ENERGY) + e);
  }
  store<f64>(counters + CNT_INSTRUCTIONS, load<f64>(counters + CNT_INSTRUCTIONS) + 1);
  store<f64>(counters + CNT_CYCLES, load<f64>(counters + CNT_CYCLES) + cycles);
  return cycles;
}

/** Reaching the end of the innermost open loop's body starts its next iteration or closes it. */
function endOfBody(core: usize, pc: i32): i32 {
  let n = load<i32>(core + CORE_NLOOPS);
  const loops = <usize>load<i32>(core + CORE_LOOPS);
  while (n > 0) {
    const top = loops + <usize>(n - 1) * LOOP_BYTES;
    if (pc != load<i32>(top + LOOP_END)) break;
    const remaining = load<i32>(top + LOOP_REMAINING) - 1;
    store<i32>(top + LOOP_REMAINING, remaining);
    if (remaining > 0) {
      pc = load<i32>(top + LOOP_BODY);
      break;
    }
    n--;
  }
  store<i32>(core + CORE_NLOOPS, n);
  return pc;
}

function fail(code: i32, k: i32, instr: i32): i32 {
  store<i32>(cfg + CFG_ERR_CODE, code);
  store<i32>(cfg + CFG_ERR_CORE, k);
  store<i32>(cfg + CFG_ERR_INSTR, instr);
  return code;
}

/** With no delay, a send and a recv in one barrier phase race: the result would depend on core order. */
// @ts-ignore: decorator
@inline function races(route: usize, otherTick: i32, otherPhase: i32, phase: i32): bool {
  return load<i32>(route + RT_DELAY) == 0 && load<i64>(route + otherTick) == tickNo && load<i32>(route + otherPhase) == phase;
}

/** the delay line's slot for tick t: (delay + 1) vectors of length words */
// @ts-ignore: decorator
@inline function slot(route: usize, t: i64): usize {
  const n = <i64>load<i32>(route + RT_DELAY) + 1;
  return <usize>load<i32>(route + RT_SLOTS) + <usize>(t % n) * (<usize>load<i32>(route + RT_LENGTH) << 2);
}

/** Executes one instruction of the vector unit or the crossbar. */
function compute(op: u32, w0: u64, w1: u64, ref: usize): void {
  switch (op) {
    case I.OP_VCOPY: V.vcopy(w0, w1); break;
    case I.OP_VSET: V.vset(w0, w1); break;
    case I.OP_SETI: V.seti(w0, w1); break;
    case I.OP_VADD: V.vadd(w0, w1); break;
    case I.OP_VSUB: V.vsub(w0, w1); break;
    case I.OP_VMUL: V.vmul(w0, w1); break;
    case I.OP_VMULI: V.vmuli(w0, w1); break;
    case I.OP_VAXPY: V.vaxpy(w0, w1); break;
    case I.OP_VSHL: V.vshl(w0, w1); break;
    case I.OP_VSHR: V.vshr(w0, w1); break;
    case I.OP_VCLIP: V.vclip(w0, w1); break;
    case I.OP_VLUT: V.vlut(w0, w1, ref); break;
    case I.OP_LPF: V.lpf(w0, w1); break;
    case I.OP_LEAK: V.leak(w0, w1); break;
    case I.OP_STD: V.std(w0, w1, ref); break;
    case I.OP_MVM:
      crossbarRead(I.mvm_dst(w0, w1), I.mvm_src(w0, w1), I.mvm_row(w0, w1), I.mvm_col(w0, w1), I.mvm_rows(w0, w1), I.mvm_cols(w0, w1), I.mvm_shi(w0, w1), I.mvm_sho(w0, w1), false, false);
      break;
    case I.OP_MVM_ACC:
      crossbarRead(I.mvm_acc_dst(w0, w1), I.mvm_acc_src(w0, w1), I.mvm_acc_row(w0, w1), I.mvm_acc_col(w0, w1), I.mvm_acc_rows(w0, w1), I.mvm_acc_cols(w0, w1), I.mvm_acc_shi(w0, w1), I.mvm_acc_sho(w0, w1), false, true);
      break;
    case I.OP_MVMT:
      crossbarRead(I.mvmt_dst(w0, w1), I.mvmt_src(w0, w1), I.mvmt_row(w0, w1), I.mvmt_col(w0, w1), I.mvmt_rows(w0, w1), I.mvmt_cols(w0, w1), I.mvmt_shi(w0, w1), I.mvmt_sho(w0, w1), true, false);
      break;
    case I.OP_MVMT_ACC:
      crossbarRead(I.mvmt_acc_dst(w0, w1), I.mvmt_acc_src(w0, w1), I.mvmt_acc_row(w0, w1), I.mvmt_acc_col(w0, w1), I.mvmt_acc_rows(w0, w1), I.mvmt_acc_cols(w0, w1), I.mvmt_acc_shi(w0, w1), I.mvmt_acc_sho(w0, w1), true, true);
      break;
    case I.OP_OUTER_RN:
      outer(I.outer_rn_a(w0, w1), I.outer_rn_x(w0, w1), I.outer_rn_row(w0, w1), I.outer_rn_col(w0, w1), I.outer_rn_rows(w0, w1), I.outer_rn_cols(w0, w1), I.outer_rn_sh(w0, w1), false);
      break;
    case I.OP_OUTER_SR:
      outer(I.outer_sr_a(w0, w1), I.outer_sr_x(w0, w1), I.outer_sr_row(w0, w1), I.outer_sr_col(w0, w1), I.outer_sr_rows(w0, w1), I.outer_sr_cols(w0, w1), I.outer_sr_sh(w0, w1), true);
      break;
    default:
      unreachable(); // the host loaded only instructions of the table, and the sequencer took the rest
  }
}

/** Runs core k (at `core`) from its pc until a barrier or its halt; returns an error code. */
function run(k: i32, core: usize, phase: i32): i32 {
  const prog = <usize>load<i32>(core + CORE_PROG);
  const ninstr = load<i32>(core + CORE_NINSTR);
  const counters = <usize>load<i32>(core + CORE_COUNTERS);
  let pc = load<i32>(core + CORE_PC);
  let phaseCycles = load<f64>(core + CORE_PHASE_CYCLES);
  let err = ERR_NONE;
  activate(core);
  for (;;) {
    if (pc >= ninstr) {
      err = fail(ERR_RAN_OFF_END, k, pc);
      break;
    }
    const ins = prog + <usize>pc * INS_BYTES;
    phaseCycles += charge(counters, ins);
    const w0 = load<u64>(ins + INS_W0);
    const w1 = load<u64>(ins + INS_W1);
    const ref = <usize>load<i32>(ins + INS_REF);
    let next = load<i32>(ins + INS_NEXT);
    const op = I.opcodeOf(w0);
    if (op == I.OP_HALT) {
      store<i32>(core + CORE_STATUS, STATUS_HALTED);
      store<i32>(core + CORE_STOPPED, pc);
      break;
    }
    if (op == I.OP_BARRIER) {
      store<i32>(core + CORE_STATUS, STATUS_AT_BARRIER);
      store<i32>(core + CORE_STOPPED, pc);
      pc = endOfBody(core, next);
      break;
    }
    switch (op) {
      case I.OP_NOP: break;
      case I.OP_JMP: next = load<i32>(ins + INS_TARGET); break;
      case I.OP_JZ: if (word(I.jz_flag(w0, w1)) == 0) next = load<i32>(ins + INS_TARGET); break;
      case I.OP_LOOP: {
        const count = <i32>I.loop_count(w0, w1);
        if (count == 0) {
          next = load<i32>(ins + INS_TARGET);
          break;
        }
        const n = load<i32>(core + CORE_NLOOPS);
        const top = <usize>load<i32>(core + CORE_LOOPS) + <usize>n * LOOP_BYTES;
        store<i32>(top + LOOP_BODY, next);
        store<i32>(top + LOOP_END, load<i32>(ins + INS_TARGET));
        store<i32>(top + LOOP_REMAINING, count);
        store<i32>(core + CORE_NLOOPS, n + 1);
        break;
      }
      case I.OP_SEND: {
        const words = slot(ref, tickNo);
        copyWords(words, wordAt(I.send_src(w0, w1)), <i32>I.send_len(w0, w1));
        store<i64>(ref + RT_SEND_TICK, tickNo);
        store<i32>(ref + RT_SEND_PHASE, phase);
        if (races(ref, RT_RECV_TICK, RT_RECV_PHASE, phase)) err = fail(ERR_ROUTE_RACE, k, pc);
        break;
      }
      case I.OP_RECV: {
        store<i64>(ref + RT_RECV_TICK, tickNo);
        store<i32>(ref + RT_RECV_PHASE, phase);
        if (races(ref, RT_SEND_TICK, RT_SEND_PHASE, phase)) {
          err = fail(ERR_ROUTE_RACE, k, pc);
          break;
        }
        // what was sent `delay` ticks ago: slot (tick + 1) mod (delay + 1)
        copyWords(wordAt(I.recv_dst(w0, w1)), slot(ref, tickNo + 1), <i32>I.recv_len(w0, w1));
        break;
      }
      case I.OP_IN: copyWords(wordAt(I.in_dst(w0, w1)), ref, <i32>I.in_len(w0, w1)); break;
      case I.OP_TGT: copyWords(wordAt(I.tgt_dst(w0, w1)), ref, <i32>I.tgt_len(w0, w1)); break;
      case I.OP_PROBE: copyWords(ref, wordAt(I.probe_src(w0, w1)), <i32>I.probe_len(w0, w1)); break;
      default: compute(op, w0, w1, ref);
    }
    if (err != ERR_NONE) break;
    // most programs open no loop: no call then
    pc = load<i32>(core + CORE_NLOOPS) == 0 ? next : endOfBody(core, next);
  }
  deactivate();
  store<i32>(core + CORE_PC, pc);
  store<f64>(core + CORE_PHASE_CYCLES, phaseCycles);
  return err;
}

/**
 * One tick (ChipReference.step): returns ERR_NONE, or an error code with its description in the
 * config block. The critical path (per phase the slowest core's cycles) goes to CFG_CRITICAL.
 */
export function tick(): i32 {
  const ncores = load<i32>(cfg + CFG_NCORES);
  store<i32>(cfg + CFG_ERR_CODE, ERR_NONE);
  for (let k = 0; k < ncores; k++) {
    const core = coreAt(k);
    store<i32>(core + CORE_PC, 0);
    store<i32>(core + CORE_NLOOPS, 0);
    store<i32>(core + CORE_STATUS, STATUS_RUNNING);
    store<f64>(core + CORE_PHASE_CYCLES, 0);
  }
  let critical: f64 = 0;
  for (let phase = 0; ; phase++) {
    for (let k = 0; k < ncores; k++) {
      const core = coreAt(k);
      if (load<i32>(core + CORE_STATUS) != STATUS_RUNNING) continue;
      const err = run(k, core, phase);
      if (err != ERR_NONE) return err;
    }
    let slowest: f64 = 0;
    let waiting = -1;
    let halted = -1;
    for (let k = 0; k < ncores; k++) {
      const core = coreAt(k);
      const c = load<f64>(core + CORE_PHASE_CYCLES);
      if (c > slowest) slowest = c;
      store<f64>(core + CORE_PHASE_CYCLES, 0);
      const status = load<i32>(core + CORE_STATUS);
      if (status == STATUS_AT_BARRIER && waiting < 0) waiting = k;
      if (status == STATUS_HALTED && halted < 0) halted = k;
    }
    critical += slowest;
    if (waiting < 0) break;
    if (halted >= 0) {
      fail(ERR_HALTED_WHILE_WAITING, halted, load<i32>(coreAt(halted) + CORE_STOPPED));
      store<i32>(cfg + CFG_ERR_OTHER_CORE, waiting);
      store<i32>(cfg + CFG_ERR_OTHER_INSTR, load<i32>(coreAt(waiting) + CORE_STOPPED));
      store<i32>(cfg + CFG_ERR_PHASE, phase);
      return ERR_HALTED_WHILE_WAITING;
    }
    for (let k = 0; k < ncores; k++) {
      const core = coreAt(k);
      if (load<i32>(core + CORE_STATUS) == STATUS_AT_BARRIER) store<i32>(core + CORE_STATUS, STATUS_RUNNING);
    }
  }
  store<f64>(cfg + CFG_CRITICAL, critical);
  tickNo++;
  return ERR_NONE;
}

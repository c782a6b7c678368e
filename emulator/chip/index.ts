// Public API of emulator/chip: the reference interpreter of the chip (the living definition of the
// ISA on images), its host, and the Wasm core behind the same host interface. Browser-safe: no
// Node APIs, imports only compiler/isa, the types of compiler/image and compiler/hwspec, and
// compiler/common. Under Node, wasm-node.ts (not exported here) supplies build/chip.wasm:
// createNodeWasmChip.
export { ChipReference, type ChipOptions } from './reference.js';
export { createChip, type Chip, type ChipEmulator } from './host.js';
export { createWasmChip, type WasmChip, type WasmChipOptions, type WasmCoreView } from './wasm.js';
export { DATAPATH, SEQUENCER_MNEMONICS, type DatapathMnemonic, type SequencerMnemonic } from './datapath.js';
export type { CycleSummary, EnergySummary, RangeEvents, ClassTotals } from './counters.js';

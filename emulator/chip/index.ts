// Public API of emulator/chip: the reference interpreter of the chip (the living definition of the
// ISA on images) and its host. Browser-safe: no Node APIs, imports only compiler/isa, the types of
// compiler/image and compiler/hwspec, and compiler/common.
export { ChipReference, type ChipOptions } from './reference.js';
export { createChip, type Chip } from './host.js';
export { DATAPATH, SEQUENCER_MNEMONICS, type DatapathMnemonic, type SequencerMnemonic } from './datapath.js';
export type { CycleSummary, EnergySummary, RangeEvents, ClassTotals } from './counters.js';

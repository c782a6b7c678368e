// The content of a hardware image (.nlaimg): everything the chip (and the emulator) needs to run a
// compiled network, and everything a host needs to feed it and read it back in real units.
// `encode` produces it; image/write.ts and image/read.ts turn it into bytes and back (the byte
// layout is in docs/image-format.md). All integers here are codes of the hw-spec's formats.

/** Current version of the binary layout; readers reject others. */
export const IMAGE_FORMAT_VERSION = 1;

/** Header flag bits. */
export const IMAGE_FLAGS = {
  /** the program contains plasticity (outer-product updates) */
  plastic: 1 << 0,
  /** some rows carry depressing synapses (STD vesicle pools) */
  std: 1 << 1,
} as const;

export interface ImageHeader {
  /** IMAGE_FORMAT_VERSION of the writer */
  formatVersion: number;
  /** hw-spec `name` */
  hwSpecName: string;
  /** hwSpecHash of the spec it was compiled for: 64 hex digits (sha-256 of the canonical JSON) */
  hwSpecHash: string;
  /** network time per tick, seconds */
  dt: number;
  /** OR of IMAGE_FLAGS */
  flags: number;
}

/** One lookup table: y(x) by linear interpolation between entries spaced 2^shift codes apart from xMin. */
export interface LutSlot {
  /** slot number on its core, 0 .. core.lut_slots-1 (the `lut` operand of vlut and std) */
  slot: number;
  /** what it computes, e.g. "tanh", "tanh'", "std_vinf" (for disassembly and reports) */
  name: string;
  /** state code of entry 0 */
  xMin: number;
  /** log2 of the spacing between entries, in state codes */
  shift: number;
  /** entries as formats.lut_out codes; length = hw-spec core.lut_entries */
  entries: Int32Array;
  /** left shift (negative: rounding right shift) from formats.lut_out to formats.state */
  outShift: number;
}

/** A block of vector memory with its initial values (state init, parameters, constants, rates). */
export interface MemoryInit {
  /** word address */
  addr: number;
  /** formats.state codes */
  values: Int32Array;
  /** what lives there, e.g. "h1.bias[0:256]" (for inspect and disassembly) */
  name: string;
}

export interface ImageCore {
  /** core number = y * mesh.cols + x */
  index: number;
  /** encoded instruction words (compiler/isa/codec.ts) */
  program: bigint[];
  /** vector memory words this core uses (<= core.vector_memory_words) */
  memoryWords: number;
  memory: MemoryInit[];
  /** rows x cols of weight codes, row-major, over the whole crossbar (unused cells 0) */
  crossbar: Int32Array;
  luts: LutSlot[];
}

/** A point-to-point route: `send route` on srcCore, `recv route` on dstCore. */
export interface Route {
  id: number;
  srcCore: number;
  dstCore: number;
  /** words per send */
  length: number;
  /** Manhattan distance in the mesh */
  hops: number;
  /** ticks between send and recv (delay-line depth used), 0 = same tick */
  delay: number;
}

/** plastic: the learning-enable flag (one word per learning core, 0 = off) */
export type PortKind = 'input' | 'target' | 'nudge' | 'plastic';

/** A host-facing window on one core's vector memory, in real units via fracBits. */
export interface Segment {
  core: number;
  /** first element of the population vector it holds */
  offset: number;
  length: number;
  /** real value = code * 2^-fracBits */
  fracBits: number;
}

/** Host -> chip each tick (`in` / `tgt` instructions read it). */
export interface PortMap {
  id: number;
  kind: PortKind;
  population: string;
  /** length of the whole population vector */
  size: number;
  segments: Segment[];
}

/** Chip -> host each tick (`probe` instructions write it). */
export interface ProbeMap {
  id: number;
  population: string;
  signal: string;
  size: number;
  segments: Segment[];
}

/** How a projection's real weights map to crossbar codes, and where its blocks are. */
export interface MatrixMap {
  name: string;
  /** postsynaptic x presynaptic */
  rows: number;
  cols: number;
  /** crossbar codes per unit weight: 2^formats.weight.frac_bits times kappa, the factor that
   * makes the ADC gain times it a power of two (1 when the gain is one); real = code / scale */
  scale: number;
  plastic: boolean;
  /** no synapse from a neuron to itself: the diagonal cells hold 0 and plasticity skips them */
  noSelf: boolean;
  /** each block: W[post0 .. post0+n)[pre0 .. pre0+m) at crossbar rows [xrow, xrow+m) x cols [xcol, xcol+n) of core */
  blocks: { core: number; pre0: number; post0: number; m: number; n: number; xrow: number; xcol: number }[];
}

export interface Image {
  header: ImageHeader;
  /** the hw-spec compiled for, as canonical JSON (hwspec canonicalJson): images are self-contained;
   * its sha-256 is header.hwSpecHash; its geometry bounds every size in the image */
  hwSpecJson: string;
  cores: ImageCore[];
  routes: Route[];
  ports: PortMap[];
  probes: ProbeMap[];
  matrices: MatrixMap[];
  /** free-form JSON object: network name and sha-256 of its source, compiler version, scheme, pass list, warnings */
  metadata: Record<string, unknown>;
}

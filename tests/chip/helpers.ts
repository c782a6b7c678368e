// Hand-assembled images for the reference chip's unit tests: programs from assembly text (as
// `nla asm` builds them), on a clone of a preset hw-spec that a test may adjust, plus whatever
// routes, ports, probes, tables, memory and weights the test needs.
import { canonicalJson, hwSpecHash, loadHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import { IMAGE_FORMAT_VERSION, type Image, type LutSlot, type MatrixMap, type MemoryInit, type PortMap, type ProbeMap, type Route } from '../../compiler/image/index.js';
import { assemble, encodeProgram } from '../../compiler/isa/index.js';
import { ChipReference } from '../../emulator/chip/index.js';

export interface TestImage {
  /** preset to start from (default: 'default' with noise and mismatch off) */
  preset?: string;
  /** adjust the spec (a clone) */
  spec?: (s: HwSpec) => void;
  /** vector memory words of every core (default 256) */
  memoryWords?: number;
  routes?: Route[];
  ports?: PortMap[];
  probes?: ProbeMap[];
  matrices?: MatrixMap[];
  luts?: Record<number, LutSlot[]>;
  memory?: Record<number, Record<number, number[]>>;
  /** crossbar cells per core: [row, col, code] */
  weights?: Record<number, [number, number, number][]>;
}

/** The default preset without noise and mismatch: every result is exact and predictable. */
export function quietSpec(preset = 'default'): HwSpec {
  const s = structuredClone(loadHwSpec(preset));
  s.noise.enabled = false;
  s.mismatch.enabled = false;
  return s;
}

export function asmImage(text: string, t: TestImage = {}): Image {
  const spec = t.preset ? structuredClone(loadHwSpec(t.preset)) : quietSpec();
  t.spec?.(spec);
  const { rows, cols } = spec.core.crossbar;
  const programs = assemble(text, 'test.s');
  return {
    header: { formatVersion: IMAGE_FORMAT_VERSION, hwSpecName: spec.name, hwSpecHash: hwSpecHash(spec), dt: 0.001, flags: 0 },
    hwSpecJson: canonicalJson(spec),
    cores: programs.map((prog, index) => {
      const crossbar = new Int32Array(rows * cols);
      for (const [r, c, w] of t.weights?.[index] ?? []) crossbar[r * cols + c] = w;
      const memory: MemoryInit[] = Object.entries(t.memory?.[index] ?? {}).map(([addr, values]) => ({ addr: Number(addr), values: Int32Array.from(values), name: `@${addr}` }));
      return { index, program: encodeProgram(prog), memoryWords: t.memoryWords ?? 256, memory, crossbar, luts: t.luts?.[index] ?? [] };
    }),
    routes: t.routes ?? [],
    ports: t.ports ?? [],
    probes: t.probes ?? [],
    matrices: t.matrices ?? [],
    metadata: {},
  };
}

export function asmChip(text: string, t: TestImage = {}, seed = 0): ChipReference {
  return new ChipReference(asmImage(text, t), { seed });
}

/** words [addr, addr + len) of core `core` after the ticks run so far */
export function words(chip: ChipReference, addr: number, len: number, core = 0): number[] {
  return Array.from(chip.core(core).memory.subarray(addr, addr + len));
}

/** Runs `text` for one tick and returns words [addr, addr + len) of core 0. */
export function runOnce(text: string, addr: number, len: number, t: TestImage = {}, seed = 0): number[] {
  const chip = asmChip(text, t, seed);
  chip.step();
  return words(chip, addr, len);
}

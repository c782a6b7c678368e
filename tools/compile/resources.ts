// What an image uses of its chip, computed from the image alone (so `nla compile` and
// `nla inspect` print the same table): cores, crossbar cells, memory, program words, routes and
// their delays, lookup tables, and the range use of every tensor the compiler recorded.
import type { HwSpec } from '../../compiler/hwspec/index.js';
import type { Image } from '../../compiler/image/types.js';
import type { ReplicationMetadata } from '../../compiler/passes/encode.js';

export interface Resources {
  hwSpec: string;
  cores: { used: number; available: number };
  crossbar: { cellsUsed: number; cellsAvailable: number; utilisation: number };
  perCore: { core: number; programWords: number; memoryWords: number; crossbarCells: number; luts: string[] }[];
  matrices: { name: string; shape: string; blocks: number; cores: number[]; scale: number; plastic: boolean }[];
  routes: { count: number; maxHops: number; maxDelayTicks: number; wordsPerTick: number };
  /** pass replicate: the cap (1: off) and the blocks written more than once (absent in older images) */
  replication: ReplicationMetadata | null;
  tensors: { name: string; maxAbs: number; bitsUsed: number; status: string }[];
  warnings: string[];
}

export function imageResources(image: Image, spec: HwSpec): Resources {
  const cellsPerCore = spec.core.crossbar.rows * spec.core.crossbar.cols;
  const cellsOn = new Map<number, number>();
  for (const M of image.matrices) for (const b of M.blocks) cellsOn.set(b.core, (cellsOn.get(b.core) ?? 0) + b.m * b.n);
  const replication = (image.metadata.replication as ReplicationMetadata | undefined) ?? null;
  // the copies of replicated blocks hold cells too
  for (const r of replication?.blocks ?? []) cellsOn.set(r.core, (cellsOn.get(r.core) ?? 0) + (r.replicas * r.colReplicas - 1) * r.m * r.n);
  const cellsUsed = [...cellsOn.values()].reduce((a, b) => a + b, 0);
  const tensors = ((image.metadata.tensors as Resources['tensors'] | undefined) ?? []).filter((t) => t.status !== 'unused');
  return {
    hwSpec: image.header.hwSpecName,
    cores: { used: image.cores.length, available: spec.mesh.cols * spec.mesh.rows },
    crossbar: { cellsUsed, cellsAvailable: cellsPerCore * image.cores.length, utilisation: cellsUsed / (cellsPerCore * image.cores.length) },
    perCore: image.cores.map((c) => ({ core: c.index, programWords: c.program.length, memoryWords: c.memoryWords, crossbarCells: cellsOn.get(c.index) ?? 0, luts: c.luts.map((l) => l.name) })),
    matrices: image.matrices.map((M) => ({ name: M.name, shape: `${M.rows}x${M.cols}`, blocks: M.blocks.length, cores: [...new Set(M.blocks.map((b) => b.core))], scale: M.scale, plastic: M.plastic })),
    routes: {
      count: image.routes.length,
      maxHops: Math.max(0, ...image.routes.map((r) => r.hops)),
      maxDelayTicks: Math.max(0, ...image.routes.map((r) => r.delay)),
      wordsPerTick: image.routes.reduce((s, r) => s + r.length, 0),
    },
    replication,
    tensors,
    warnings: (image.metadata.warnings as string[] | undefined) ?? [],
  };
}

export function resourcesText(r: Resources, spec: HwSpec): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `cores: ${r.cores.used} of ${r.cores.available} (${spec.mesh.cols} x ${spec.mesh.rows} mesh)`,
    `crossbars: ${r.crossbar.cellsUsed} of ${r.crossbar.cellsAvailable} cells on the cores used (${pct(r.crossbar.utilisation)}), ${spec.core.crossbar.rows} x ${spec.core.crossbar.cols} per core`,
    `routes: ${r.routes.count}, ${r.routes.wordsPerTick} words per tick, up to ${r.routes.maxHops} hops, delay up to ${r.routes.maxDelayTicks} ticks (delay lines hold ${spec.core.delay_line_depth})`,
    `bits: weights ${spec.formats.weight.bits}, DAC ${spec.formats.dac.bits}, ADC ${spec.formats.adc.bits}, state ${spec.formats.state.bits} (${spec.formats.state.frac_bits} fraction)`,
    'projections:',
    ...r.matrices.map((m) => `  ${m.name} ${m.shape}: ${m.blocks} block(s) on core(s) ${m.cores.join(',')}, ${m.scale.toPrecision(4)} codes per unit${m.plastic ? ', plastic' : ''}`),
    ...replicationText(r.replication),
    'per core:',
    ...r.perCore.map((c) => `  core ${c.core}: ${c.programWords} program words, ${c.memoryWords} memory words, ${c.crossbarCells} crossbar cells${c.luts.length ? `, tables ${c.luts.join(' ')}` : ''}`),
  ];
  const flagged = r.tensors.filter((t) => t.status !== 'ok');
  lines.push(`tensors: ${r.tensors.length} calibrated, ${flagged.length} flagged`);
  for (const t of flagged) lines.push(`  ${t.name}: max |x| ${t.maxAbs.toPrecision(3)}, ${t.bitsUsed.toFixed(1)} bits used (${t.status})`);
  if (r.warnings.length) lines.push(`warnings (${r.warnings.length}):`, ...r.warnings.map((w) => `  ${w}`));
  return lines.join('\n') + '\n';
}

const LIMITS: Record<string, string> = { adc: 'ADC range', space: 'crossbar space', cap: '--max-replicas', shift: 'output shift field', none: 'no such reads' };

function replicationText(r: Resources['replication']): string[] {
  if (!r) return [];
  if (r.maxReplicas === 1) return ['replication: off'];
  if (!r.blocks.length) return [`replication: no block copied (up to ${r.maxReplicas} copies allowed)`];
  return [
    `replication: ${r.blocks.length} block(s) copied into idle crossbar lines (up to ${r.maxReplicas} copies):`,
    ...r.blocks.map(
      (b) =>
        `  ${b.projection}[${b.post0}+${b.n}][${b.pre0}+${b.m}] on core ${b.core}: rows ${b.xrow}..${b.xrow + b.replicas * b.m - 1} x cols ${b.xcol}..${b.xcol + b.colReplicas * b.n - 1}; ` +
        `forward reads x${b.replicas} (limit: ${LIMITS[b.limit] ?? b.limit}), transposed reads x${b.colReplicas} (limit: ${LIMITS[b.colLimit] ?? b.colLimit})`,
    ),
  ];
}

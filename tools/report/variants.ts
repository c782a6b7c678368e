// The chips the attribution runs beside the base chip, each compiled from an edited copy of the
// hw-spec (nonidealities.ts):
//   off:<row>    the spec with that one non-ideality off       (compared with the ideal explicit model)
//   off:all      every non-ideality off: "ideal hardware"
//   alone:<row>  every non-ideality off but that one           (compared with off:all)
import type { NetworkIR } from '../../compiler/network/index.js';
import { hwSpecHash, parseHwSpec, serialiseHwSpec, type HwSpec } from '../../compiler/hwspec/index.js';
import type { Image } from '../../compiler/image/index.js';
import { isUserError } from '../../compiler/common/errors.js';
import type { Backend } from '../../emulator/backend.js';
import { compileNetwork } from '../compile/compile.js';
import type { RowStatus } from './analysis.js';
import { allOff, NONIDEALITIES, type EditContext, type EditResult } from './nonidealities.js';

export interface Variant {
  key: string;
  status: RowStatus;
  note: string | null;
  /** the level or variant its output is compared with */
  ref: string;
  spec?: HwSpec;
  image?: Image;
  chip?: Backend;
  compileS?: number;
}

/** makes the emulated chip of an image: the reference interpreter or the Wasm core */
export type ChipFactory = (image: Image, options: { seed: number }) => Backend;

export interface VariantOptions {
  source?: { file: string; text: string };
  createChip: ChipFactory;
  calibrationTicks?: number;
  maxReplicas?: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/** what a spec holds, whatever it is called */
const contentHash = (spec: HwSpec): string => hwSpecHash({ ...spec, name: '-' });

function compileVariant(net: NetworkIR, key: string, name: string, edited: EditResult, same: string, ref: string, opts: VariantOptions): Variant {
  if ('notApplicable' in edited) return { key, status: 'not applicable', note: edited.notApplicable, ref };
  const t0 = performance.now();
  try {
    // serialised and parsed: the edited spec passes the same checks as a file would
    const spec = parseHwSpec(serialiseHwSpec({ ...edited, name }), `${name}.json`);
    if (contentHash(spec) === same) return { key, status: 'already off', note: 'the spec has it off already: nothing to switch', ref, spec };
    const { image } = compileNetwork(net, spec, { source: opts.source, calibrationTicks: opts.calibrationTicks, maxReplicas: opts.maxReplicas });
    return { key, status: 'measured', note: null, ref, spec, image, chip: opts.createChip(image, { seed: opts.seed }), compileS: (performance.now() - t0) / 1000 };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { key, status: 'failed', note: (e as Error).message.split('\n')[0]!, ref, compileS: (performance.now() - t0) / 1000 };
  }
}

export function compileVariants(net: NetworkIR, spec: HwSpec, ctx: EditContext, opts: VariantOptions): Variant[] {
  const base = contentHash(spec);
  const total = 2 * NONIDEALITIES.length + 1;
  const out: Variant[] = [];
  const add = (v: Variant) => {
    out.push(v);
    opts.onProgress?.(out.length, total);
  };
  for (const row of NONIDEALITIES) add(compileVariant(net, `off:${row.name}`, `${spec.name}+${row.name}-off`, row.edit(spec, ctx), base, 'explicit', opts));
  const ideal = allOff(spec, ctx);
  const all = compileVariant(net, 'off:all', `${spec.name}+all-off`, ideal, base, 'explicit', opts);
  add(all);
  // with nothing to switch off the base chip is the ideal hardware
  const aloneRef = all.status === 'measured' ? 'off:all' : 'chip';
  for (const row of NONIDEALITIES) {
    const off = out.find((v) => v.key === `off:${row.name}`)!;
    const key = `alone:${row.name}`;
    if (off.status !== 'measured') add({ key, status: off.status, note: off.note, ref: aloneRef });
    else if (all.status === 'failed') add({ key, status: 'failed', note: 'the chip with every non-ideality off did not compile', ref: aloneRef });
    else add(compileVariant(net, key, `${spec.name}+only-${row.name}`, allOff(spec, ctx, row.name), contentHash(ideal), aloneRef, opts));
  }
  return out;
}

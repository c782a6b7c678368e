// Public entry of the ideal model.
import type { NetworkIR } from '../../compiler/network/index.js';
import { createKernels } from '../kernels/index.js';
import { IdealModel, type IdealOptions } from './model.js';
import { kernelBytes } from './state.js';

export { IdealModel, type IdealOptions } from './model.js';

/** An ideal model of `net` on the Wasm kernels (default) or the bit-identical JS kernels. */
export async function createIdealModel(net: NetworkIR, opts: IdealOptions & { kernels?: 'wasm' | 'js' } = {}): Promise<IdealModel> {
  const kernels = await createKernels({ backend: opts.kernels ?? 'wasm', capacityBytes: kernelBytes(net) });
  return new IdealModel(net, kernels, opts);
}

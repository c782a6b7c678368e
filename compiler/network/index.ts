// Public API of compiler/network: the Network IR (types and constants), loading and validating
// network files, and the initial weights. Other top-level folders import from here only.
export * from './ir.js';
export { loadNetwork, parseNetwork, parseDuration, parseFrequency, type LoadOptions } from './load.js';
export { networkSchema, formatDuration } from './schema.js';
export { findForwardCycle } from './semantic.js';
export { fillInit, projectionShape, initialWeights, initialBias } from './init.js';
export { activationAt, evalActivation, rho, vesiclePool, type ActivationParams } from './activations.js';

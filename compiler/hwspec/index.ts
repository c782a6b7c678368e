// Public API of compiler/hwspec: the HwSpec type and its constants, loading and validating
// hw-spec files and presets, the spec identity (hash) and warnings. The compiler passes and the
// emulator read hardware descriptions through this file only.
export * from './types.js';
export {
  loadHwSpec,
  parseHwSpec,
  hwSpecHash,
  hwSpecWarnings,
  canonicalJson,
  serialiseHwSpec,
  checkHwSpecStructure,
  hwSpecSchema,
  presetNames,
  presetDir,
  isPresetName,
} from './load.js';

// Runtime API (docs/ARCHITECTURE.md "Runtime API"): everything the app, evaluator, converter
// and benchmark use. Framework-free; Node-only helpers live in src/node/.
export * from './config';
export { ModelLoadError, loadModel, loadModelJson, type LoadModelOptions } from './weights/loader';
export { parseManifest, type ManifestGroup } from './weights/manifest';
export { MilaModel, disposeOutputs, type TaskOutputs } from './milaModel';
export { KeyframeMemory, disposeEntry, type KeyframeMemoryEntry } from './memory';
export { KeyframeScheduler, checkInterval, MIN_INTERVAL, MAX_INTERVAL, type ResetReason, type KeyframeCause } from './scheduler';
export { MilaRunner, type FramePrediction } from './runner';
export { RUN_MODES, BACKEND_NAMES, type RunMode, type FrameNet, type BackendName } from './modes';
export { costModel, frameNetGflops, modeAverageGflops, type CostModel } from './costModel';
export { initBackend, BACKEND_CHAIN, type BackendInfo } from './backend';
export { DEFAULT_MODEL_ID, TINY_MODEL_ID, fullSizeConfig, tinyConfig, CITYSCAPES_CLASSES, CITYSCAPES_COLORS } from './presets';
export { ilaAttend, ilaReference } from './ila';

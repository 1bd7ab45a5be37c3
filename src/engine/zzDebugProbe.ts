export * as tf from '@tensorflow/tfjs-core';
export { WebGpuOverlayRenderer } from '../render/webgpuOverlayRenderer';

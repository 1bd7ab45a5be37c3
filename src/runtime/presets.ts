// Named architecture configs: the full-size MILA D101/D18 model and the tiny test model.
import type { ModelConfig } from './config';

export const CITYSCAPES_CLASSES = [
  'road', 'sidewalk', 'building', 'wall', 'fence', 'pole', 'traffic light', 'traffic sign',
  'vegetation', 'terrain', 'sky', 'person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle',
];

/** Official Cityscapes train-ID colours, in class order. */
export const CITYSCAPES_COLORS: [number, number, number][] = [
  [128, 64, 128], [244, 35, 232], [70, 70, 70], [102, 102, 156], [190, 153, 153], [153, 153, 153],
  [250, 170, 30], [220, 220, 0], [107, 142, 35], [152, 251, 152], [70, 130, 180], [220, 20, 60],
  [255, 0, 0], [0, 0, 142], [0, 0, 70], [0, 60, 100], [0, 80, 100], [0, 0, 230], [119, 11, 32],
];

/**
 * The model the page opens on: `public/models/mila-street-v27/`, trained by the project's training
 * code on its rendered street video plus a little real footage: 8 photos labelled by hand, and more
 * through its own slow net's pseudo-labels (see its model card, public/models/mila-street-v27/README.md).
 * Its architecture comes from its own model.json; `fullSizeConfig` below is the paper-sized one.
 */
export const DEFAULT_MODEL_ID = 'mila-street-v27';

/** `public/models/tiny/`: random weights, for tests (`npm run make-tiny`). */
export const TINY_MODEL_ID = 'tiny';

const IMAGENET = { mean: [0.485, 0.456, 0.406] as [number, number, number], std: [0.229, 0.224, 0.225] as [number, number, number] };

/** The paper-sized model (D101 slow + ASPP, D18 fast), 256x512 input, OS16. */
export function fullSizeConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    format: 'mila-web/1',
    name: 'mila-d101-d18',
    input: { height: 256, width: 512, ...IMAGENET },
    outputStride: 16,
    featureChannels: 256,
    taskChannels: 128,
    slow: { depth: 101, baseWidth: 64, aspp: { channels: 256, rates: [6, 12, 18] } },
    fast: { depth: 18, baseWidth: 64, aspp: null },
    ila: { window: 9, keyChannels: 64, memory: 2, taskSpecific: true },
    segmentation: { classes: [...CITYSCAPES_CLASSES], colors: CITYSCAPES_COLORS.map((c) => [...c] as [number, number, number]), ignoreIndex: 255 },
    depth: { maxDepth: 100 },
    ...overrides,
  };
}

/**
 * Tiny random model for tests and e2e: the real block structure (D101 slow, D18 fast) at a few
 * channels and 64x128 input, so the CPU backend runs a frame in well under a second.
 * ASPP rates are small because the feature map is only 4x8.
 */
export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return fullSizeConfig({
    name: 'tiny',
    input: { height: 64, width: 128, ...IMAGENET },
    featureChannels: 16,
    taskChannels: 8,
    slow: { depth: 101, baseWidth: 4, aspp: { channels: 16, rates: [1, 2, 3] } },
    fast: { depth: 18, baseWidth: 4, aspp: null },
    ila: { window: 5, keyChannels: 8, memory: 2, taskSpecific: true },
    ...overrides,
  });
}

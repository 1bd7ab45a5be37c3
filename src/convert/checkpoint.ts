// Finds and opens a checkpoint: `config.json` (the architecture config of ARCHITECTURE.md) plus
// one or more `.safetensors` files, given as a directory or as explicit file paths.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseModelConfig, type ModelConfig } from '../runtime/config';
import { ConvertError } from './errors';
import type { SourceTensor } from './mapping';
import { SafetensorsFile } from './safetensors';

export interface Checkpoint {
  config: ModelConfig;
  configPath: string;
  files: string[];
  /** Total size of the safetensors files in bytes. */
  bytes: number;
  tensors: Map<string, SourceTensor>;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new ConvertError(`${path}: no such file or directory`);
  }
}

/** Expands the CLI inputs into the config path and the safetensors paths. */
export function locateCheckpoint(inputs: string[]): { configPath: string; files: string[] } {
  if (inputs.length === 0) throw new ConvertError('no checkpoint given');
  const files: string[] = [];
  const configs: string[] = [];
  for (const input of inputs) {
    if (isDirectory(input)) {
      const names = readdirSync(input).sort();
      files.push(...names.filter((n) => n.endsWith('.safetensors')).map((n) => join(input, n)));
      if (names.includes('config.json')) configs.push(join(input, 'config.json'));
    } else if (input.endsWith('.safetensors')) {
      files.push(input);
    } else if (basename(input).endsWith('.json')) {
      configs.push(input);
    } else {
      throw new ConvertError(`${input}: expected a directory, a .safetensors file or a config .json file`);
    }
  }
  if (files.length === 0) throw new ConvertError(`no .safetensors file in ${inputs.join(', ')}`);
  if (configs.length === 0) throw new ConvertError(`no config.json (architecture config) in ${inputs.join(', ')}`);
  if (configs.length > 1) throw new ConvertError(`more than one architecture config given: ${configs.join(', ')}`);
  return { configPath: configs[0], files: [...new Set(files)] };
}

export function readSafetensors(path: string): SafetensorsFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ConvertError(`${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return SafetensorsFile.fromBytes(path, bytes);
}

export function readConfig(path: string): ModelConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConvertError(`${path}: cannot read the architecture config (${(e as Error).message})`);
  }
  try {
    return parseModelConfig(json, path);
  } catch (e) {
    throw new ConvertError((e as Error).message);
  }
}

/** All tensors of the given files by name; a name present in two files is an error. */
export function collectTensors(files: SafetensorsFile[]): Map<string, SourceTensor> {
  const tensors = new Map<string, SourceTensor>();
  for (const file of files) {
    for (const info of file.tensors.values()) {
      const earlier = tensors.get(info.name);
      if (earlier) throw new ConvertError(`tensor "${info.name}" appears in both ${earlier.file} and ${file.path}`);
      tensors.set(info.name, { shape: info.shape, dtype: info.dtype, file: file.path, float32: () => file.float32(info.name) });
    }
  }
  return tensors;
}

export function openCheckpoint(inputs: string[]): Checkpoint {
  const { configPath, files } = locateCheckpoint(inputs);
  const config = readConfig(configPath);
  const tensors = collectTensors(files.map(readSafetensors));
  const bytes = files.reduce((sum, path) => sum + statSync(path).size, 0);
  return { config, configPath, files, bytes, tensors };
}

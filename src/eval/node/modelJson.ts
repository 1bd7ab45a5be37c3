// Reads a model directory's model.json for the eval CLI's checks; every failure names the file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelConfig, type ModelConfig } from '../../runtime/config';

export function readModelConfig(modelDir: string, shownAs = modelDir): ModelConfig {
  const path = join(modelDir, 'model.json');
  if (!existsSync(path)) throw new Error(`no model at ${shownAs}: ${path} does not exist (npm run make-tiny builds public/models/tiny)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseModelConfig(json, path);
}

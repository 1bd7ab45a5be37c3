// Atomic model-directory output: everything is written into a hidden temporary sibling of the
// target, which is renamed into place only when complete. On failure nothing is left behind.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConvertError } from './errors';

const MODEL_DIR_FILE = /^(model\.json|group\d+-shard\d+of\d+\.bin)$/;

/** An existing target may be replaced only if it is empty or holds nothing but a model directory. */
function checkReplaceable(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new ConvertError(`${outDir}: exists and is not a directory; refusing to overwrite`);
  const foreign = readdirSync(outDir).filter((f) => !MODEL_DIR_FILE.test(f));
  if (foreign.length > 0) {
    throw new ConvertError(`${outDir}: exists and holds files that are not a model directory (${foreign.slice(0, 3).join(', ')}); refusing to overwrite`);
  }
}

/** Runs `write(tempDir)` and then moves tempDir to `outDir` (replacing an old model directory). */
export function writeDirAtomically<T>(outDir: string, write: (tempDir: string) => T): T {
  const target = resolve(outDir);
  checkReplaceable(target);
  const parent = dirname(target);
  const createdParent = mkdirSync(parent, { recursive: true }); // first directory created, if any
  const tag = `${process.pid}-${Date.now()}`;
  const temp = join(parent, `.${basename(target)}.converting-${tag}`);
  const old = join(parent, `.${basename(target)}.old-${tag}`);
  try {
    mkdirSync(temp);
    const result = write(temp);
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
    rmSync(old, { recursive: true, force: true });
    return result;
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
    throw e;
  }
}

// The eval CLI serves the model and clip directories to the page under internal URLs; errors from the
// page name those URLs. The user knows the local paths, so messages are rewritten to name them.
import { join } from 'node:path';

export interface Mount {
  url: string; // '/__eval/model/'
  dir: string; // the local directory served there
}

/** Replaces every "(http://host:port)/__eval/x/file" in `text` by the local path of the file. */
export function localisePaths(text: string, mounts: Mount[]): string {
  let out = text;
  for (const { url, dir } of mounts) {
    const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?:https?://[^/\\s"']+)?${escaped}([^\\s"',)]*)`, 'g'), (_, rest: string) => join(dir, decodeURIComponent(rest)));
  }
  return out;
}

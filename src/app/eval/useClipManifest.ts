// Whether a bundled clip has ground truth: its manifest, or the reason it cannot be evaluated.
import { useEffect, useState } from 'react';
import { fetchClipManifest } from '../../eval/browser/browserGroundTruth';
import type { GtClipManifest } from '../../eval/clipManifest';

export type ClipStatus = { state: 'none' } | { state: 'loading' } | { state: 'ok'; manifest: GtClipManifest } | { state: 'error'; message: string };

export function useClipManifest(clipUrl: string | null): ClipStatus {
  const [status, setStatus] = useState<ClipStatus>({ state: 'none' });
  useEffect(() => {
    if (!clipUrl) {
      setStatus({ state: 'none' });
      return;
    }
    let live = true;
    setStatus({ state: 'loading' });
    fetchClipManifest(clipUrl).then(
      (manifest) => live && setStatus({ state: 'ok', manifest }),
      (e: Error) => live && setStatus({ state: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [clipUrl]);
  return status;
}

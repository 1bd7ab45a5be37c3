// React state of one evaluation run (a single K or a sweep): live rows per frame, stop, errors.
import { useCallback, useEffect, useRef, useState } from 'react';
import { evaluateClipInBrowser } from '../../eval/browser/clipEvaluation';
import type { EvalEntry } from '../../eval/evaluator';
import { toRow, type SweepInfo, type SweepRow } from '../../eval/table';
import type { BackendInfo } from '../../runtime/backend';
import type { MilaModel } from '../../runtime/milaModel';

export type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

export interface RunState {
  status: RunStatus;
  frame: number; // frames done
  frameCount: number;
  rows: SweepRow[];
  error: string | null;
  info: SweepInfo | null;
}

export interface RunRequest {
  model: MilaModel;
  modelId: string;
  backend: BackendInfo;
  clipUrl: string;
  entries: EvalEntry[];
  frames?: number;
}

const IDLE: RunState = { status: 'idle', frame: 0, frameCount: 0, rows: [], error: null, info: null };

export function useEvaluationRun() {
  const [state, setState] = useState<RunState>(IDLE);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []); // stop when the panel goes away

  const start = useCallback(async (req: RunRequest) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const info: SweepInfo = { model: req.modelId, clip: req.clipUrl, backend: req.backend.backend, adapter: req.backend.adapter, date: new Date().toISOString() };
    setState({ ...IDLE, status: 'running', info });
    try {
      const { manifest, results } = await evaluateClipInBrowser({
        model: req.model,
        clipUrl: req.clipUrl,
        entries: req.entries,
        frames: req.frames,
        signal: controller.signal,
        onManifest: (m) => (info.clip = m.name),
        onFrame: (i, n, results) => {
          if (!controller.signal.aborted) setState((s) => ({ ...s, frame: i + 1, frameCount: n, rows: results.map(toRow) }));
        },
      });
      info.clip = manifest.name;
      setState((s) => ({ ...s, status: 'done', rows: results.map(toRow), info: { ...info } }));
    } catch (e) {
      const stopped = controller.signal.aborted;
      setState((s) => ({ ...s, status: stopped ? 'stopped' : 'failed', error: stopped ? null : (e as Error).message || String(e) }));
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  }, []);

  const stop = useCallback(() => abort.current?.abort(), []);

  return { state, start, stop };
}

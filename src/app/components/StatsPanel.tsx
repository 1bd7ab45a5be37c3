// Live figures. Latencies are from frame capture to the drawn frame with the GPU finished.
import type { EngineState } from '../../engine/engineState';
import { formatBytes } from '../../source/fileSniff';

const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const gf = (v: number | null) => (v === null ? '-' : v < 0.1 ? `${(v * 1000).toFixed(1)} MFLOPs` : `${v.toFixed(2)} GFLOPs`);

export function StatsPanel({ state }: { state: EngineState }) {
  const s = state.stats;
  const saving = s.gflopsPerFrame !== null && s.gflopsSlowOnly ? 100 * (1 - s.gflopsPerFrame / s.gflopsSlowOnly) : null;
  return (
    <fieldset className="card stats" data-testid="stats">
      <legend>Live stats</legend>
      <table>
        <tbody>
          <tr>
            <th>Processed FPS</th>
            <td data-testid="stat-fps">{s.fps.toFixed(1)}</td>
          </tr>
          <tr>
            <th>Median slow frame</th>
            <td data-testid="stat-slow-ms">{ms(s.medianSlowMs)}</td>
          </tr>
          <tr>
            <th>Median fast frame</th>
            <td data-testid="stat-fast-ms">{ms(s.medianFastMs)}</td>
          </tr>
          <tr>
            <th>Keyframes / fast frames</th>
            <td data-testid="stat-counts">
              {s.keyframes} / {s.fastFrames}
            </td>
          </tr>
          <tr>
            <th>Dropped (video ran ahead)</th>
            <td data-testid="stat-dropped">{s.dropped}</td>
          </tr>
          <tr>
            <th>Stream: mean / p95 per frame</th>
            <td data-testid="stat-stream-ms">
              {ms(s.streamMeanMs)} / {ms(s.streamP95Ms)}
            </td>
          </tr>
          <tr>
            <th>Compute per frame</th>
            <td data-testid="stat-gflops">
              {gf(s.gflopsPerFrame)}
              {saving !== null && <span className="muted"> ({saving.toFixed(0)}% less than slow-only)</span>}
            </td>
          </tr>
          <tr>
            <th>At this K / slow-only</th>
            <td>
              {gf(s.gflopsAtK)} / {gf(s.gflopsSlowOnly)}
            </td>
          </tr>
          <tr>
            <th>Read back per frame</th>
            <td data-testid="stat-readback">{formatBytes(s.readbackBytesLastFrame)}</td>
          </tr>
          <tr>
            <th>Backend</th>
            <td>
              {state.backend ? `${state.backend.backend}, ${state.renderer === 'webgpu' ? 'GPU compositing' : '2D-canvas compositing'}` : '-'}
            </td>
          </tr>
          <tr>
            <th>Adapter</th>
            <td className="small">{state.backend?.adapter ?? '-'}</td>
          </tr>
        </tbody>
      </table>
      {state.model && (
        <p className="muted small">
          Weights {formatBytes(state.model.bytes)}
          {state.model.cachedShards > 0 ? `, from the browser cache (${state.model.cachedShards} shard${state.model.cachedShards > 1 ? 's' : ''})` : ', downloaded'}.
          Latency: capture to drawn frame, GPU work included.
        </p>
      )}
    </fieldset>
  );
}

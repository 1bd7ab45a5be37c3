// Mounts the evaluation panel (src/app/eval/EvalPanel.tsx, owned by the evaluation work) when it
// exists; import.meta.glob keeps the app building without it.
import { lazy, Suspense, type ComponentType } from 'react';
import type { MilaEngine } from '../engine/engine';

type EvalPanelProps = { engine: MilaEngine };
const modules = import.meta.glob<{ EvalPanel?: ComponentType<EvalPanelProps>; default?: ComponentType<EvalPanelProps> }>('./eval/EvalPanel.tsx');
const loader = modules['./eval/EvalPanel.tsx'];
const EvalPanel = loader
  ? lazy(async () => {
      const m = await loader();
      const C = m.EvalPanel ?? m.default;
      if (!C) throw new Error('src/app/eval/EvalPanel.tsx exports no EvalPanel component');
      return { default: C };
    })
  : null;

export function EvalSlot({ engine }: EvalPanelProps) {
  if (!EvalPanel) return null;
  return (
    <section className="eval-slot" aria-label="Evaluation">
      <Suspense fallback={<p className="muted">Loading the evaluation panel...</p>}>
        <EvalPanel engine={engine} />
      </Suspense>
    </section>
  );
}

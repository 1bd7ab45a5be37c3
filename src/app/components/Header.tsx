import type { EngineState } from '../../engine/engineState';

export function Header({ state }: { state: EngineState }) {
  const { model, backend } = state;
  return (
    <header className="header">
      <h1>
        mila-web <span className="subtitle">real-time segmentation + depth, slow keyframes and fast frames with inter-frame attention</span>
      </h1>
      <div className="header-facts">
        {model && (
          <span data-testid="model-name">
            model <b>{model.name}</b> ({model.inputWidth}x{model.inputHeight})
            {model.isTiny && <span className="tag warn"> tiny test model, random weights: overlays are noise</span>}
          </span>
        )}
        {backend && (
          <span data-testid="backend-name">
            backend <b>{backend.backend}</b> <span className="muted">{backend.adapter}</span>
          </span>
        )}
        {model?.about && (
          <span className="model-about" data-testid="model-about">
            {model.about.summary}{' '}
            <a href={model.about.cardUrl} target="_blank" rel="noreferrer">
              model card
            </a>
          </span>
        )}
      </div>
    </header>
  );
}

// Entry point: settings from the URL -> engine (framework-free) -> React UI around it.
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { parseSettings } from './app/urlState';
import { installDebugHandle } from './engine/debugHandle';
import { MilaEngine } from './engine/engine';
import { urlProblemsMessage } from './engine/messages';
import './app/styles.css';

const { settings, problems } = parseSettings(window.location.search);
const engine = new MilaEngine(settings);
if (problems.length > 0) engine.post(urlProblemsMessage(problems));
installDebugHandle(engine);

createRoot(document.getElementById('root')!).render(<App engine={engine} />);

import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { startLive } from './lib/live.js';
import { loadSettings, setSettings } from './lib/settings.js';
import './styles.css';

const s = await loadSettings();
setSettings(s);
startLive();
createRoot(document.getElementById('root')!).render(<App />);

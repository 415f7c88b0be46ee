import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './App';
import { initTheme } from './lib/theme';
import { unlockAudio } from './lib/beep';

initTheme();
// Browsers play sound only after a gesture: the first click or key of the shift unlocks the chime.
for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, unlockAudio, { once: true, capture: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

import '@xyflow/react/dist/style.css';
import './styles/base.css';
import './styles/pages.css';
import './styles/canvas.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/App.js';
import { I18nProvider } from './i18n/i18n.js';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element to render the studio into.');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);

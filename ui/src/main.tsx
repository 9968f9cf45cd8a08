import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import Desk from './App';
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Desk />
  </StrictMode>,
);

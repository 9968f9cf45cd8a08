import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, vi } from 'vitest';

// antd under jsdom is slow on a busy two-core machine: give async queries time.
configure({ asyncUtilTimeout: 8000 });

// jsdom lacks a few browser APIs that antd relies on.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: vi.fn().mockImplementation((query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: vi.fn(),
      removeListener: vi.fn(),
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
      dispatchEvent: vi.fn(),
    })),
  });
}
if (!('ResizeObserver' in window)) {
  class RO {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: RO });
}
// antd measures scrollbars through getComputedStyle(el, pseudo); jsdom does not implement pseudo elements.
const gcs = window.getComputedStyle.bind(window);
window.getComputedStyle = (el: Element) => gcs(el);

afterEach(() => {
  cleanup();
  clearMocks();
  window.localStorage.clear();
});

// Display preferences of this workstation (not rules): kept in localStorage.
const LARGE_TEXT_KEY = 'regdesk.largeText';

export function loadLargeText(): boolean {
  try {
    return window.localStorage.getItem(LARGE_TEXT_KEY) === '1';
  } catch {
    return false;
  }
}

export function saveLargeText(on: boolean): void {
  try {
    window.localStorage.setItem(LARGE_TEXT_KEY, on ? '1' : '0');
  } catch {
    // storage unavailable: the preference lasts for this run only
  }
}

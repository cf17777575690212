import { describe, expect, it } from 'vitest';
import { canOpenBrowser } from './open-browser.js';

describe('canOpenBrowser', () => {
  it('honours INVOKER_NO_BROWSER=1 everywhere', () => {
    expect(canOpenBrowser({ INVOKER_NO_BROWSER: '1', DISPLAY: ':0' }, 'linux')).toBe(false);
    expect(canOpenBrowser({ INVOKER_NO_BROWSER: '1' }, 'darwin')).toBe(false);
  });
  it('needs a display on Linux (not over plain SSH or in a container), not on macOS or Windows', () => {
    expect(canOpenBrowser({}, 'linux')).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({}, 'darwin')).toBe(true);
    expect(canOpenBrowser({}, 'win32')).toBe(true);
  });
});

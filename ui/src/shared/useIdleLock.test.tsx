import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useIdleLock } from './useIdleLock';

const MIN = 60_000;

describe('useIdleLock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires after N minutes without activity', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(5, onIdle, true));
    act(() => vi.advanceTimersByTime(5 * MIN - 1));
    expect(onIdle).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(onIdle).toHaveBeenCalledTimes(1);
    // fires once, not again and again
    act(() => vi.advanceTimersByTime(20 * MIN));
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('keyboard and mouse activity restart the count', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(5, onIdle, true));
    act(() => vi.advanceTimersByTime(4 * MIN));
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    });
    act(() => vi.advanceTimersByTime(4 * MIN));
    expect(onIdle).not.toHaveBeenCalled();
    act(() => {
      window.dispatchEvent(new MouseEvent('mousemove'));
    });
    act(() => vi.advanceTimersByTime(4 * MIN));
    expect(onIdle).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1 * MIN));
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('does nothing when disabled or when the minutes are not positive', () => {
    const onIdle = vi.fn();
    const { rerender } = renderHook(({ m, on }) => useIdleLock(m, onIdle, on), { initialProps: { m: 1, on: false } });
    act(() => vi.advanceTimersByTime(10 * MIN));
    rerender({ m: 0, on: true });
    act(() => vi.advanceTimersByTime(10 * MIN));
    expect(onIdle).not.toHaveBeenCalled();
    rerender({ m: 2, on: true });
    act(() => vi.advanceTimersByTime(2 * MIN));
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stops listening when unmounted', () => {
    const onIdle = vi.fn();
    const { unmount } = renderHook(() => useIdleLock(1, onIdle, true));
    unmount();
    act(() => vi.advanceTimersByTime(5 * MIN));
    expect(onIdle).not.toHaveBeenCalled();
  });
});

import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { formKeys } from './keyboard';

function Sample({ submit }: { submit: () => void }) {
  return (
    <form onKeyDownCapture={formKeys(submit)} onSubmit={(e) => e.preventDefault()}>
      <input aria-label="a" />
      <input aria-label="skip" disabled />
      <input aria-label="b" />
      <textarea aria-label="c" />
      <input aria-label="d" />
    </form>
  );
}

describe('formKeys', () => {
  it('Enter moves to the next field and submits from the last one', () => {
    const submit = vi.fn();
    render(<Sample submit={submit} />);
    const a = screen.getByLabelText('a');
    a.focus();
    fireEvent.keyDown(a, { key: 'Enter' });
    expect(screen.getByLabelText('b')).toHaveFocus();
    fireEvent.keyDown(screen.getByLabelText('b'), { key: 'Enter' });
    expect(screen.getByLabelText('c')).toHaveFocus();
    // Enter in a textarea is a new line
    fireEvent.keyDown(screen.getByLabelText('c'), { key: 'Enter' });
    expect(screen.getByLabelText('c')).toHaveFocus();
    expect(submit).not.toHaveBeenCalled();
    fireEvent.keyDown(screen.getByLabelText('d'), { key: 'Enter' });
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('Ctrl+S and Ctrl+Enter submit from any field', () => {
    const submit = vi.fn();
    render(<Sample submit={submit} />);
    fireEvent.keyDown(screen.getByLabelText('a'), { key: 's', ctrlKey: true });
    fireEvent.keyDown(screen.getByLabelText('c'), { key: 'Enter', ctrlKey: true });
    expect(submit).toHaveBeenCalledTimes(2);
  });

  it('leaves Enter alone while an input method is composing', () => {
    const submit = vi.fn();
    render(<Sample submit={submit} />);
    const d = screen.getByLabelText('d');
    d.focus();
    fireEvent.keyDown(d, { key: 'Enter', keyCode: 229 });
    expect(submit).not.toHaveBeenCalled();
  });
});

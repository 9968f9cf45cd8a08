import { describe, expect, it } from 'vitest';
import { changedPaths, corePath, displayPath, fmtSize, related, stepOf, toDraft, withoutUnfit } from './draft';
import { filledDraft } from './testData';

describe('draft helpers', () => {
  it('turns the core’s field paths into form name paths', () => {
    expect(corePath('owners[1].id_number')).toEqual(['owners', 1, 'id_number']);
    expect(corePath('work.title')).toEqual(['work', 'title']);
    expect(corePath('authors[0]')).toEqual(['authors', 0]);
    expect(corePath('samples')).toEqual(['samples']);
    expect(corePath('writer.id_number')).toEqual(['writer', 'id_number']);
  });

  it('knows the step of each field', () => {
    expect(stepOf(['work', 'title'])).toBe(0);
    expect(stepOf(['work', 'completed_on'])).toBe(0);
    expect(stepOf(['work', 'rights'])).toBe(1);
    expect(stepOf(['owners', 1, 'id_number'])).toBe(2);
    expect(stepOf(['writer'])).toBe(2);
    expect(stepOf(['samples'])).toBe(3);
    expect(stepOf(['creation_story'])).toBe(4);
    expect(stepOf(['invoice_email'])).toBe(5);
    expect(stepOf(['something_else'])).toBe(6);
  });

  it('shows a whole-party problem under the party’s name', () => {
    expect(displayPath(['owners', 0], false)).toEqual(['owners', 0, 'name']);
    expect(displayPath(['writer'], true)).toEqual(['writer', 'name']);
    expect(displayPath(['writer'], false)).toBeNull();
    expect(displayPath(['owners'], false)).toBeNull();
    expect(displayPath(['owners', 1, 'id_number'], false)).toEqual(['owners', 1, 'id_number']);
  });

  it('lists the leaves of a sparse change', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(changedPaths({ owners: [, { id_number: 'x' }] })).toEqual([['owners', 1, 'id_number']]);
    expect(changedPaths({ work: { title: 'a' } })).toEqual([['work', 'title']]);
    expect(related(['owners'], ['owners', 1, 'name'])).toBe(true);
    expect(related(['owners', 0, 'name'], ['owners', 1, 'name'])).toBe(false);
  });

  it('fills every field of a loose form value and drops unfit parties', () => {
    const d = toDraft({ work: { title: '甲' } });
    expect(d.work.title).toBe('甲');
    expect(d.work.category).toBeNull();
    expect(d.owners).toEqual([]);
    expect(d.writer).toBeNull();
    const full = { ...filledDraft(), writer: toDraft({ writer: { name: '王' } }).writer };
    const kept = withoutUnfit(full, [
      { role: 'owner', index: 0, name: '张三', code: 'x', message: 'm' },
      { role: 'writer', index: 0, name: '王', code: 'writer_not_applicable', message: 'm' },
    ]);
    expect(kept.owners.map((o) => o.name)).toEqual(['李四']);
    expect(kept.authors).toHaveLength(2);
    expect(kept.writer).toBeNull();
  });

  it('formats sizes in KB and MB', () => {
    expect(fmtSize(512)).toBe('0.5 KB');
    expect(fmtSize(2_500_000)).toBe('2.4 MB');
  });
});

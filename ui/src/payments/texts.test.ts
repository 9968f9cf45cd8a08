import { describe, expect, it } from 'vitest';
import { en, pt, zhCN } from './texts';

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('payments texts', () => {
  it('zh-CN and en have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('every text is filled and uses the same placeholders in both languages', () => {
    for (const [k, zh] of Object.entries(zhCN)) {
      const e = en[k as keyof typeof zhCN];
      expect(zh.trim(), k).not.toBe('');
      expect(e.trim(), k).not.toBe('');
      expect(placeholders(e), k).toEqual(placeholders(zh));
    }
  });

  it('pt chooses Chinese and fills the placeholders', () => {
    expect(pt('export.done', { path: '/tmp/a.pdf' })).toBe('已导出：/tmp/a.pdf');
    expect(pt('transfer.done')).toBe('已登记，待另一位核款人员确认');
    expect(pt('check.makerCannot')).toBe('由您登记，须另一位核款人员确认');
  });
});

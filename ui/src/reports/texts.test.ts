import { describe, expect, it } from 'vitest';
import { en, stx, zhCN } from './texts';

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('statistics texts', () => {
  it('zh-CN and en have the same keys and placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [k, zh] of Object.entries(zhCN)) {
      const e = en[k as keyof typeof zhCN];
      expect(e.trim(), k).not.toBe('');
      expect(placeholders(e), k).toEqual(placeholders(zh));
    }
    expect(stx('announcement.count', { n: 3 })).toBe('共 3 件');
  });
});

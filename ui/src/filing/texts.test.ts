import { describe, expect, it } from 'vitest';
import { en, ft, zhCN } from './texts';
import { formatText } from '../shared/text';

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('filing texts', () => {
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

  it('ft chooses Chinese and fills the placeholders', () => {
    expect(ft('msg.printed', { path: '/tmp/a.pdf' })).toBe('申请表已生成：/tmp/a.pdf');
    expect(ft('sign.done')).toBe('全部签章完成，已进入待缴费');
    expect(formatText('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

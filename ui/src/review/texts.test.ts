import { describe, expect, it } from 'vitest';
import { en, rt, zhCN } from './texts';
import { REFUSAL_GROUNDS } from './options';

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('review texts', () => {
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

  it('rt chooses Chinese and fills the placeholders; every refusal ground has a label', () => {
    expect(rt('msg.printed', { path: '/tmp/n.pdf' })).toBe('已保存：/tmp/n.pdf');
    expect(rt('expire.notice', { serials: 'A、B' })).toBe('以下案件逾期未补正，已视为撤回：A、B');
    for (const g of REFUSAL_GROUNDS) expect(zhCN[`ground.${g}`]).toBeTruthy();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import en from './en';
import zhCN from './zh-CN';
import { placeholders, setLocale, t } from './index';
import { formatText } from '../shared/text';

describe('catalogues', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('use the same {placeholders} in every text', () => {
    const mismatched = Object.keys(zhCN).filter((k) => {
      const key = k as keyof typeof zhCN;
      return placeholders(zhCN[key]).join(',') !== placeholders(en[key]).join(',');
    });
    expect(mismatched).toEqual([]);
  });

  it('have no empty text', () => {
    for (const cat of [zhCN, en] as Record<string, string>[]) {
      expect(Object.entries(cat).filter(([, v]) => v.trim() === '')).toEqual([]);
    }
  });
});

describe('t', () => {
  afterEach(async () => {
    await setLocale('zh-CN');
  });

  it('speaks Chinese by default and fills placeholders', () => {
    expect(t('login.submit')).toBe('登录');
    expect(t('frame.sync.offline', { count: 3 })).toBe('离线 · 3 条变更待同步');
    expect(t('queue.empty', { queue: '待初审' })).toBe('暂无待初审作品');
  });

  it('switches to English', async () => {
    await setLocale('en');
    expect(t('login.submit')).toBe('Sign in');
  });

  it('leaves unknown placeholders as they are', () => {
    expect(formatText('{a} {b}', { a: 1 })).toBe('1 {b}');
    expect(placeholders('{b} {a} {b}')).toEqual(['a', 'b']);
  });
});

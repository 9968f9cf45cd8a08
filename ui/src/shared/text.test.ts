import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n';
import { formatText, makeTexts } from './text';

const zhCN = { hello: '你好，{name}', onlyZh: '只有中文' };
const en: Record<keyof typeof zhCN, string> = { hello: 'Hello, {name}', onlyZh: '' };
const tt = makeTexts<keyof typeof zhCN>(zhCN, en);

describe('shared text helper', () => {
  afterEach(async () => {
    await setLocale('zh-CN');
  });

  it('fills the placeholders it has values for', () => {
    expect(formatText('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(formatText('{a}')).toBe('{a}');
  });

  it('follows the language the frame chose', async () => {
    expect(tt('hello', { name: '张三' })).toBe('你好，张三');
    await setLocale('en');
    expect(tt('hello', { name: 'Zhang' })).toBe('Hello, Zhang');
  });

  it('falls back to Chinese, then to the key, only when a text is missing', async () => {
    await setLocale('en');
    expect(tt('onlyZh')).toBe('');
    const partial = makeTexts<'a' | 'b'>({ a: 'A中' } as Record<'a' | 'b', string>, {} as Record<'a' | 'b', string>);
    expect(partial('a')).toBe('A中');
    expect(partial('b')).toBe('b');
  });
});

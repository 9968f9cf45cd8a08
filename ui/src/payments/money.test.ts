import { describe, expect, it } from 'vitest';
import { fenToInput, fmtYuan, parseClock, parseDay, parseYuan } from './money';

describe('yuan → fen', () => {
  it.each([
    ['150', 15000],
    ['150.00', 15000],
    ['150.5', 15050],
    ['150.05', 15005],
    ['1,350.50', 135050],
    ['1350.50', 135050],
    ['12,345,678.99', 1234567899],
    ['0.01', 1],
    ['0', 0],
    ['007', 700],
    [' 150 ', 15000],
    ['¥150', 15000],
    ['￥1,350.50', 135050],
    ['150元', 15000],
    ['１５０．５０', 15050],
    ['1，350.50', 135050],
    ['0.29', 29],
    ['1.13', 113],
    ['4.35', 435],
    ['9999999999999.99', 999999999999999],
  ])('%s → %i fen', (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, value: fen });
  });

  it.each([
    ['', '请填写金额'],
    ['   ', '请填写金额'],
    ['-150', '不能为负数'],
    ['150.001', '最多两位小数'],
    ['1,35.00', '千分位逗号'],
    ['1350,50', '千分位逗号'],
    [',150', '千分位逗号'],
    ['1,350.5,0', '千分位逗号'],
    ['1.2.3', '一个小数点'],
    ['150.', '小数点后'],
    ['.50', '小数点前'],
    ['abc', '只能含数字'],
    ['1e3', '只能含数字'],
    ['150 元整', '只能含数字'],
    ['10000000000000', '金额过大'],
  ])('%j is refused: %s', (text, message) => {
    const r = parseYuan(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('formats fen as ¥ with thousands and two decimals', () => {
    expect(fmtYuan(135050)).toBe('¥1,350.50');
    expect(fmtYuan(15000)).toBe('¥150.00');
    expect(fmtYuan(5)).toBe('¥0.05');
    expect(fmtYuan(0)).toBe('¥0.00');
    expect(fmtYuan(-2500)).toBe('-¥25.00');
    expect(fmtYuan(123456789)).toBe('¥1,234,567.89');
    expect(fmtYuan(null)).toBe('');
    expect(fenToInput(135050)).toBe('1350.50');
    expect(parseYuan(fenToInput(135050))).toEqual({ ok: true, value: 135050 });
  });
});

describe('typed dates and times', () => {
  it.each([
    ['2026-11-25', '2026-11-25'],
    ['2026/11/25', '2026-11-25'],
    ['20261125', '2026-11-25'],
    ['2026.1.5', '2026-01-05'],
    ['2026年11月25日', '2026-11-25'],
    ['2028-02-29', '2028-02-29'],
  ])('%s → %s', (text, day) => expect(parseDay(text)).toEqual({ ok: true, value: day }));

  it.each(['', '2026-13-01', '2026-02-29', '2026-11-31', '26-11-25', '2026112', 'tomorrow'])('%j is not a day', (text) => {
    expect(parseDay(text).ok).toBe(false);
  });

  it.each([
    ['9:30', '09:30:00'],
    ['09:30', '09:30:00'],
    ['0930', '09:30:00'],
    ['09:30:15', '09:30:15'],
    ['093015', '09:30:15'],
    ['23：59', '23:59:00'],
  ])('%s → %s', (text, time) => expect(parseClock(text)).toEqual({ ok: true, value: time }));

  it.each(['', '24:00', '12:60', '930', 'noon'])('%j is not a time', (text) => {
    expect(parseClock(text).ok).toBe(false);
  });
});

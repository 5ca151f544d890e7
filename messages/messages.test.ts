import { describe, expect, it } from 'vitest';
import { MESSAGES } from './index';

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('messages', () => {
  it('English has exactly the German keys', () => {
    expect(keys(MESSAGES.en).sort()).toEqual(keys(MESSAGES.de).sort());
  });
  it('no message is empty', () => {
    for (const locale of ['de', 'en'] as const) {
      const empty = keys(MESSAGES[locale]).filter((k) => {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], MESSAGES[locale]);
        return typeof v !== 'string' || v.trim() === '';
      });
      expect(empty, locale).toEqual([]);
    }
  });
});

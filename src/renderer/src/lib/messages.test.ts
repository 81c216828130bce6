import { describe, expect, it } from 'vitest';
import { MESSAGES, translate, type MessageKey } from './messages';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('UI messages', () => {
  const keys = Object.keys(MESSAGES.nb) as MessageKey[];

  it('has every key in every language, none empty, with the same parameters as Norwegian', () => {
    for (const language of ['sv', 'en'] as const) {
      expect(Object.keys(MESSAGES[language]).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        expect(MESSAGES[language][key].trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(MESSAGES[language][key]), `${language} ${key}`).toEqual(placeholders(MESSAGES.nb[key]));
      }
    }
  });

  it('fills parameters and leaves unknown ones visible rather than silently empty', () => {
    expect(translate('nb', 'mapping.saved', { ready: 145, blocked: 18 })).toBe(
      'Lagret. 145 bilag klare, 18 trenger tiltak.',
    );
    expect(translate('sv', 'mapping.blockedHeading', { count: 2 })).toBe('2 verifikationer behöver åtgärd');
    expect(translate('en', 'overview.salesHeading')).toBe('Sales per day and VAT rate (last {days} days)');
  });
});

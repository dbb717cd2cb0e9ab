import { afterEach, describe, expect, it } from 'vitest';
import { parseLocaleTag } from '../../src/manifest/locales.js';

describe('locale tags', () => {
  it.each([
    ['en-US', 'en-US', 'American English', 'ltr'],
    ['en', 'en', 'English', 'ltr'],
    ['de-de', 'de-DE', 'German', 'ltr'],
    ['ja-JP', 'ja-JP', 'Japanese', 'ltr'],
    ['zh-cn', 'zh-CN', 'Simplified Chinese', 'ltr'],
    ['zh-TW', 'zh-TW', 'Traditional Chinese', 'ltr'],
    ['zh-HK', 'zh-HK', 'Traditional Chinese (Hong Kong)', 'ltr'],
    ['pt-BR', 'pt-BR', 'Brazilian Portuguese', 'ltr'],
    ['th-TH', 'th-TH', 'Thai', 'ltr'],
    ['ar-SA', 'ar-SA', 'Arabic', 'rtl'],
    ['he-IL', 'he-IL', 'Hebrew', 'rtl'],
    ['iw', 'he', 'Hebrew', 'rtl'],
    ['fa-IR', 'fa-IR', 'Persian', 'rtl'],
    ['ur-PK', 'ur-PK', 'Urdu', 'rtl'],
    ['ru-RU', 'ru-RU', 'Russian', 'ltr'],
    ['sr-Cyrl-RS', 'sr-Cyrl-RS', 'Serbian', 'ltr'],
    ['az-Arab', 'az-Arab', 'Azerbaijani', 'rtl'],
  ])('%s -> %s, %s, %s', (raw, tag, language, direction) => {
    expect(parseLocaleTag(raw)).toEqual({ tag, language, direction });
  });

  it.each(['en_US', 'english', 'xx', 'xx-XX', 'und', '', 'en-', '12'])('rejects %j', (raw) => {
    expect(parseLocaleTag(raw)).toHaveProperty('problem');
  });

  // Names are part of every prompt (and so of every generation key): read from the repository's
  // table, they stay the same whatever CLDR names the machine's Node carries.
  describe('names from the table, not from the host ICU', () => {
    const original = Intl.DisplayNames;
    // Intl's members are typed read-only; the test swaps one for the length of a test.
    const intl = Intl as { DisplayNames: typeof Intl.DisplayNames };
    afterEach(() => {
      intl.DisplayNames = original;
    });
    it('names every variety with Intl.DisplayNames gone', () => {
      intl.DisplayNames = class {
        constructor() {
          throw new Error('no ICU display names here');
        }
      } as unknown as typeof Intl.DisplayNames;
      expect(parseLocaleTag('pt-BR')).toEqual({ tag: 'pt-BR', language: 'Brazilian Portuguese', direction: 'ltr' });
      expect(parseLocaleTag('zh-HK')).toEqual({ tag: 'zh-HK', language: 'Traditional Chinese (Hong Kong)', direction: 'ltr' });
      expect(parseLocaleTag('en-US')).toEqual({ tag: 'en-US', language: 'American English', direction: 'ltr' });
      expect(parseLocaleTag('xx')).toHaveProperty('problem');
    });
  });
});

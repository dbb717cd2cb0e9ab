import { describe, expect, it } from 'vitest';
import { layerEntry, type TypesetLayer } from '../../src/typeset/index.js';

describe('the manifest entry of a typeset layer', () => {
  it('is the one projection of what the typesetter drew: fonts, size, lines, box, contrast reached and treatment', () => {
    const drawn: TypesetLayer = {
      field: 'headline',
      text: 'Cold brew, hot streak',
      fontFiles: ['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'],
      size: 48,
      lines: ['Cold brew,', 'hot streak'],
      box: { x: 10, y: 20, width: 300, height: 120 },
      ink: { x: 12, y: 24, width: 280, height: 100 },
      contrast: { ratio: 7.1, before: 2.3, treatment: 'scrim' },
    };
    expect(layerEntry(drawn)).toEqual({
      field: 'headline',
      text: 'Cold brew, hot streak',
      fonts: ['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'],
      size: 48,
      lines: ['Cold brew,', 'hot streak'],
      box: { x: 10, y: 20, width: 300, height: 120 },
      contrast: 7.1,
      treatment: 'scrim',
    });
  });
});

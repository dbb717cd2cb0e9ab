import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBelow, relativeInside } from '../../src/core/path-inside.js';

const root = resolve('/project');

describe('relativeInside and isBelow', () => {
  it('gives the path under the root, and the empty path for the root itself', () => {
    expect(relativeInside(root, join(root, 'out', 'a.png'))).toBe(join('out', 'a.png'));
    expect(relativeInside(root, root)).toBe('');
    expect(isBelow(root, join(root, 'out'))).toBe(true);
    expect(isBelow(root, root)).toBe(false);
  });

  it('refuses the parent, a sibling and anything reached through ..', () => {
    for (const path of [resolve(root, '..'), resolve('/project-old/a.png'), resolve('/elsewhere'), join(root, '..', 'x')]) {
      expect(relativeInside(root, path)).toBeUndefined();
      expect(isBelow(root, path)).toBe(false);
    }
  });

  it('keeps a child whose name starts with two dots inside', () => {
    expect(relativeInside(root, join(root, '..drafts', 'a.png'))).toBe(join('..drafts', 'a.png'));
    expect(isBelow(root, join(root, '...'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { messageOf } from '../../src/core/errors.js';
import { createSpendBook } from '../../src/dev/spend.js';

/** The words a refusal is shown in (the catalogue's E_BUDGET sentence). */
const words = (answer: ReturnType<ReturnType<typeof createSpendBook>['allowance']>) => ('refused' in answer ? messageOf('E_BUDGET', answer.refused) : answer);

/** pressroom dev spends only with consent, and counts what it spent for as long as it runs. */
describe('the dev spend book', () => {
  it('refuses everything without --max-cost or a campaign budget', () => {
    const book = createSpendBook(undefined);
    const answer = book.allowance('launch', undefined);
    expect(words(answer)).toMatch(/only with consent.*--max-cost.*launch a budget:.*nothing was submitted/);
  });

  it('gives what is left of --max-cost over the whole session, across campaigns', () => {
    const book = createSpendBook(1);
    expect(book.allowance('a', undefined)).toEqual({ usd: 1 });
    book.add('a', 0.3);
    book.add('b', 0.5);
    expect(book.allowance('a', undefined)).toEqual({ usd: 0.2 });
    book.add('a', 0.2);
    expect(words(book.allowance('b', undefined))).toMatch(/--max-cost \$1\.00 \(\$1\.00 spent in this session\)/);
    expect([book.spent(), book.spent('a'), book.spent('b')]).toEqual([1, 0.5, 0.5]);
  });

  it('holds each campaign to its own budget over the session, under --max-cost when both are given', () => {
    const book = createSpendBook(5);
    expect(book.allowance('a', 0.5)).toEqual({ usd: 0.5 });
    book.add('a', 0.5);
    expect(words(book.allowance('a', 0.5))).toMatch(/a's budget \$0\.500 \(\$0\.500 spent/);
    expect(book.allowance('b', 0.5)).toEqual({ usd: 0.5 });
    const alone = createSpendBook(undefined);
    alone.add('a', 0.25);
    expect(alone.allowance('a', 0.5)).toEqual({ usd: 0.25 });
  });

  it('never counts a refund or nothing as spend', () => {
    const book = createSpendBook(1);
    book.add('a', 0);
    book.add('a', -2);
    book.add('a', Number.NaN);
    expect(book.spent()).toBe(0);
  });
});

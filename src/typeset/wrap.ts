import { graphemeSegments } from './graphemes.js';
import type { Break } from './breaks.js';
import { lineExtent, type LineMetrics, type Measurer, type Paragraph } from './measure.js';

/**
 * Line breaking of one paragraph at one size: greedy first fit over the normal breaks, falling
 * back to emergency breaks (inside a CJK phrase) and hyphenation points only for a phrase or word
 * wider than the line. Then, as a typesetter would: lines balanced to even lengths (at most six
 * lines, as CSS `text-wrap: balance`), and no single word or CJK phrase left alone on the last line
 * where another break exists.
 */

export interface LineSpan {
  readonly start: number;
  readonly end: number;
  /** Ends at a hyphenation point: drawn with a hyphen. */
  readonly hyphen: boolean;
}

/** A paragraph with its breaks, and its lines' metrics memoised at the reference size. */
export interface Prepared {
  readonly p: Paragraph;
  readonly breaks: readonly Break[];
  /** True when the paragraph has hyphenation points (soft hyphens or dictionary ones). */
  readonly hyphenable: boolean;
  line(start: number, end: number, hyphen: boolean, size: number): LineMetrics;
  /** The line's extent (lineExtent) at `size`, without building its metrics: what wrapping asks most. */
  extent(start: number, end: number, hyphen: boolean, size: number): number;
}

const REFERENCE = 100;

export function prepare(p: Paragraph, breaks: readonly Break[], measurer: Measurer): Prepared {
  const memo = new Map<number, LineMetrics>();
  const width = p.text.length + 1;
  const at = (start: number, end: number, hyphen: boolean) => {
    const key = (start * width + end) * 2 + (hyphen ? 1 : 0);
    let ref = memo.get(key);
    if (!ref) memo.set(key, (ref = measurer.line(p, start, end, REFERENCE, hyphen)));
    return ref;
  };
  return {
    p,
    breaks,
    hyphenable: breaks.some((b) => b.kind === 'hyphen'),
    extent: (start, end, hyphen, size) => (lineExtent(at(start, end, hyphen)) * size) / REFERENCE,
    line(start, end, hyphen, size) {
      const ref = at(start, end, hyphen);
      const k = size / REFERENCE;
      return { ...ref, advance: ref.advance * k, inkLeft: ref.inkLeft * k, inkRight: ref.inkRight * k, ascent: ref.ascent * k, descent: ref.descent * k, pieces: ref.pieces.map((pc) => ({ ...pc, x: pc.x * k })) };
    },
  };
}

export interface Wrapped {
  readonly spans: readonly LineSpan[];
  /** Some line is wider than the limit (a word with no break that fits). */
  readonly overflow: boolean;
}

/** Greedy lines no wider than `limit` at `size`; `hyphens` allows hyphenation points. */
export function wrap(pr: Prepared, size: number, limit: number, hyphens: boolean): Wrapped {
  const len = pr.p.text.length;
  const fits = (s: number, e: number, h = false) => pr.extent(s, e, h, size) <= limit;
  const normal = [...pr.breaks.filter((b) => b.kind === 'normal').map((b) => b.at), len];
  const spans: LineSpan[] = [];
  let overflow = false;
  let start = 0;
  let lastFit: number | undefined;
  for (let i = 0; i < normal.length; ) {
    const b = normal[i]!;
    if (fits(start, b)) {
      lastFit = b;
      i++;
      continue;
    }
    if (lastFit !== undefined) {
      // A word that fits a line of its own goes there whole: display copy is hyphenated only inside
      // a word too wide for any line ("fol-lows" to fill a headline's line is not how it is set).
      spans.push({ start, end: lastFit, hyphen: false });
      start = lastFit;
      lastFit = undefined;
      continue;
    }
    // The phrase or word alone is too wide: break inside it where allowed.
    const inner = pr.breaks.filter((x) => x.at > start && x.at < b && (x.kind === 'emergency' || (hyphens && x.kind === 'hyphen')));
    const best = [...inner].reverse().find((x) => fits(start, x.at, x.kind === 'hyphen'));
    if (!best) {
      overflow = true;
      spans.push({ start, end: b, hyphen: false });
      start = b;
      i++;
      continue;
    }
    spans.push({ start, end: best.at, hyphen: best.kind === 'hyphen' });
    start = best.at;
  }
  if (start < len || spans.length === 0) spans.push({ start, end: len, hyphen: false });
  return { spans, overflow };
}

/**
 * The same number of lines in the narrowest width that still holds them (balanced lines), then
 * the last line given company: a single word (or CJK phrase) takes the previous line's last word
 * with it when that fits.
 */
export function refine(pr: Prepared, size: number, limit: number, hyphens: boolean, wrapped: Wrapped): Wrapped {
  if (wrapped.overflow || wrapped.spans.length < 2) return wrapped;
  let best = wrapped;
  if (wrapped.spans.length <= 6) {
    const n = wrapped.spans.length;
    // Balancing moves breaks between words; it never buys evenness with a break inside one
    // ("HYDRATIO | N, REFINED" is as many lines as "HYDRATION, | REFINED").
    const normal = new Set(pr.breaks.filter((b) => b.kind === 'normal').map((b) => b.at));
    const inside = (w: Wrapped) => w.spans.slice(0, -1).filter((sp) => !normal.has(sp.end)).length;
    const allowed = inside(wrapped);
    let lo = limit / n;
    let hi = limit;
    for (let k = 0; k < 8 && hi - lo > 1; k++) {
      const mid = (lo + hi) / 2;
      const w = wrap(pr, size, mid, hyphens);
      if (!w.overflow && w.spans.length === n && inside(w) <= allowed) {
        best = w;
        hi = mid;
      } else lo = mid;
    }
  }
  return withoutOrphan(pr, size, limit, best);
}

const CLOSELY_SET = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * The last line alone is an orphan when it is one word (text with spaces), or at most two
 * characters beside punctuation (scripts set without spaces: "竹。"). It takes the previous
 * line's last word or phrase along, when that fits and leaves the last line no wider than the one above.
 */
function withoutOrphan(pr: Prepared, size: number, limit: number, w: Wrapped): Wrapped {
  const spans = [...w.spans];
  const last = spans[spans.length - 1]!;
  const prev = spans[spans.length - 2]!;
  const normalIn = (s: number, e: number) => pr.breaks.filter((b) => b.kind === 'normal' && b.at > s && b.at < e).map((b) => b.at);
  const text = pr.p.text.slice(last.start, last.end).trim();
  const letters = graphemeSegments(text).filter((g) => /[\p{L}\p{N}]/u.test(g.segment)).length;
  const orphan = CLOSELY_SET.test(text) ? letters <= 2 : normalIn(last.start, last.end).length === 0;
  if (!orphan || prev.hyphen) return w;
  const cut = normalIn(prev.start, prev.end).at(-1);
  if (cut === undefined) return w;
  const moved = pr.extent(cut, last.end, false, size);
  if (moved > limit || moved > pr.extent(prev.start, cut, false, size)) return w;
  spans[spans.length - 2] = { start: prev.start, end: cut, hyphen: false };
  spans[spans.length - 1] = { start: cut, end: last.end, hyphen: false };
  return { spans, overflow: false };
}

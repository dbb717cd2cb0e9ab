import { escapeHtml as h, fileHref } from './escape.js';
import { fontCss, page, type PageFonts } from './html.js';

export interface DiffRow {
  readonly cell: string;
  /** Images relative to out/<campaign>; absent when the approved image is no longer in the cache. */
  readonly approved?: string;
  readonly current?: string;
  readonly score?: number;
  readonly note?: string;
  /** What changed since approval, in words. */
  readonly changes?: readonly string[];
}

function img(file: string | undefined, label: string): string {
  if (!file) return `<div class="missing">${h(label)}: not in the cache</div>`;
  return `<a href="${h(fileHref(file))}"><img src="${h(fileHref(file))}" alt="${h(label)}"></a>`;
}

/** out/<campaign>/diff.html: approved and new image of every changed cell, side by side, with the score. */
export function renderDiffPage(campaign: string, rows: readonly DiffRow[], fonts?: PageFonts): string {
  const cards = rows.map(
    (r) => `<figure class="card" data-cell="${h(r.cell)}">
<div class="shots">${img(r.approved, `${r.cell} approved`)}${img(r.current, `${r.cell} new`)}</div>
<figcaption><span class="tag">${h(r.cell)}</span> approved | new${r.score !== undefined ? ` · difference <strong class="score">${h(r.score.toFixed(3))}</strong>` : ''}${r.note ? ` · ${h(r.note)}` : ''}${r.changes && r.changes.length > 0 ? `<ul class="changes" lang="${h(r.cell.split('/')[1] ?? '')}">${r.changes.map((c) => `<li>${h(c)}</li>`).join('')}</ul>` : ''}</figcaption>
</figure>`,
  );
  const body = `<header><h1>${h(campaign)}: changes since approval</h1>
<p class="meta">${rows.length} changed cell${rows.length === 1 ? '' : 's'} · difference 0 = same picture, 1 = nothing alike · <a href="index.html">gallery</a> · <a href="diff.png">diff.png</a></p></header>
<main class="grid">
${cards.join('\n')}
</main>`;
  return page(`${campaign} · changes since approval`, body, fontCss(fonts));
}

import { escapeHtml as h } from '../report/gallery/escape.js';

/**
 * The review page's HTML: a shell the script fills from /_dev/state and keeps current from
 * /_dev/events. Strict like the static gallery, but a server page: everything from this origin
 * only (the script, the styles, the pictures, the fonts, the event stream and the requests), no
 * inline script or style, never framed by another site.
 */
export const DEV_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every answer of the server. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

function shell(title: string, token: string, body: string, extraCss: readonly string[] = []): string {
  const css = ['/_dev/app.css', ...extraCss].map((href) => `<link rel="stylesheet" href="${h(href)}">`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="pressroom-token" content="${h(token)}">
<title>${h(title)}</title>
${css}
<script src="/_dev/app.js" defer></script>
</head>
<body>
${body}
</body>
</html>
`;
}

/** /c/<campaign>/: the campaign's matrix of cells; fonts.css carries the faces of its scripts. */
export function campaignPage(campaign: string, token: string): string {
  const body = `<div id="app" data-campaign="${h(campaign)}">
<header class="top"><h1>${h(campaign)}</h1><span id="status" class="status">connecting…</span>
<p class="meta"><span id="meta"></span> · <span id="spend"></span> · <a href="/">all campaigns</a></p>
<nav class="filters"><label>Variant <select id="variant-filter" aria-label="Variant"></select></label><label>Locale <input id="locale-filter" placeholder="de, ar-SA…" aria-label="Locale"></label><span id="notice" role="status"></span></nav></header>
<section id="problems" class="problems" hidden></section>
<main id="matrix"></main>
<dialog id="viewer"><img id="viewer-image" alt=""><p id="viewer-caption"></p><button type="button" data-close>close</button></dialog>
<dialog id="compare"><header><h2 id="compare-title"></h2><div id="compare-locales"></div><button type="button" data-close>close</button></header><div id="compare-row" class="compare-row"></div></dialog>
</div>`;
  return shell(`${campaign} · pressroom dev`, token, body, ['_fonts.css']);
}

/** /: every campaign served, with its state. */
export function indexPage(token: string): string {
  return shell('pressroom dev', token, `<div id="app" data-index="1"><header class="top"><h1>pressroom dev</h1><span id="status" class="status">connecting…</span></header><main id="campaigns"></main></div>`);
}

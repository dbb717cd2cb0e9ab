/**
 * The gallery's style and script, inlined into every page so it works from file:// with no server
 * and no network. The script only reads data-* attributes: no user string is ever in script text.
 */
export const GALLERY_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; padding: 1rem 1.5rem; background: #f4f4f2; color: #1d1d1b; }
@media (prefers-color-scheme: dark) { body { background: #1b1b1d; color: #eee; } .card { background: #2a2a2d; } }
header h1 { margin: 0 0 .25rem; font-size: 1.4rem; }
.meta { opacity: .75; margin: 0 0 1rem; }
.filters { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.filters label { display: flex; gap: .4rem; align-items: center; }
/* Cards keep their own height: a banner's card is not stretched to a story's beside it. */
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 1rem; align-items: start; }
.card { background: #fff; border-radius: 8px; padding: .75rem; box-shadow: 0 1px 3px #0002; margin: 0; }
.card[hidden] { display: none; }
.card.failed { border: 2px solid #c0392b; }
.shots { display: flex; gap: .4rem; align-items: flex-end; }
.shots button, .shots a { flex: 1; padding: 0; border: 0; background: none; cursor: zoom-in; }
/* A tall story is capped, centred at its own width, so a row of mixed shapes stays compact. */
.shots img { max-width: 100%; max-height: 22rem; width: auto; height: auto; display: block; margin: 0 auto; border-radius: 4px; }
.shots .approved img { outline: 3px solid #27ae60; }
figcaption { font-size: .85rem; line-height: 1.35; margin-top: .5rem; }
.tag { display: inline-block; padding: 0 .35rem; border-radius: 3px; background: #0001; margin-right: .25rem; }
.headline { font-weight: 600; margin: .3rem 0; }
details { margin-top: .3rem; }
details p { white-space: pre-wrap; word-break: break-word; }
.error { color: #c0392b; font-family: ui-monospace, monospace; }
dialog { max-width: 95vw; max-height: 95vh; padding: .5rem; }
dialog img { max-width: 92vw; max-height: 85vh; display: block; }
table { border-collapse: collapse; } td, th { padding: .3rem .6rem; text-align: left; border-bottom: 1px solid #8884; vertical-align: middle; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.index .previews { display: flex; gap: .3rem; align-items: center; }
.index .previews img { max-height: 64px; max-width: 10rem; width: auto; height: auto; display: block; border-radius: 3px; box-shadow: 0 1px 2px #0003; }
`;

export const GALLERY_SCRIPT = `
(function () {
  var cards = Array.prototype.slice.call(document.querySelectorAll('.card'));
  var selects = Array.prototype.slice.call(document.querySelectorAll('.filters select'));
  function apply() {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = selects.every(function (s) { return s.value === '' || card.getAttribute('data-' + s.name) === s.value; });
      card.hidden = !ok;
      if (ok) shown++;
    });
    var count = document.getElementById('count');
    if (count) count.textContent = String(shown);
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  var viewer = document.getElementById('viewer');
  var full = document.getElementById('viewer-image');
  var caption = document.getElementById('viewer-caption');
  document.querySelectorAll('[data-full]').forEach(function (button) {
    button.addEventListener('click', function () {
      full.src = button.getAttribute('data-full');
      full.alt = button.getAttribute('data-label');
      caption.textContent = button.getAttribute('data-label');
      viewer.showModal();
    });
  });
  viewer.addEventListener('click', function (e) { if (e.target === viewer || e.target === full) viewer.close(); });
  apply();
})();
`;

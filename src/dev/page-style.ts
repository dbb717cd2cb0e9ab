/** The review page's styles, served as /_dev/app.css (the page's policy allows no inline style). */
export const DEV_STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; --ok: #1a7f37; --warn: #9a6700; --bad: #c0392b; --line: #8884; }
body { margin: 0; padding: .75rem 1.25rem 3rem; background: #f4f4f2; color: #1d1d1b; }
@media (prefers-color-scheme: dark) { body { background: #1b1b1d; color: #eee; } .card, .problems, dialog { background: #2a2a2d; color: #eee; } }
.top h1 { display: inline; margin: 0 .75rem 0 0; font-size: 1.35rem; }
.status { font-size: .85rem; padding: .1rem .5rem; border-radius: 1rem; background: #0001; }
.status.ready { color: var(--ok); } .status.invalid { color: var(--bad); } .status.busy { color: var(--warn); }
.meta { opacity: .8; margin: .3rem 0 .6rem; font-size: .9rem; }
.filters { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin-bottom: .75rem; font-size: .9rem; }
#notice { white-space: pre-wrap; opacity: .8; }
.problems { border: 2px solid var(--bad); border-radius: 8px; padding: .5rem 1rem; margin-bottom: 1rem; background: #fff; }
.problems h2 { margin: .2rem 0; font-size: 1rem; color: var(--bad); }
.problems pre { white-space: pre-wrap; word-break: break-word; margin: 0; font-size: .85rem; }
.variant h2 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
table.matrix { border-collapse: separate; border-spacing: .5rem; }
.matrix th { text-align: left; font-size: .85rem; vertical-align: bottom; }
.matrix thead th span { display: block; }
.matrix .row-head { vertical-align: top; min-width: 7rem; padding-top: .5rem; }
.row-head .tag { display: block; font-weight: 700; }
.row-head small { display: block; opacity: .75; }
.matrix button, .actions button { font-size: .75rem; margin-top: .25rem; }
.matrix td { vertical-align: top; }
.card { margin: 0; background: #fff; border-radius: 8px; padding: .45rem; box-shadow: 0 1px 3px #0002; width: 15rem; }
.card.approved { box-shadow: 0 0 0 3px var(--ok); }
.card.state-failed { border: 2px solid var(--bad); }
.card.state-needs-generation { border: 2px dashed var(--warn); }
.shots { display: flex; gap: .35rem; align-items: flex-end; }
.shot { position: relative; flex: 1; min-width: 0; }
.shot .open { padding: 0; border: 0; background: none; cursor: zoom-in; display: block; width: 100%; }
.shot img { display: block; max-width: 100%; max-height: 13rem; width: auto; height: auto; margin: 0 auto; border-radius: 4px; background: #0001; }
.shot.approved img { outline: 3px solid var(--ok); outline-offset: 1px; }
.shot .pick { position: absolute; top: .25rem; left: .25rem; min-width: 1.3rem; height: 1.3rem; line-height: 1.3rem; text-align: center; border-radius: .65rem; background: #000a; color: #fff; font-size: .75rem; font-weight: 700; font-family: ui-monospace, monospace; }
.shot.approved .pick { background: var(--ok); }
.shot .choose { display: block; margin: .2rem auto 0; }
.shot .delivered { display: block; text-align: center; font-size: .7rem; opacity: .7; margin-top: .3rem; min-height: 1em; }
.hole { display: flex; align-items: center; justify-content: center; text-align: center; width: 100%; max-height: 13rem; border-radius: 4px; background: repeating-linear-gradient(45deg, #0000000a 0 8px, #0000 8px 16px); font-size: .8rem; opacity: .85; }
figcaption { font-size: .8rem; line-height: 1.35; margin-top: .35rem; }
.texts { margin: 0; }
.texts .text { display: block; font-size: .75rem; opacity: .8; }
.texts .field-headline { font-weight: 700; font-size: .9rem; opacity: 1; }
.approval { margin: .2rem 0 0; opacity: .8; }
.card.approved .approval { color: var(--ok); opacity: 1; font-weight: 600; }
.changes { color: var(--warn); margin: .2rem 0 0; }
.error { color: var(--bad); font-family: ui-monospace, monospace; word-break: break-word; }
.cost { margin: .2rem 0 0; font-weight: 600; }
.actions { display: flex; gap: .3rem; flex-wrap: wrap; }
details { margin-top: .25rem; } details p { white-space: pre-wrap; word-break: break-word; margin: .2rem 0; }
dialog { max-width: 96vw; max-height: 94vh; padding: .6rem; border-radius: 8px; }
#viewer img { max-width: 92vw; max-height: 84vh; display: block; }
#compare header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
#compare h2 { font-size: 1rem; margin: 0; }
#compare-locales { display: flex; gap: .5rem; flex-wrap: wrap; font-size: .8rem; max-width: 70vw; }
.compare-row { display: flex; gap: .75rem; overflow-x: auto; margin-top: .6rem; align-items: flex-start; }
.card.compared { width: auto; flex: 0 0 auto; }
.card.compared img { max-height: 70vh; max-width: 44vw; display: block; border-radius: 4px; }
ul.campaigns { list-style: none; padding: 0; font-size: 1.05rem; } ul.campaigns li { margin: .4rem 0; }
`;

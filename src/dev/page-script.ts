/**
 * The review page's script, served as /_dev/app.js (the page's policy allows no inline script).
 * It builds every element with textContent and attributes, never HTML from strings: headlines,
 * prompts and file names are shown, not parsed. Each save's changes arrive as events: a campaign
 * redrawn whole, or only its changed cells.
 */
export const DEV_SCRIPT = String.raw`
(function () {
  'use strict';
  var app = document.getElementById('app');
  var token = document.querySelector('meta[name="pressroom-token"]').getAttribute('content');
  var page = app.getAttribute('data-campaign');
  var states = {};
  var spend = { spent: 0 };
  var cards = {};
  var updates = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = v;
      else if (k === 'className') node.className = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function money(usd, provider) {
    if (usd === null || usd === undefined) return 'unknown';
    if (usd === 0 && provider === 'local') return 'free';
    return '$' + usd.toFixed(usd > 0 && usd < 1 ? 3 : 2);
  }
  function bump() { updates++; document.body.setAttribute('data-updates', String(updates)); }

  function post(action, body) {
    var notice = document.getElementById('notice');
    if (notice) notice.textContent = action + '…';
    return fetch('/_dev/' + action, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pressroom-token': token }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (notice) notice.textContent = result.errors && result.errors.length ? result.errors.map(function (e) { return e.code + ': ' + e.message; }).join('\n') : action + ': done';
        document.body.setAttribute('data-last-action', action + ':' + result.status);
        return result;
      });
  }

  // Problems exactly as the terminal prints them: grouped by code, each group's hint once.
  function renderProblems(state) {
    var box = document.getElementById('problems');
    if (!box) return;
    box.textContent = '';
    var problems = state ? state.problems : [];
    box.hidden = problems.length === 0;
    if (problems.length === 0) return;
    var groups = [];
    var byCode = {};
    problems.forEach(function (p) {
      if (!byCode[p.code]) { byCode[p.code] = { code: p.code, hint: p.hint, lines: [] }; groups.push(byCode[p.code]); }
      byCode[p.code].lines.push(p.shown);
    });
    var text = groups.map(function (g) { return g.lines.join('\n') + '\n  hint: ' + g.hint; }).join('\n');
    box.appendChild(el('h2', { text: problems.length + ' problem' + (problems.length === 1 ? '' : 's') }));
    box.appendChild(el('pre', { text: text }));
  }

  function canSpend(view) { return spend.maxCost !== undefined || (view && view.budget !== undefined); }
  function renderSpend(view) {
    var node = document.getElementById('spend');
    if (!node || !view) return;
    if (!view.paid) { node.textContent = 'nothing here is paid for'; return; }
    var limits = [];
    if (spend.maxCost !== undefined) limits.push(money(spend.spent) + ' of --max-cost ' + money(spend.maxCost) + ' spent');
    if (view.budget !== undefined) limits.push('budget ' + money(view.budget) + ' per session');
    node.textContent = limits.length ? limits.join(' · ') : 'paid generations off: start dev with --max-cost <usd> (or give the campaign a budget:)';
  }
  function renderStatus(state, building) {
    var node = document.getElementById('status');
    if (!node) return;
    if (building) { node.textContent = 'building…'; node.className = 'status busy'; return; }
    if (!state) { node.textContent = 'waiting for the first build…'; return; }
    node.className = 'status ' + state.phase;
    node.textContent = state.phase === 'invalid' ? 'not built: see the problems' : 'ready' + (state.ms !== undefined ? ' · ' + state.ms + ' ms' : '');
  }

  function shot(cell, s) {
    // Its shape reserved before it loads (a composed candidate takes a moment): the row does not jump.
    var img = el('img', { src: s.src, alt: cell.id + ' candidate ' + s.pick, loading: 'lazy', width: cell.width, height: cell.height });
    var open = el('button', { type: 'button', className: 'open', 'data-full': s.full, 'data-label': cell.id + ' · candidate ' + s.pick }, [img]);
    var children = [open, el('span', { className: 'pick', title: 'candidate ' + s.pick, text: String(s.pick) })];
    if (s.delivered) children.push(el('span', { className: 'delivered', text: cell.shots.length > 1 ? 'delivered' : '' }));
    else children.push(el('button', { type: 'button', className: 'choose', 'data-action': 'pick', 'data-pick': s.pick, text: s.approved ? 'picked' : 'pick ' + s.pick }));
    return el('div', { className: 'shot' + (s.approved ? ' approved' : '') + (s.delivered ? ' is-delivered' : ''), 'data-pick': s.pick }, children);
  }

  function card(view, cell) {
    var locale = view.locales.filter(function (l) { return l.tag === cell.locale; })[0] || { direction: 'ltr' };
    var attrs = { className: 'card state-' + cell.state + (cell.approved ? ' approved' : ''), 'data-cell': cell.id, 'data-variant': cell.variant, 'data-locale': cell.locale, 'data-size': cell.size, 'data-sha': cell.sha256 || '' };
    var body = [];
    if (cell.state === 'delivered') body.push(el('div', { className: 'shots' }, cell.shots.map(function (s) { return shot(cell, s); })));
    else {
      var hole = el('div', { className: 'hole', text: cell.state === 'needs-generation' ? 'waits for a paid generation' : cell.state === 'failed' ? 'failed' : 'not built yet' });
      hole.style.aspectRatio = cell.width + ' / ' + cell.height;
      body.push(hole);
    }
    var caption = [el('p', { className: 'texts' }, cell.texts.map(function (t) { return el('span', { className: 'text field-' + t.field, lang: cell.locale, dir: locale.direction, text: t.text }); }))];
    if (cell.state === 'delivered') {
      var said = cell.approved ? 'approved' + (cell.approvedPick ? ' · candidate ' + cell.approvedPick : '') : cell.approvedPick !== undefined && !cell.changes ? 'approved candidate ' + cell.approvedPick + ' (build to deliver it)' : 'not approved';
      caption.push(el('p', { className: 'approval', text: said }));
    }
    if (cell.changes) caption.push(el('p', { className: 'changes', text: 'changed since approval: ' + cell.changes.join('; ') }));
    if (cell.error) caption.push(el('p', { className: 'error' }, [el('strong', { text: cell.error.code }), ' ' + cell.error.message]));
    var actions = [];
    if (cell.state === 'delivered') {
      actions.push(el('button', { type: 'button', 'data-action': 'approve', text: cell.approved ? 'approved' : 'approve', disabled: cell.approved }));
      if (cell.approvedPick !== undefined) actions.push(el('button', { type: 'button', 'data-action': 'unapprove', text: 'un-approve' }));
      actions.push(el('button', { type: 'button', 'data-action': 'compare', text: 'compare locales' }));
    }
    if (cell.state === 'needs-generation') {
      var g = cell.generation;
      caption.push(el('p', { className: 'cost', text: 'estimated ' + money(g.estimatedCost) + (g.cells > 1 ? ' · one image for ' + g.cells + ' cells' : '') }));
      var allowed = canSpend(view);
      actions.push(el('button', { type: 'button', 'data-action': 'generate', disabled: !allowed, title: allowed ? 'generate this cell (spends)' : 'start dev with --max-cost, or give the campaign a budget:', text: 'generate' }));
    }
    caption.push(el('div', { className: 'actions' }, actions));
    caption.push(el('details', {}, [el('summary', { text: 'prompt' }), el('p', { className: 'prompt', text: cell.prompt })]));
    body.push(el('figcaption', {}, caption));
    var node = el('figure', attrs, body);
    cards[cell.id] = node;
    return node;
  }

  function matrix(view, variant) {
    var head = el('tr', {}, [el('th', { text: 'locale' })].concat(view.sizes.map(function (s) {
      return el('th', { 'data-size': s.id }, [el('span', { text: s.id + ' ' + s.width + '×' + s.height }), el('button', { type: 'button', 'data-action': 'approve-column', 'data-variant': variant, 'data-size': s.id, text: 'approve column' })]);
    })));
    var byId = {};
    view.cells.forEach(function (c) { byId[c.id] = c; });
    var rows = view.locales.map(function (l) {
      var th = el('th', { className: 'row-head' }, [el('span', { className: 'tag', lang: l.tag, dir: l.direction, text: l.tag }), el('small', { text: l.language }), el('button', { type: 'button', 'data-action': 'approve-row', 'data-variant': variant, 'data-locale': l.tag, text: 'approve row' })]);
      return el('tr', { 'data-locale': l.tag }, [th].concat(view.sizes.map(function (s) {
        var c = byId[variant + '/' + l.tag + '/' + s.id];
        return el('td', {}, c ? [card(view, c)] : []);
      })));
    });
    return el('section', { className: 'variant', 'data-variant': variant }, [el('h2', { text: variant }), el('table', { className: 'matrix' }, [el('thead', {}, [head]), el('tbody', {}, rows)])]);
  }

  function applyFilters() {
    var v = document.getElementById('variant-filter');
    var l = document.getElementById('locale-filter');
    var tags = (l && l.value ? l.value.split(',') : []).map(function (s) { return s.trim().toLowerCase(); }).filter(Boolean);
    document.querySelectorAll('section.variant').forEach(function (sec) { sec.hidden = !!(v && v.value && sec.getAttribute('data-variant') !== v.value); });
    document.querySelectorAll('tr[data-locale]').forEach(function (tr) {
      var tag = tr.getAttribute('data-locale').toLowerCase();
      tr.hidden = tags.length > 0 && !tags.some(function (t) { return tag.indexOf(t) === 0; });
    });
  }

  function renderCampaign() {
    var state = states[page];
    renderStatus(state);
    renderProblems(state);
    var main = document.getElementById('matrix');
    var view = state && state.view;
    if (!view) return;
    document.getElementById('meta').textContent = view.provider + ' · ' + view.model + ' · ' + view.cells.length + ' cells' + (view.totalCost !== undefined ? ' · ' + money(view.totalCost, view.provider) : '');
    renderSpend(view);
    var select = document.getElementById('variant-filter');
    var chosen = select.value;
    select.textContent = '';
    select.appendChild(el('option', { value: '', text: 'all' }));
    view.variants.forEach(function (v) { select.appendChild(el('option', { value: v, text: v, selected: v === chosen })); });
    cards = {};
    main.textContent = '';
    view.variants.forEach(function (v) { main.appendChild(matrix(view, v)); });
    applyFilters();
    bump();
  }

  function patchCells(name, cells, ms) {
    var state = states[name];
    if (!state || !state.view) return;
    var byId = {};
    cells.forEach(function (c) { byId[c.id] = c; });
    state.view = Object.assign({}, state.view, { cells: state.view.cells.map(function (c) { return byId[c.id] || c; }) });
    if (ms !== undefined) state.ms = ms;
    state.phase = 'ready';
    if (name !== page) return renderIndex();
    cells.forEach(function (c) {
      var old = cards[c.id];
      if (old && old.parentNode) old.parentNode.replaceChild(card(state.view, c), old);
    });
    renderStatus(state);
    bump();
  }

  function renderIndex() {
    var main = document.getElementById('campaigns');
    if (!main) return;
    main.textContent = '';
    var names = Object.keys(states).sort();
    renderStatus(names.length ? { phase: 'ready' } : undefined);
    main.appendChild(el('ul', { className: 'campaigns' }, names.map(function (n) {
      var s = states[n];
      var cells = s.view ? s.view.cells.length + ' cells' : '';
      var said = s.phase === 'invalid' ? s.problems.length + ' problem(s)' : s.phase;
      return el('li', {}, [el('a', { href: '/c/' + encodeURIComponent(n) + '/', text: n }), ' ', el('span', { className: 'meta', text: [cells, said].filter(Boolean).join(' · ') })]);
    })));
    bump();
  }

  function render() { if (page) renderCampaign(); else renderIndex(); }

  function load() {
    return fetch('/_dev/state').then(function (r) { return r.json(); }).then(function (data) {
      states = {};
      data.campaigns.forEach(function (s) { states[s.name] = s; });
      spend = data.spend;
      render();
    });
  }

  function openCompare(cell) {
    var view = states[page].view;
    var dialog = document.getElementById('compare');
    var picker = document.getElementById('compare-locales');
    var row = document.getElementById('compare-row');
    document.getElementById('compare-title').textContent = cell.variant + ' · ' + cell.size + ': locales side by side';
    var first = view.locales[0] ? view.locales[0].tag : cell.locale;
    picker.textContent = '';
    function draw() {
      row.textContent = '';
      picker.querySelectorAll('input:checked').forEach(function (box) {
        var tag = box.value;
        var other = view.cells.filter(function (c) { return c.id === cell.variant + '/' + tag + '/' + cell.size; })[0];
        var locale = view.locales.filter(function (l) { return l.tag === tag; })[0];
        if (!other || other.state !== 'delivered') return;
        var said = other.texts.length ? other.texts[0].text : '';
        var shown = other.shots.filter(function (x) { return x.delivered; })[0] || other.shots[0];
        row.appendChild(el('figure', { className: 'card compared', 'data-locale': tag }, [el('img', { src: shown.full, alt: other.id }), el('figcaption', {}, [el('strong', { text: tag }), ' ', el('span', { lang: tag, dir: locale.direction, text: said })])]));
      });
    }
    view.locales.forEach(function (l) {
      var box = el('input', { type: 'checkbox', value: l.tag, checked: l.tag === cell.locale || l.tag === first });
      box.addEventListener('change', draw);
      picker.appendChild(el('label', {}, [box, ' ' + l.tag]));
    });
    draw();
    dialog.showModal();
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest('button');
    if (!target) return;
    if (target.hasAttribute('data-close')) return target.closest('dialog').close();
    if (target.hasAttribute('data-full')) {
      document.getElementById('viewer-image').src = target.getAttribute('data-full');
      document.getElementById('viewer-caption').textContent = target.getAttribute('data-label');
      return document.getElementById('viewer').showModal();
    }
    var action = target.getAttribute('data-action');
    if (!action) return;
    var figure = target.closest('figure[data-cell]');
    var id = figure && figure.getAttribute('data-cell');
    var cell = id && states[page].view.cells.filter(function (c) { return c.id === id; })[0];
    if (action === 'compare') return openCompare(cell);
    target.disabled = true;
    var done = function () { target.disabled = false; };
    if (action === 'approve') post('approve', { campaign: page, cell: id }).then(done, done);
    else if (action === 'pick') post('approve', { campaign: page, cell: id, pick: Number(target.getAttribute('data-pick')) }).then(done, done);
    else if (action === 'unapprove') post('unapprove', { campaign: page, cells: [id] }).then(done, done);
    else if (action === 'generate') post('generate', { campaign: page, cell: id }).then(done, done);
    else if (action === 'approve-row') post('approve', { campaign: page, variant: target.getAttribute('data-variant'), locale: target.getAttribute('data-locale') }).then(done, done);
    else if (action === 'approve-column') post('approve', { campaign: page, variant: target.getAttribute('data-variant'), size: target.getAttribute('data-size') }).then(done, done);
  });
  ['variant-filter', 'locale-filter'].forEach(function (id) {
    var node = document.getElementById(id);
    if (node) node.addEventListener('input', applyFilters);
  });

  var events = new EventSource('/_dev/events');
  var on = function (name, fn) { events.addEventListener(name, function (e) { fn(JSON.parse(e.data)); }); };
  on('campaign', function (s) { states[s.name] = s; if (!page || s.name === page) render(); });
  on('cells', function (d) { patchCells(d.name, d.cells, d.ms); });
  on('status', function (d) { if (d.name === page && d.phase === 'building') renderStatus(states[page], true); });
  on('spend', function (d) { spend = d; if (page && states[page]) renderCampaign(); });
  on('removed', function (d) { delete states[d.name]; render(); });
  // Connected (or connected again after dev restarted): what is true now, then the changes.
  events.addEventListener('open', load);
  events.addEventListener('error', function () {
    var node = document.getElementById('status');
    if (node) { node.textContent = 'pressroom dev is not running: this page reconnects when it starts again'; node.className = 'status invalid'; }
  });
})();
`;

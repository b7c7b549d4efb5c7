// The dashboard page: renders the view the server pushes over /ws (falls back to /api/state),
// and posts flips with the token. All text goes through textContent: telemetry is not markup.
(function () {
  'use strict';
  var MODES = ['canonical', 'legacy', 'strict', 'shadow'];
  var SVG = 'http://www.w3.org/2000/svg';
  var current = null;
  var chosen = {}; // id -> mode picked in the select, kept across re-renders
  var results = {}; // id -> { text, ok } of the last flip attempt

  var $ = function (sel) { return document.querySelector(sel); };
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') n.textContent = attrs[k];
      else if (k === 'class') n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }
  function fmtTime(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—'; }

  var actor = $('#actor'), token = $('#token');
  actor.value = localStorage.getItem('ssot-dashboard-actor') || '';
  token.value = sessionStorage.getItem('ssot-dashboard-token') || '';
  actor.addEventListener('input', function () { localStorage.setItem('ssot-dashboard-actor', actor.value); });
  token.addEventListener('input', function () { sessionStorage.setItem('ssot-dashboard-token', token.value); });
  $('#auth').addEventListener('submit', function (e) { e.preventDefault(); });

  function chart(series) {
    var w = 480, h = 120, pad = 18;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    svg.setAttribute('role', 'img');
    var max = Math.max.apply(null, series.counts.concat([1]));
    var bw = (w - 2) / series.counts.length;
    series.counts.forEach(function (c, i) {
      if (!c) return;
      var bh = Math.max(2, ((h - pad - 6) * c) / max);
      var r = document.createElementNS(SVG, 'rect');
      r.setAttribute('class', 'bar');
      r.setAttribute('x', String(1 + i * bw));
      r.setAttribute('y', String(h - pad - bh));
      r.setAttribute('width', String(Math.max(1, bw - 1)));
      r.setAttribute('height', String(bh));
      var t = document.createElementNS(SVG, 'title');
      t.textContent = c + ' use(s) from ' + fmtTime(new Date(series.start + i * series.bucketMs).toISOString());
      r.appendChild(t);
      svg.appendChild(r);
    });
    function label(x, anchor, text) {
      var t = document.createElementNS(SVG, 'text');
      t.setAttribute('class', 'axis'); t.setAttribute('x', String(x)); t.setAttribute('y', String(h - 4));
      t.setAttribute('text-anchor', anchor); t.textContent = text; svg.appendChild(t);
    }
    label(2, 'start', fmtTime(new Date(series.start).toISOString()));
    label(w - 2, 'end', 'now');
    var top = document.createElementNS(SVG, 'text');
    top.setAttribute('class', 'axis'); top.setAttribute('x', '4'); top.setAttribute('y', '11');
    top.textContent = 'max ' + max + ' per ' + Math.round(series.bucketMs / 1000) + 's';
    svg.appendChild(top);
    return el('div', { class: 'chart', 'data-field': 'chart', 'data-total': String(series.counts.reduce(function (a, b) { return a + b; }, 0)) }, [svg]);
  }

  function stat(field, label, value) {
    return el('div', { class: 'stat' }, [el('b', { 'data-field': field, text: String(value) }), el('span', { text: label })]);
  }

  function idCard(v, flipsEnabled) {
    var select = el('select', { class: 'flip-mode', 'aria-label': 'mode for ' + v.id });
    MODES.forEach(function (m) { select.appendChild(el('option', { value: m, text: m })); });
    select.value = chosen[v.id] || v.mode;
    select.addEventListener('change', function () { chosen[v.id] = select.value; });
    var button = el('button', { class: 'flip-button', type: 'button', text: 'flip' });
    if (!flipsEnabled) { button.disabled = true; button.title = 'start the dashboard with --token-file FILE or SSOT_DASHBOARD_TOKEN to enable flips'; }
    button.addEventListener('click', function () { flip(v.id, select.value); });
    var res = results[v.id];
    var head = el('div', { class: 'id-head' }, [
      el('h2', { text: v.id }),
      el('span', { class: 'mode ' + v.mode, 'data-field': 'mode', text: v.mode }),
      el('span', { class: 'symbols', text: v.symbols.join(', ') }),
      el('div', { class: 'flip' }, [
        el('span', { class: 'flip-result' + (res ? (res.ok ? ' ok' : ' error') : ''), 'data-field': 'flip-result', text: res ? res.text : '' }),
        select, button,
      ]),
    ]);
    var stats = el('div', { class: 'stats' }, [
      stat('calls', 'calls', v.calls),
      stat('method-calls', 'method calls', v.methodCalls),
      stat('uses-in-window', 'uses in window', v.usesInWindow),
      stat('sites', 'call sites', v.distinctSites),
      stat('processes', 'processes', v.processes),
      stat('overflow', 'past site cap', v.overflowCalls),
    ]);
    var seen = el('p', { class: 'meta' }, [
      el('span', { text: 'first seen ' }), el('span', { 'data-field': 'first-seen', text: fmtTime(v.firstSeen) }),
      el('span', { text: ' · last seen ' }), el('span', { 'data-field': 'last-seen', text: fmtTime(v.lastSeen) }),
      el('span', { text: ' · mode since ' + fmtTime(v.modeSince) }),
    ]);
    var checks = el('ul', {}, v.verdict.checks.map(function (c) {
      return el('li', { class: 'check-' + c.status, 'data-check': c.name, 'data-status': c.status, text: c.name + ': ' + c.status + ' — ' + c.detail });
    }));
    var verdict = el('div', { class: 'verdict ' + (v.verdict.safe ? 'safe' : 'unsafe'), 'data-field': 'verdict', 'data-safe': String(v.verdict.safe) }, [
      el('strong', { text: 'safe to delete? ' + (v.verdict.safe ? 'yes' : 'not yet') }),
      el('p', { class: 'meta', 'data-field': 'telemetry-verdict', 'data-verdict': v.verdict.telemetry ? v.verdict.telemetry.verdict : 'none',
        text: v.verdict.telemetry
          ? 'telemetry: ' + v.verdict.telemetry.verdict + ' · covered ' + (v.verdict.telemetry.coverage.ratio * 100).toFixed(1) + '% of the window by ' + v.verdict.telemetry.coverage.instances.length + ' run(s)'
          : 'telemetry: no verdict' }),
      checks,
    ]);
    var rows = v.sites.map(function (s) {
      return el('tr', { 'data-site': s.label }, [
        el('td', { class: 'site', text: s.label + (s.function ? ' ' + s.function : '') }),
        el('td', { class: 'num', 'data-field': 'site-calls', text: String(s.calls) }),
        el('td', { class: 'num', text: String(s.methodCalls) }),
        el('td', { text: fmtTime(s.lastSeen) }),
      ]);
    });
    var sites = v.sites.length
      ? el('table', { class: 'sites' }, [
          el('thead', {}, [el('tr', {}, [el('th', { text: 'call site (file:line:col)' }), el('th', { class: 'num', text: 'calls' }), el('th', { class: 'num', text: 'method calls' }), el('th', { text: 'last seen' })])]),
          el('tbody', {}, rows),
        ])
      : el('p', { class: 'empty', text: 'no call sites recorded' });
    return el('section', { class: 'card id-card', 'data-id': v.id }, [
      head,
      el('div', { class: 'grid' }, [el('div', {}, [stats, seen, verdict]), el('div', {}, [el('h3', { text: 'uses over time' }), chart(v.series)])]),
      el('h3', { text: 'call sites' }), sites,
    ]);
  }

  function render(view) {
    current = view;
    var ev = view.source.evidence;
    var src = (view.source.live ? 'live (in-process shim)' : ev && !view.source.files.length && /^prometheus/.test(ev.source) ? ev.source : view.source.files.length + ' file(s)');
    $('#source').textContent = src + ' · ' + view.source.lines + ' line(s)' + (view.source.skipped ? ', ' + view.source.skipped + ' malformed skipped' : '') +
      ' · window from ' + fmtTime(view.windowStart) + ' · toggles ' + view.toggles.path + ' · updated ' + fmtTime(view.generatedAt);
    var notes = [];
    if (view.toggles.error) notes.push(view.toggles.error);
    if (view.repo && view.repo.error) notes.push('repo scan: ' + view.repo.error);
    if (ev && ev.error) notes.push('telemetry verdicts: ' + ev.error);
    if (!view.flipsEnabled) notes.push('Flips are disabled: start the dashboard with --token-file FILE or SSOT_DASHBOARD_TOKEN.');
    $('#notice').hidden = notes.length === 0;
    $('#notice').textContent = notes.join(' ');
    var ids = $('#ids');
    ids.replaceChildren.apply(ids, view.ids.length ? view.ids.map(function (v) { return idCard(v, view.flipsEnabled); }) : [el('p', { class: 'card empty', text: 'No deprecation ids seen yet.' })]);
    var body = $('#flips tbody');
    body.replaceChildren.apply(body, view.flips.map(function (f) {
      return el('tr', { 'data-flip-id': f.id }, [
        el('td', { text: fmtTime(f.at) }), el('td', { text: f.id }), el('td', { text: f.from }), el('td', { text: f.to }),
        el('td', { text: f.by + (f.address ? ' (' + f.address + ')' : '') }), el('td', { text: f.via }),
      ]);
    }));
    document.body.dataset.generatedAt = view.generatedAt;
  }

  function flip(id, mode) {
    results[id] = { text: 'flipping…', ok: true };
    if (current) render(current);
    fetch('/api/flip', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token.value },
      body: JSON.stringify({ id: id, mode: mode, by: actor.value }),
    }).then(function (r) {
      return r.json().then(function (body) {
        if (r.ok) {
          results[id] = { text: 'flipped ' + body.flip.from + ' → ' + body.flip.to, ok: true };
          delete chosen[id];
          render(body.view);
        } else {
          results[id] = { text: 'refused (' + r.status + '): ' + body.error, ok: false };
          if (current) render(current);
        }
      });
    }).catch(function (e) {
      results[id] = { text: 'failed: ' + e.message, ok: false };
      if (current) render(current);
    });
  }

  var delay = 250;
  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    ws.onopen = function () { delay = 250; $('#status').textContent = 'live'; $('#status').className = 'status on'; };
    ws.onmessage = function (e) {
      var msg = JSON.parse(e.data);
      if (msg.type === 'view') render(msg.view);
    };
    ws.onclose = function () {
      $('#status').textContent = 'reconnecting…'; $('#status').className = 'status off';
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  fetch('/api/state').then(function (r) { return r.json(); }).then(function (v) { if (!current) render(v); }).catch(function () {});
  connect();
})();

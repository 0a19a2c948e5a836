// The ops dashboard: logs in (token → session cookie), then renders every `state` message of the server's
// event stream (/api/stream). Plain DOM, no framework, no CDN. Values are set as text, never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('data-')) node.setAttribute(k, String(v));
      else if (k === 'title') node.title = String(v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children || []) node.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? '' : String(c)));
    return node;
  }

  function fill(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function time(iso) {
    if (!iso) return '—';
    return iso.slice(11, 23);
  }

  function ago(iso, now) {
    if (!iso) return '—';
    const s = Math.max(0, (now - Date.parse(iso)) / 1000);
    return s < 1 ? 'now' : s < 120 ? `${Math.round(s)} s ago` : `${Math.round(s / 60)} min ago`;
  }

  function level(l) {
    return l ? `${l.qty} @ ${l.price}` : '—';
  }

  function renderSessions(sessions, now) {
    fill($('sessions').tBodies[0], sessions.map((s) =>
      el('tr', { class: `health-${s.health}`, 'data-session': s.id, 'data-health': s.health, 'data-state': s.state }, [
        el('td', {}, [s.id]),
        el('td', {}, [s.role]),
        el('td', {}, [s.firm]),
        el('td', { class: 'health' }, [s.health + (s.resendRange ? ` ${s.resendRange.begin}..${s.resendRange.end}` : '')]),
        el('td', {}, [s.state]),
        el('td', {}, [s.remoteAddress || '—']),
        el('td', { class: 'num' }, [`${s.nextTargetSeq} / ${s.nextSenderSeq}`]),
        el('td', { title: s.lastReceivedAt || '' }, [ago(s.lastReceivedAt, now)]),
        el('td', { title: s.lastSentAt || '' }, [ago(s.lastSentAt, now)]),
        el('td', { class: 'num' }, [`${s.rateIn} / ${s.rateOut}`]),
        el('td', { class: 'num' }, [s.openOrders]),
      ])));
  }

  function renderInstruments(instruments) {
    fill($('instruments').tBodies[0], instruments.map((i) =>
      el('tr', { 'data-symbol': i.symbol, 'data-status': i.status, class: i.status === 'open' ? '' : 'halted' }, [
        el('td', {}, [i.symbol]),
        el('td', { title: i.breakerHalt || '' }, [i.status + (i.breakerHalt ? ' (breaker)' : '')]),
        el('td', { class: 'num bid' }, [level(i.bid)]),
        el('td', { class: 'num ask' }, [level(i.ask)]),
        el('td', { class: 'num' }, [i.lastPrice || '—']),
        el('td', { class: 'num' }, [`${i.bidLevels} / ${i.askLevels}`]),
      ])));
  }

  function renderComponents(readiness) {
    const pill = $('venue-status');
    pill.textContent = `${readiness.status}${readiness.ready ? '' : ' (not ready)'}`;
    pill.dataset.status = readiness.status;
    fill($('components').tBodies[0], readiness.components.map((c) =>
      el('tr', { 'data-component': c.name, 'data-status': c.status, class: `status-${c.status}` }, [
        el('td', {}, [c.name + (c.critical ? ' *' : '')]),
        el('td', {}, [c.status]),
        el('td', {}, [c.reason]),
      ])));
  }

  function renderTrades(trades) {
    fill($('trades').tBodies[0], trades.map((t) =>
      el('tr', { class: t.aggressor }, [el('td', {}, [time(t.time)]), el('td', {}, [t.symbol]), el('td', { class: 'num' }, [t.price]), el('td', { class: 'num' }, [t.qty]), el('td', {}, [t.aggressor])])));
  }

  function renderHalts(changes) {
    fill($('halts').tBodies[0], changes.map((c) =>
      el('tr', { class: c.status === 'open' ? '' : 'halted' }, [el('td', {}, [time(c.time)]), el('td', {}, [c.symbol]), el('td', {}, [c.status]), el('td', {}, [c.reason])])));
  }

  function renderQueues(queues, kills) {
    const rows = [];
    const add = (term, value, cls) => rows.push(el('dt', {}, [term]), el('dd', { class: cls || '' }, [value]));
    if (queues.clearing) {
      for (const [state, n] of Object.entries(queues.clearing)) add(`clearing ${state}`, n, state === 'failed' && n > 0 ? 'bad' : '');
    }
    if (queues.clearingError) add('clearing queue', queues.clearingError, 'bad');
    if (!queues.clearing && !queues.clearingError) add('clearing', 'not running');
    if (queues.risk) {
      add('redis', queues.risk.redis + (queues.risk.reason ? ` (${queues.risk.reason})` : ''), queues.risk.redis === 'up' ? '' : 'bad');
      add('risk writes pending', queues.risk.pendingWrites);
      add('write-behind lag', `${(queues.risk.lagMs / 1000).toFixed(2)} s`, queues.risk.lagMs > 5000 ? 'bad' : '');
    } else add('risk', 'not running');
    $('queues').replaceChildren(...rows);
    $('kill-switches').replaceChildren(...(kills.length === 0
      ? [el('li', { class: 'muted' }, ['none'])]
      : kills.map((k) => el('li', { class: 'bad' }, [`${k.scope.kind}:${k.scope.id} — ${k.reason} (by ${k.by}, ${k.at})`]))));
  }

  function renderAlerts(alerts) {
    $('alerts').replaceChildren(...alerts.map((a) =>
      el('li', { class: `alert-${a.level}`, 'data-source': a.source }, [el('span', { class: 'muted' }, [time(a.time)]), ` ${a.source}: ${a.text}`])));
  }

  function render(state) {
    const now = Date.parse(state.at);
    $('venue-id').textContent = state.compId;
    $('updated-at').textContent = `updated ${time(state.at)} UTC`;
    renderComponents(state.readiness);
    renderSessions(state.sessions, now);
    renderInstruments(state.instruments);
    renderTrades(state.trades);
    renderHalts(state.statusChanges);
    renderQueues(state.queues, state.killSwitches);
    renderAlerts(state.alerts);
  }

  let source = null;

  function setStream(status, text) {
    const s = $('stream-status');
    s.dataset.stream = status;
    s.textContent = text;
  }

  function startStream() {
    if (source) source.close();
    source = new EventSource('/api/stream');
    source.addEventListener('open', () => setStream('live', 'live'));
    source.addEventListener('state', (e) => render(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      setStream('reconnecting', 'reconnecting…');
      // A lost login (expired cookie, server restart) shows the login form instead of retrying forever.
      whoami().then((me) => { if (!me) showLogin(''); });
    });
  }

  async function whoami() {
    const r = await fetch('/api/whoami', { credentials: 'same-origin' });
    return r.ok ? r.json() : null;
  }

  function showApp(me) {
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout-button').hidden = false;
    $('whoami').textContent = `${me.name} (${me.role})`;
    startStream();
  }

  function showLogin(message) {
    if (source) source.close();
    source = null;
    setStream('closed', 'not connected');
    $('app').hidden = true;
    $('logout-button').hidden = true;
    $('whoami').textContent = '';
    $('login').hidden = false;
    $('login-error').textContent = message;
  }

  async function login(token) {
    const r = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }), credentials: 'same-origin' });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.error || `login failed (${r.status})`);
    return body;
  }

  async function start() {
    $('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('login-token');
      login(input.value).then((me) => { input.value = ''; showApp(me); }, (err) => showLogin(err.message));
    });
    $('logout-button').addEventListener('click', () => {
      fetch('/api/logout', { method: 'POST', credentials: 'same-origin' }).finally(() => showLogin(''));
    });
    // A link like /#token=... logs in once; the fragment never reaches the server and is removed at once.
    const hash = new URLSearchParams(location.hash.slice(1));
    const token = hash.get('token');
    if (token) {
      history.replaceState(null, '', location.pathname);
      try {
        showApp(await login(token));
        return;
      } catch (err) {
        showLogin(err.message);
        return;
      }
    }
    const me = await whoami();
    if (me) showApp(me);
    else showLogin('');
  }

  start();
})();

/**
 * The console page's script (console.js): plain browser JavaScript, no build step. It reads the
 * console's JSON endpoints, fills the function, template and saved-event lists, keeps private test
 * events in localStorage, and shows an invocation's result, REPORT numbers and log output. Every
 * value goes into the page as text (textContent), never as markup.
 * (Written without backticks or "${" so it can live in this TS string.)
 */
export const PAGE_JS = String.raw`'use strict';
(function () {
  var API = '/_testbed/console/api/';
  var DEFAULT_EVENT = '{\n  "key1": "value1",\n  "key2": "value2",\n  "key3": "value3"\n}';
  var EVENT_NAME = /^[A-Za-z0-9._-]{1,25}$/;
  var MAX_PRIVATE = 10;
  var state = { functions: [], shared: [], templates: [], polling: 0 };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function api(method, path, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(API + path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { error: text }; }
        if (!res.ok) { var err = new Error(data.error || ('HTTP ' + res.status)); err.status = res.status; err.code = data.code; throw err; }
        return data;
      });
    });
  }

  function say(message) { $('status').textContent = message; }

  function selected() {
    var v = $('function').value;
    if (!v) return null;
    var i = v.indexOf('|');
    return { region: v.slice(0, i), name: v.slice(i + 1) };
  }
  function fnQuery(fn) { return encodeURIComponent(fn.name) + '?region=' + encodeURIComponent(fn.region); }
  function privateKey(fn) { return 'lambda-testbed-console:events:' + fn.region + ':' + fn.name; }
  function privateEvents(fn) {
    try { return JSON.parse(localStorage.getItem(privateKey(fn)) || '{}'); } catch (e) { return {}; }
  }
  function radio(name) { var r = document.querySelector('input[name="' + name + '"]:checked'); return r ? r.value : ''; }

  // ---------------------------------------------------------------- functions

  function describeInvocation(inv) {
    var took = inv.durationMs === null ? 'running' : inv.durationMs + ' ms';
    return inv.outcome + (inv.errorType ? ' (' + inv.errorType + ')' : '') + ', ' + took + ', ' + inv.trigger + ', ' + inv.start.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function renderFunctions() {
    var body = $('functions-table').querySelector('tbody');
    body.textContent = '';
    $('no-functions').hidden = state.functions.length > 0;
    var select = $('function');
    var before = select.value;
    select.textContent = '';
    select.appendChild(el('option', { value: '', text: state.functions.length ? '(choose a function)' : '(no functions)' }));
    state.functions.forEach(function (fn) {
      var value = fn.region + '|' + fn.name;
      select.appendChild(el('option', { value: value, text: fn.name + ' (' + fn.region + ')' }));
      var pick = el('button', { type: 'button', className: 'link', text: fn.name, 'aria-label': 'Test ' + fn.name });
      pick.addEventListener('click', function () { select.value = value; onFunctionChange(); $('event-json').focus(); });
      var last = fn.lastInvocations.length
        ? el('ul', {}, fn.lastInvocations.slice(0, 3).map(function (inv) { return el('li', { text: describeInvocation(inv) }); }))
        : el('span', { text: 'none yet' });
      body.appendChild(el('tr', { 'data-function': fn.name }, [
        el('th', { scope: 'row' }, [pick]),
        el('td', { text: fn.region }),
        el('td', { text: fn.runtime }),
        el('td', { text: String(fn.memorySize) }),
        el('td', { text: String(fn.timeout) }),
        el('td', {}, [last]),
      ]));
    });
    if (before && state.functions.some(function (fn) { return fn.region + '|' + fn.name === before; })) select.value = before;
  }

  function loadFunctions() {
    return api('GET', 'functions').then(function (data) { state.functions = data.functions; renderFunctions(); })
      .catch(function (e) { say('Could not list the functions: ' + e.message); });
  }

  // ---------------------------------------------------------------- templates

  function loadTemplates() {
    return api('GET', 'templates').then(function (data) {
      state.templates = data.templates;
      var select = $('template');
      select.textContent = '';
      select.appendChild(el('option', { value: 'hello-world', text: 'hello-world' }));
      var groups = {};
      data.templates.forEach(function (t) {
        if (!groups[t.family]) { groups[t.family] = el('optgroup', { label: t.family }); select.appendChild(groups[t.family]); }
        groups[t.family].appendChild(el('option', { value: t.name, text: t.name + ' - ' + t.title }));
      });
    }).catch(function (e) { say('Could not list the templates: ' + e.message); });
  }

  function onTemplateChange() {
    var name = $('template').value;
    if (name === 'hello-world') { setEvent(DEFAULT_EVENT); say('Template hello-world loaded.'); return Promise.resolve(); }
    var fn = selected();
    return api('POST', 'templates/' + encodeURIComponent(name), { region: fn ? fn.region : undefined }).then(function (data) {
      setEvent(JSON.stringify(data.event, null, 2));
      say('Template ' + name + ' loaded.');
    }).catch(function (e) { say('Could not load the template: ' + e.message); });
  }

  // ---------------------------------------------------------------- saved events

  function renderSaved(keep) {
    var select = $('saved');
    var fn = selected();
    select.textContent = '';
    select.appendChild(el('option', { value: '', text: '(none)' }));
    if (!fn) return;
    var mine = privateEvents(fn);
    var priv = el('optgroup', { label: 'Private (this browser)' });
    Object.keys(mine).sort().forEach(function (n) { priv.appendChild(el('option', { value: 'private:' + n, text: n })); });
    var shared = el('optgroup', { label: 'Shareable (this cloud)' });
    state.shared.forEach(function (e) { shared.appendChild(el('option', { value: 'shareable:' + e.name, text: e.name })); });
    if (priv.children.length) select.appendChild(priv);
    if (shared.children.length) select.appendChild(shared);
    if (keep) select.value = keep;
  }

  function loadShared(keep) {
    var fn = selected();
    if (!fn) { state.shared = []; renderSaved(); return Promise.resolve(); }
    return api('GET', 'functions/' + encodeURIComponent(fn.name) + '/events?region=' + encodeURIComponent(fn.region))
      .then(function (data) { state.shared = data.events; renderSaved(keep); })
      .catch(function (e) { state.shared = []; renderSaved(keep); say('Could not read the shareable events: ' + e.message); });
  }

  function onSavedChange() {
    var v = $('saved').value;
    var fn = selected();
    if (!v || !fn) return;
    var kind = v.slice(0, v.indexOf(':'));
    var name = v.slice(v.indexOf(':') + 1);
    var text = kind === 'private' ? privateEvents(fn)[name] : (state.shared.filter(function (e) { return e.name === name; })[0] || {}).event;
    if (text === undefined) return;
    setEvent(text);
    $('event-name').value = name;
    document.querySelector('input[name="sharing"][value="' + kind + '"]').checked = true;
    say('Saved event ' + name + ' (' + kind + ') loaded.');
  }

  function checkedEvent() {
    var text = $('event-json').value;
    var problem = $('event-json-error');
    try {
      JSON.parse(text);
      problem.hidden = true;
      problem.textContent = '';
      $('event-json').removeAttribute('aria-invalid');
      return text;
    } catch (e) {
      problem.hidden = false;
      problem.textContent = 'The event is not valid JSON: ' + e.message;
      $('event-json').setAttribute('aria-invalid', 'true');
      return null;
    }
  }

  function save() {
    var fn = selected();
    if (!fn) { say('Choose a function first.'); $('function').focus(); return; }
    var name = $('event-name').value.trim();
    if (!EVENT_NAME.test(name)) { say('Give the event a name: up to 25 letters, digits, ".", "-" or "_".'); $('event-name').focus(); return; }
    var text = checkedEvent();
    if (text === null) { $('event-json').focus(); return; }
    if (radio('sharing') === 'private') {
      var mine = privateEvents(fn);
      if (!(name in mine) && Object.keys(mine).length >= MAX_PRIVATE) { say('A function keeps at most ' + MAX_PRIVATE + ' private test events; delete one first.'); return; }
      mine[name] = text;
      localStorage.setItem(privateKey(fn), JSON.stringify(mine));
      renderSaved('private:' + name);
      say('Saved private event ' + name + ' in this browser.');
      return;
    }
    api('PUT', 'functions/' + encodeURIComponent(fn.name) + '/events/' + encodeURIComponent(name) + '?region=' + encodeURIComponent(fn.region), { event: text })
      .then(function () { return loadShared('shareable:' + name); })
      .then(function () { say('Saved shareable event ' + name + '.'); })
      .catch(function (e) { say('Could not save the event: ' + e.message); });
  }

  function remove() {
    var v = $('saved').value;
    var fn = selected();
    if (!v || !fn) { say('Choose a saved event to delete.'); $('saved').focus(); return; }
    var kind = v.slice(0, v.indexOf(':'));
    var name = v.slice(v.indexOf(':') + 1);
    if (kind === 'private') {
      var mine = privateEvents(fn);
      delete mine[name];
      localStorage.setItem(privateKey(fn), JSON.stringify(mine));
      renderSaved();
      say('Deleted private event ' + name + '.');
      return;
    }
    api('DELETE', 'functions/' + encodeURIComponent(fn.name) + '/events/' + encodeURIComponent(name) + '?region=' + encodeURIComponent(fn.region))
      .then(function () { return loadShared(); })
      .then(function () { say('Deleted shareable event ' + name + '.'); })
      .catch(function (e) { say('Could not delete the event: ' + e.message); });
  }

  function setEvent(text) { $('event-json').value = text; checkedEvent(); }

  // ---------------------------------------------------------------- invoking

  function row(dl, label, value, field) {
    dl.appendChild(el('dt', { text: label }));
    dl.appendChild(el('dd', { text: value, 'data-field': field }));
  }

  function ms(v) { return v === undefined || v === null ? 'n/a' : v + ' ms'; }

  function showSync(fnName, data) {
    var failed = !!data.functionError;
    var body = $('result-body');
    body.textContent = '';
    body.appendChild(el('p', { id: 'result-outcome', className: 'outcome ' + (failed ? 'failed' : 'succeeded'), text: 'Executing function: ' + (failed ? 'failed' : 'succeeded') + ' (' + fnName + ')' }));
    var dl = el('dl', { className: 'summary', id: 'result-summary' });
    var r = data.report || {};
    row(dl, 'Status', String(data.status), 'status');
    row(dl, 'Function error', data.functionError || 'none', 'functionError');
    row(dl, 'Request ID', data.requestId, 'requestId');
    row(dl, 'Executed version', data.executedVersion || 'n/a', 'executedVersion');
    row(dl, 'Duration', ms(r.durationMs), 'duration');
    row(dl, 'Billed duration', ms(r.billedDurationMs), 'billedDuration');
    row(dl, 'Resources configured', r.memorySizeMB ? r.memorySizeMB + ' MB' : 'n/a', 'memorySize');
    row(dl, 'Max memory used', r.maxMemoryUsedMB ? r.maxMemoryUsedMB + ' MB' : 'n/a', 'maxMemoryUsed');
    row(dl, 'Init duration', r.initDurationMs === undefined ? 'none (warm start)' : r.initDurationMs + ' ms', 'initDuration');
    body.appendChild(dl);
    var pretty = data.payload;
    try { pretty = JSON.stringify(JSON.parse(data.payload), null, 2); } catch (e) { /* not JSON: as it came */ }
    body.appendChild(el('h3', { text: 'Response' }));
    body.appendChild(el('pre', { id: 'result-payload', text: pretty }));
    body.appendChild(el('h3', { text: 'Log output (the last 4 KB)' }));
    body.appendChild(el('pre', { id: 'result-log', text: data.logTail }));
  }

  function showError(message, code) {
    var body = $('result-body');
    body.textContent = '';
    body.appendChild(el('p', { id: 'result-outcome', className: 'outcome failed', text: 'Invocation refused: ' + (code ? code + ': ' : '') + message }));
  }

  function showQueued(fn, data) {
    var body = $('result-body');
    body.textContent = '';
    body.appendChild(el('p', { id: 'result-outcome', className: 'outcome queued', text: 'Accepted: the event is queued (status ' + data.status + ')' }));
    var dl = el('dl', { className: 'summary', id: 'result-summary' });
    row(dl, 'Status', String(data.status), 'status');
    row(dl, 'Request ID', data.requestId, 'requestId');
    row(dl, 'Attempts', 'waiting for the first attempt', 'attempts');
    body.appendChild(dl);
    body.appendChild(el('h3', { text: 'Log output' }));
    body.appendChild(el('pre', { id: 'result-log', text: '' }));
    var ticket = ++state.polling;
    var tries = 0;
    (function poll() {
      if (ticket !== state.polling || tries++ > 120) return;
      api('GET', 'invocations/' + encodeURIComponent(data.requestId) + '?functionName=' + encodeURIComponent(fn.name) + '&region=' + encodeURIComponent(fn.region)).then(function (d) {
        var done = d.attempts.filter(function (a) { return a.outcome !== 'running'; });
        var attempts = dl.querySelector('[data-field="attempts"]');
        if (d.attempts.length) attempts.textContent = d.attempts.map(function (a) { return 'attempt ' + (a.attempt || 1) + ': ' + a.outcome + (a.errorType ? ' (' + a.errorType + ')' : ''); }).join('; ');
        $('result-log').textContent = d.log;
        if (done.length && done.length === d.attempts.length) { loadFunctions(); if (done[done.length - 1].outcome === 'success') return; }
        setTimeout(poll, 500);
      }).catch(function () { setTimeout(poll, 1000); });
    })();
  }

  function invokeNow(ev) {
    if (ev) ev.preventDefault();
    var fn = selected();
    if (!fn) { say('Choose a function first.'); $('function').focus(); return; }
    var text = checkedEvent();
    if (text === null) { say('Fix the event JSON first.'); $('event-json').focus(); return; }
    var type = radio('invocation-type');
    var button = $('invoke');
    button.disabled = true;
    $('result-body').setAttribute('aria-busy', 'true');
    say('Invoking ' + fn.name + (type === 'Event' ? ' asynchronously' : '') + '...');
    api('POST', 'invoke', { functionName: fn.name, region: fn.region, invocationType: type, payload: text })
      .then(function (data) {
        if (type === 'Event') showQueued(fn, data); else showSync(fn.name, data);
        say(type === 'Event' ? 'Event queued.' : (data.functionError ? 'The function failed.' : 'The function succeeded.'));
        return loadFunctions();
      })
      .catch(function (e) { showError(e.message, e.code); say('The invocation was refused.'); })
      .then(function () { button.disabled = false; $('result-body').removeAttribute('aria-busy'); });
  }

  function onFunctionChange() {
    $('saved').value = '';
    return loadShared();
  }

  document.addEventListener('DOMContentLoaded', function () {
    setEvent(DEFAULT_EVENT);
    $('test-form').addEventListener('submit', invokeNow);
    $('function').addEventListener('change', onFunctionChange);
    $('template').addEventListener('change', onTemplateChange);
    $('saved').addEventListener('change', onSavedChange);
    $('save').addEventListener('click', save);
    $('delete').addEventListener('click', remove);
    $('refresh').addEventListener('click', function () { loadFunctions().then(function () { say('Function list refreshed.'); }); });
    $('format').addEventListener('click', function () { var t = checkedEvent(); if (t !== null) setEvent(JSON.stringify(JSON.parse(t), null, 2)); });
    $('event-json').addEventListener('input', function () { if (!$('event-json-error').hidden) checkedEvent(); });
    $('test-form').addEventListener('keydown', function (e) {
      if (e.key !== 'Enter') return;
      var t = e.target;
      // Ctrl+Enter anywhere (the editor included), Enter on a select or radio: invoke.
      if (e.ctrlKey || e.metaKey || (t.tagName === 'SELECT') || (t.type === 'radio')) { e.preventDefault(); $('test-form').requestSubmit(); }
    });
    Promise.all([loadFunctions(), loadTemplates()]).then(function () {
      document.body.setAttribute('data-ready', 'true');
    });
  });
})();
`;

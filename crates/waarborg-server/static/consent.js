/* Waarborg cookie banner (served at /consent.js; hand-written, no dependencies, no build step).
 *
 * Include on the organisation's site:
 *   <script src="https://WAARBORG/consent.js" data-lang="nl" defer></script>
 * Mark every non-necessary script as inert until consent:
 *   <script type="text/plain" data-category="analytics" data-src="/stats.js"></script>
 * Add a link to reopen the choice anywhere:
 *   <a href="#" data-waarborg-reopen>Cookie-instellingen</a>
 * Listen for choices: document.addEventListener('waarborg:consent', function (e) { e.detail });
 *
 * The script places nothing itself but its own first-party cookie `waarborg_consent` (the
 * choice), and only after a choice. The choice is recorded in Waarborg's consent ledger first;
 * if that fails nothing non-necessary runs. Global Privacy Control (navigator.globalPrivacyControl,
 * or Sec-GPC seen by the server) counts as "reject all" until the visitor chooses otherwise.
 */
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || window.WaarborgConsent) { return; }
  var base = new URL(me.src, location.href).origin;
  var lang = (me.getAttribute('data-lang') || document.documentElement.lang || 'nl').slice(0, 2);
  if (lang !== 'en') { lang = 'nl'; }
  var NAME = 'waarborg_consent';
  var cfg = null;
  var stored = read();
  var root = null;
  var live = null;
  var back = null;

  function read() {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].indexOf(NAME + '=') === 0) {
        try {
          var v = JSON.parse(decodeURIComponent(parts[i].slice(NAME.length + 1)));
          if (v && /^[0-9a-f]{32}$/.test(v.v) && v.c) { return v; }
        } catch (e) { /* a broken cookie is no choice */ }
      }
    }
    return null;
  }

  function write(choice) {
    document.cookie = NAME + '=' + encodeURIComponent(JSON.stringify(choice)) +
      '; Max-Age=15552000; Path=/; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
  }

  function newVisitor() {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    var s = '';
    for (var i = 0; i < a.length; i++) { s += (a[i] < 16 ? '0' : '') + a[i].toString(16); }
    return s;
  }

  function gpc() {
    return navigator.globalPrivacyControl === true || !!(cfg && cfg.gpc);
  }

  function required(key) {
    if (key === 'necessary') { return true; }
    if (!cfg) { return false; }
    for (var i = 0; i < cfg.categories.length; i++) {
      if (cfg.categories[i].key === key) { return cfg.categories[i].required; }
    }
    return false;
  }

  function allowed(choices, key) {
    return required(key) || !!(choices && choices[key] === true);
  }

  /* Runs the inert scripts of the allowed categories; removes the cookies of refused ones. */
  function apply(choice) {
    var list = document.querySelectorAll('script[type="text/plain"][data-category]');
    for (var i = 0; i < list.length; i++) {
      var old = list[i];
      var key = old.getAttribute('data-category');
      if (!allowed(choice.c, key)) { continue; }
      var s = document.createElement('script');
      for (var j = 0; j < old.attributes.length; j++) {
        var at = old.attributes[j];
        if (at.name !== 'type' && at.name !== 'data-src' && at.name !== 'src') { s.setAttribute(at.name, at.value); }
      }
      var src = old.getAttribute('data-src') || old.getAttribute('src');
      if (src) { s.src = src; } else { s.text = old.text; }
      old.parentNode.replaceChild(s, old);
    }
    if (cfg) {
      cfg.categories.forEach(function (c) {
        if (allowed(choice.c, c.key)) { return; }
        c.cookies.forEach(function (k) {
          document.cookie = k.name + '=; Max-Age=0; Path=/';
        });
      });
    }
    var detail = { categories: choice.c, gpc: !!choice.g };
    window.WaarborgConsent.choice = detail;
    document.dispatchEvent(new CustomEvent('waarborg:consent', { detail: detail }));
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } }
    if (text) { e.textContent = text; }
    return e;
  }

  function button(label, cls, onclick) {
    var b = el('button', { type: 'button', 'class': 'wb-btn ' + cls }, label);
    b.addEventListener('click', onclick);
    return b;
  }

  function all(value) {
    var c = {};
    cfg.categories.forEach(function (cat) { if (!cat.required) { c[cat.key] = value; } });
    return c;
  }

  function announce(text) {
    if (!live) {
      live = el('div', { 'class': 'wb-live', role: 'status' });
      document.body.appendChild(live);
    }
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 50);
  }

  function close() {
    if (root) { root.parentNode.removeChild(root); root = null; }
    if (back && document.contains(back)) { back.focus(); }
    back = null;
  }

  /* Records the choice with Waarborg, then in the cookie, then applies it. */
  function choose(categories, byGpc) {
    var visitor = (stored && stored.v) || newVisitor();
    var body = { visitor: visitor, lang: lang, version: cfg.version, categories: categories, gpc: !!byGpc };
    return fetch(base + '/api/v1/banner/choice', {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 409) { return load().then(function () { close(); show(false); }); }
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      stored = { v: visitor, h: cfg.version, c: categories, g: byGpc ? 1 : 0 };
      write(stored);
      close();
      if (!byGpc) { announce(cfg.texts.saved); }
      apply(stored);
    }).catch(function () {
      close();
      if (!byGpc) { announce(cfg.texts.not_saved); }
    });
  }

  function firstLayer(box) {
    var t = cfg.texts;
    box.appendChild(el('h2', { id: 'wb-title', 'class': 'wb-title' }, t.title));
    box.appendChild(el('p', { id: 'wb-desc' }, t.intro));
    if (gpc()) { box.appendChild(el('p', { 'class': 'wb-gpc' }, t.gpc_notice)); }
    var row = el('div', { 'class': 'wb-row' });
    row.appendChild(button(t.reject_all, 'wb-main', function () { choose(all(false), false); }));
    row.appendChild(button(t.accept_all, 'wb-main', function () { choose(all(true), false); }));
    row.appendChild(button(t.customise, 'wb-second', function () { render(true); }));
    box.appendChild(row);
    var more = el('a', { href: base + '/cookies?lang=' + lang, 'class': 'wb-link' }, t.all_cookies);
    box.appendChild(more);
  }

  function secondLayer(box) {
    var t = cfg.texts;
    box.appendChild(el('h2', { id: 'wb-title', 'class': 'wb-title' }, t.title));
    if (gpc()) { box.appendChild(el('p', { 'class': 'wb-gpc' }, t.gpc_notice)); }
    var form = el('form', { 'class': 'wb-form' });
    cfg.categories.forEach(function (c) {
      var id = 'wb-cat-' + c.key;
      var fs = el('fieldset', { 'class': 'wb-cat' });
      fs.appendChild(el('legend', {}, c.name));
      fs.appendChild(el('p', {}, c.description));
      var line = el('div', { 'class': 'wb-check' });
      var box2 = el('input', { type: 'checkbox', id: id, name: c.key });
      if (c.required) {
        box2.checked = true;
        box2.disabled = true;
      } else {
        box2.checked = !!(stored && stored.c && stored.c[c.key] === true);
      }
      line.appendChild(box2);
      line.appendChild(el('label', { 'for': id }, c.required ? t.always_on : t.choose + ': ' + c.name));
      fs.appendChild(line);
      var det = el('details', {});
      det.appendChild(el('summary', {}, t.cookies_in + ' (' + c.cookies.length + ')'));
      var ul = el('ul', {});
      c.cookies.forEach(function (k) {
        ul.appendChild(el('li', {}, k.name + ' — ' + t.provider + ': ' + k.provider + '; ' +
          t.lifetime + ': ' + k.lifetime + (k.purpose ? '. ' + k.purpose : '')));
      });
      det.appendChild(ul);
      fs.appendChild(det);
      form.appendChild(fs);
    });
    box.appendChild(form);
    var row = el('div', { 'class': 'wb-row' });
    row.appendChild(button(t.save, 'wb-main', function () {
      var c = {};
      cfg.categories.forEach(function (cat) {
        if (!cat.required) { c[cat.key] = !!form.querySelector('#wb-cat-' + cat.key).checked; }
      });
      choose(c, false);
    }));
    row.appendChild(button(t.reject_all, 'wb-main', function () { choose(all(false), false); }));
    row.appendChild(button(t.accept_all, 'wb-main', function () { choose(all(true), false); }));
    row.appendChild(button(t.back, 'wb-second', function () { render(false); }));
    box.appendChild(row);
  }

  function render(second) {
    if (!root) {
      root = el('div', { 'class': 'wb-banner', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'wb-title', tabindex: '-1', lang: lang });
      document.body.insertBefore(root, document.body.firstChild);
    }
    root.textContent = '';
    var box = el('div', { 'class': 'wb-box' });
    if (second) { secondLayer(box); } else { firstLayer(box); }
    root.appendChild(box);
    if (!second) { root.setAttribute('aria-describedby', 'wb-desc'); } else { root.removeAttribute('aria-describedby'); }
    root.focus();
  }

  function show(second) {
    if (!cfg || !document.body) { return; }
    render(second);
  }

  function load() {
    return fetch(base + '/api/v1/banner/config?lang=' + lang, { mode: 'cors', credentials: 'omit' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(function (c) { cfg = c; });
  }

  function start() {
    var css = el('link', { rel: 'stylesheet', href: base + '/consent.css' });
    document.head.appendChild(css);
    document.addEventListener('click', function (e) {
      var a = e.target && e.target.closest ? e.target.closest('[data-waarborg-reopen]') : null;
      if (!a) { return; }
      e.preventDefault();
      back = a;
      if (root) { root.focus(); return; }
      show(false);
    });
    /* A choice made earlier runs at once; the banner comes back only when the register changed. */
    if (stored) { apply(stored); }
    load().then(function () {
      if (stored && stored.h === cfg.version) { return; }
      if (gpc() && !(stored && !stored.g)) { return choose(all(false), true); }
      show(false);
    }).catch(function () { /* no banner, no choice: nothing non-necessary runs */ });
  }

  window.WaarborgConsent = {
    choice: null,
    reopen: function () { show(false); }
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());

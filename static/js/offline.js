/* Answering without a connection; every page works without this. A step saves through
   /q/<step>/save; offline, its answers go to the outbox (with the page's revision and a new
   idempotency key) and the next page comes from the service worker. The outbox is sent on
   load, when back online and by Background Sync. Nothing of a person stays after they leave
   or send, nor when someone else signs in. */
(() => {
  const Q = self.SelfregQueue, B = document.body, sw = navigator.serviceWorker, d = document;
  if (!Q || !sw) return;
  const owner = B.dataset.owner || '', status = d.getElementById('sync-status');
  const form = d.querySelector('form[data-save]'), online = () => navigator.onLine;
  const el = (tag, text = '', className = '') => Object.assign(d.createElement(tag), {textContent: text, className});
  const mine = async () => (await Q.all()).filter(i => i.owner === owner);
  const clear = () => Promise.all([caches.keys().then(n => Promise.all(n.map(c => caches.delete(c)))), Q.wipe()]);
  const key = () => form.dataset.step + (form.elements.entry_id ? '/' + form.elements.entry_id.value : '');
  // Where "continue" leads, from the routes the server wrote into the page.
  const next = f => {
    const r = JSON.parse(f.dataset.next);
    return Object.entries(r.by).map(([name, to]) => to[f.elements[name].value]).find(Boolean) || r.default;
  };

  let shown = '';
  const say = (text, items = []) => {
    if (!text && shown === status.dataset.sent) return; // leave "sent" in view
    shown = text;
    status.textContent = '';
    if (!text) return;
    const box = status.appendChild(el('div', '', 'notice')), list = el('ul');
    box.append(el('p', text));
    for (const i of items) list.appendChild(el('li')).appendChild(Object.assign(el('a', i.title), {href: i.url}));
    if (items.length) box.append(list);
  };
  const showStatus = async (sent = []) => {
    const items = await mine(), check = items.filter(i => i.state), s = status.dataset;
    say(check.length ? s.check : items.length ? s.waiting : sent.length ? s.sent : '', check);
  };
  // Sent by this page or by the service worker: a sent answer of this page means reload it.
  const afterSend = report => (form && report.sent.includes(key()) ? location.reload() : showStatus(report.sent));
  // A send can fail just after 'online' fires, or on a weak signal: try again, ever more slowly.
  let retry = 0, wait = 2000;
  const flush = async () => {
    clearTimeout(retry);
    const report = await Q.replay().catch(() => ({sent: [], stopped: true}));
    if (report.stopped && online()) {
      retry = setTimeout(flush, wait);
      wait = Math.min(wait * 2, 60000);
    } else wait = 2000;
    afterSend(report);
  };
  const fill = (fields, changed) => {
    const v = {};
    for (const [n, x] of fields) (v[n] = v[n] || []).push(x);
    for (const e of form.elements) {
      if (/radio|checkbox/.test(e.type)) e.checked = (v[e.name] || []).includes(e.value);
      else if (v[e.name] && !/hidden|submit/.test(e.type)) e.value = v[e.name][0]; // not revision etc.
    }
    if (changed) form.dispatchEvent(new Event('input', {bubbles: true})); // not saved yet
  };
  // This page's answers are on the phone: show them; after a refusal, let the person choose.
  const restore = async () => {
    const item = form && (await mine()).find(i => i.key === key());
    if (!item) return;
    if (!item.state) return fill(item.fields);
    const box = d.getElementById('queued-choice');
    box.querySelector(`[data-when=${item.state}]`).hidden = box.hidden = false;
    box.focus();
    box.onclick = async e => {
      const choice = e.target.dataset.choice;
      if (!choice) return;
      box.hidden = true;
      if (choice === 'mine') fill(item.fields, true); // kept in the outbox until saved
      else await Q.remove(item.key);
      form.querySelector('input:not([type=hidden]),select,textarea').focus();
      showStatus();
    };
  };
  // Entries added without internet, listed until they are sent.
  const pending = async () => {
    const list = d.querySelector('[data-pending-for]');
    for (const i of list ? await mine() : []) {
      if (!i.label || !i.key.startsWith(list.dataset.pendingFor + '/')) continue;
      list.appendChild(el('li', '', 'entry')).append(el('bdi', i.label, 'entry-title'), el('span', list.dataset.pendingLabel));
      list.hidden = false;
      if (list.nextElementSibling.matches('.empty')) list.nextElementSibling.hidden = true;
    }
  };

  if (form) {
    const fresh = form.querySelector('[data-fresh]');
    if (fresh) fresh.value = crypto.randomUUID().replace(/-/g, '').slice(0, 12); // new entry each visit
    let native = false;
    form.addEventListener('submit', async e => {
      const by = e.submitter;
      if (native || (by && by.value !== 'continue')) return; // e.g. Search: a normal post
      e.preventDefault();
      form.elements.idempotency_key.value = crypto.randomUUID();
      const fields = [...new FormData(form), ['action', 'continue'], ['owner', owner]];
      const named = form.elements[form.dataset.entryTitle + '_text'] || form.elements[form.dataset.entryTitle];
      const item = {key: key(), save: form.dataset.save, url: location.pathname + location.search,
        title: d.querySelector('h1').textContent.trim(), label: named && named.value, owner, fields, time: Date.now()};
      if (online()) {
        const res = await fetch(form.dataset.save, {method: 'POST', headers: {Accept: 'application/json'},
          body: new URLSearchParams(fields), signal: AbortSignal.timeout(20000)}).catch(() => null);
        if (res && res.ok) {
          await Q.remove(item.key);
          return location.assign((await res.json()).next);
        }
        if (res && (res.status < 502 || res.status > 504)) {
          native = true; // errors, a conflict, signed out: the server's own page says what to do
          return form.requestSubmit(by);
        }
      }
      await Q.put(item);
      navigator.storage.persist().catch(() => {});
      sw.ready.then(r => r.sync && r.sync.register('outbox')).catch(() => {});
      location.assign(next(form));
    });
  }
  // "Continue" under a list of entries: offline, just go on.
  for (const f of d.querySelectorAll('form[data-next]:not([data-save])')) {
    f.addEventListener('submit', e => online() || (e.preventDefault(), location.assign(next(f))));
  }
  // Leaving needs the server (it ends the session): offline, wait. Online: send what waits;
  // warn once if answers would be lost; then keep nothing.
  for (const f of d.querySelectorAll('form[data-signout]')) {
    f.addEventListener('submit', async e => {
      e.preventDefault();
      const warn = w => (f.querySelector(`[data-warning=${w}]`).hidden = false);
      if (!online()) return warn('offline');
      await Q.replay().catch(() => {});
      if ((await mine()).length && f.querySelector('[data-warning=unsent]').hidden) return warn('unsent');
      await clear().catch(() => {});
      f.submit();
    });
  }

  sw.register(B.dataset.sw).catch(() => {});
  addEventListener('online', flush);
  sw.addEventListener('message', e => e.data.sent && afterSend(e.data));
  (async () => {
    if (B.hasAttribute('data-clear')) return clear(); // sent: nothing stays on the phone
    if (owner && localStorage.selfregOwner !== owner) {
      // Someone else signed in here: the pages and answers of the one before must go.
      await caches.delete('pages');
      for (const i of await Q.all()) if (i.owner !== owner) await Q.remove(i.key);
      localStorage.selfregOwner = owner;
    }
    await (online() ? flush() : showStatus());
    await restore();
    await pending();
    const ahead = d.querySelector('[data-ahead]'), worker = online() && (await sw.ready).active;
    if (!worker) return;
    worker.postMessage({locale: B.dataset.lang});
    if (ahead && !(navigator.connection || {}).saveData) worker.postMessage({ahead: ahead.dataset.ahead.split(' ').filter(Boolean)});
  })();
})();

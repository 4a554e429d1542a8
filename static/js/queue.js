/* The outbox: answers given offline, in IndexedDB (which outlives closing the browser and a new
   service worker) until the server has them. Used by the pages and the service worker.
   Item: {key, save, url, title, label, owner, fields, time, state} */
(() => {
  const DB = 'selfreg', S = 'outbox';
  const open = () => new Promise((ok, no) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(S, {keyPath: 'key'});
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(r.error);
  });
  // One short transaction per call, closed at once, so deleting the database never waits.
  const run = (mode, act) => open().then(db => new Promise((ok, no) => {
    const t = db.transaction(S, mode), r = act(t.objectStore(S));
    t.oncomplete = () => { db.close(); ok(r.result); };
    t.onerror = t.onabort = () => { db.close(); no(t.error); };
  }));
  const Q = self.SelfregQueue = {
    all: () => run('readonly', s => s.getAll()).then(a => a.sort((x, y) => x.time - y.time)),
    put: item => run('readwrite', s => s.put(item)),
    remove: key => run('readwrite', s => s.delete(key)),
    wipe: () => new Promise(ok => {
      const r = indexedDB.deleteDatabase(DB);
      r.onsuccess = r.onerror = r.onblocked = ok;
    }),
    // Oldest first; stop at the first failure of network, session or server (try later).
    // A replay the server already has (same idempotency key) is answered as a success.
    replay: () => navigator.locks.request('selfreg-outbox', async () => {
      const report = {sent: [], changed: [], stopped: false}; // changed: saved or refused
      for (const item of await Q.all()) {
        if (item.state) continue; // the person has to choose first
        const res = await fetch(item.save, {method: 'POST', headers: {Accept: 'application/json'},
          body: new URLSearchParams(item.fields)}).catch(() => null);
        const s = res && res.status;
        if (!res || !(res.ok || [400, 404, 409, 410].includes(s))) return {...report, stopped: true};
        if (s === 409 || s === 400) await Q.put({...item, state: s === 409 ? 'conflict' : 'invalid'});
        else await Q.remove(item.key); // saved; or no longer asked, or already sent in
        if (res.ok) report.sent.push(item.key);
        if (res.ok || s === 409) report.changed.push(item.key);
      }
      return report;
    }),
  };
})();

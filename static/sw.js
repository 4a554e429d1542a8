/* The service worker; the server writes its settings in front (self.SELFREG: release, files
   to keep, outbox script, offline page). Keeps the site's hashed static files (until the next
   release) and the question pages (/q/...) the person saw or will see next, so answering goes
   on without a connection. Never other pages: not the review, not the receipt. Pages come
   from the network first; the kept copy when there is no answer. Kept pages go when the person
   leaves or sends (offline.js, and the server's Clear-Site-Data) and with each release. */
const S = self.SELFREG, STATIC = 'static-' + S.version, PAGES = 'pages', C = caches;
const WAIT_MS = 8000, FRESH_MS = 15 * 60000;
importScripts(S.queue);
const offline = () => C.match(S.offline);
const step = url => new URL(url).pathname.split('/q/')[1]?.split('/')[0];

addEventListener('install', e => e.waitUntil(
  C.open(STATIC).then(c => c.addAll([...S.precache, S.offline])).then(() => skipWaiting())));

addEventListener('activate', e => e.waitUntil((async () => {
  const old = (await C.keys()).filter(n => n.startsWith('static-') && n !== STATIC);
  for (const n of old.length ? [...old, PAGES] : []) await C.delete(n); // pages name old files
  await clients.claim();
})()));

// Network first; a kept copy when there is no answer, or when the network is slow. A page kept
// ahead a few minutes ago, in the language now used, is shown without downloading it again:
// a save from it is checked against the stored revision, so a stale copy can never overwrite.
let lang = '';
async function page(req) {
  const keep = step(req.url), opt = {cacheName: PAGES, ignoreVary: true};
  const exact = keep && await C.match(req, opt), h = exact && exact.headers;
  if (h && h.get('Content-Language') === lang && Date.now() - Date.parse(h.get('Date')) < FRESH_MS) return exact;
  const net = fetch(req).then(res => {
    const copy = keep && res.ok && !res.redirected && res.clone();
    if (copy) C.open(PAGES).then(c => c.put(req, copy));
    return res;
  });
  const kept = exact || keep && await C.match(req, {...opt, ignoreSearch: true});
  return kept ? Promise.race([net, new Promise(ok => setTimeout(ok, WAIT_MS, kept))]).catch(() => kept) : net.catch(offline);
}

// A save (or a conflict: the step changed elsewhere) makes kept copies of the step's pages stale.
async function forget(key) {
  const c = await C.open(PAGES);
  for (const k of await c.keys()) if (step(k.url) === key) await c.delete(k);
}

// A form sent without a connection gets the offline page.
async function post(req) {
  const res = await fetch(req).catch(() => null);
  if (!res) return req.mode === 'navigate' ? offline() : Response.error();
  if (step(req.url) && (res.ok || res.status === 409 || res.type === 'opaqueredirect')) await forget(step(req.url));
  return res;
}

addEventListener('fetch', e => {
  const req = e.request, url = new URL(req.url);
  if (url.origin !== location.origin || url.pathname.startsWith('/staff')) return; // staff pages: never
  if (req.method === 'POST' && (step(req.url) || req.mode === 'navigate')) e.respondWith(post(req));
  else if (req.method !== 'GET') return;
  else if (url.pathname.startsWith('/static/')) e.respondWith(C.match(req).then(r => r || fetch(req)));
  else if (req.mode === 'navigate') e.respondWith(page(req));
});

addEventListener('message', e => e.waitUntil((async () => {
  const {ahead = [], locale} = e.data, s = await C.open(STATIC), c = ahead.length && await C.open(PAGES);
  if (locale) lang = locale.replace('_', '-');
  if (locale && (await offline())?.headers.get('Content-Language') !== lang) {
    const res = await fetch(`${S.offline}?lang=${locale}`).catch(() => null); // in their language
    if (res?.ok) await s.put(S.offline, res);
  }
  for (const url of ahead) { // the next pages, kept while there is a connection
    if (await c.match(url, {ignoreVary: true})) continue;
    const res = await fetch(url, {headers: {'Selfreg-Ahead': '1'}}).catch(() => null);
    if (!res) return;
    if (res.ok && !res.redirected) await c.put(url, res);
  }
})()));

addEventListener('sync', e => e.tag === 'outbox' && e.waitUntil(SelfregQueue.replay().then(async r => {
  for (const key of r.changed) await forget(key.split('/')[0]);
  for (const c of await clients.matchAll()) c.postMessage(r);
  if (r.stopped) throw new Error('not sent yet'); // the browser tries again later
})));

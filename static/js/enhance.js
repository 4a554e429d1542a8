/* Small helps that need JavaScript; every page works without them. */
(() => {
  const d = document, form = d.querySelector('form[data-save]');
  // Straight to what went wrong (without JavaScript the summary is first on the page).
  d.querySelector('.error-summary:not([hidden])')?.focus();

  // Warn before leaving a page whose answers are not saved yet.
  let dirty = false;
  if (form) {
    form.addEventListener('input', () => (dirty = true));
    form.addEventListener('submit', () => (dirty = false));
    addEventListener('beforeunload', e => dirty && e.preventDefault());
  }

  // The offline page: back to where the person was.
  const back = d.querySelector('[data-back]');
  if (back && history.length > 1) {
    back.hidden = false;
    back.onclick = () => history.back();
  }

  // Search as you type, with the same radio buttons the Search button brings (it stays).
  const esc = s => s.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
  for (const box of d.querySelectorAll('[data-search]')) {
    const input = box.querySelector('input[type=text]'), b = box.dataset;
    let timer, asked = 0;
    const show = found => {
      const rows = found.map(r => [r.code, r.label]).concat(b.none ? [['', b.none]] : []);
      box.querySelector('.search-live').innerHTML = found.length ? `<fieldset class="fieldset search-results">
        <legend class="sub-label">${esc(b.legend)}</legend><div class="choices">${rows.map(([code, label], i) =>
        `<div class="choice"><input type="radio" name="${b.name}" id="f-${b.name}-live-${i}" value="${esc(code)}"${code ? '' : ' checked'}>
        <label for="f-${b.name}-live-${i}">${esc(label)}</label></div>`).join('')}</div></fieldset>` : '';
      box.querySelector('[data-announce]').textContent = found.length ? b.legend : b.empty;
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = input.value.trim(), mine = ++asked;
        if (q.length < 2) return;
        const res = await fetch(`${b.search}?q=${encodeURIComponent(q)}`).catch(() => null); // offline: own words stay
        if (res && res.ok && mine === asked) show((await res.json()).results);
      }, 300);
    });
  }
})();

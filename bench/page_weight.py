"""Page weight against the phone budgets: what a resident downloads, gzipped, on a weak signal.

Run: ``python -m bench.page_weight [--locale nb] [--all-locales]``

Walks one whole registration through the app (Flask's test client, embedded defaults, a
temporary instance folder) the way a phone without JavaScript does, asking for gzip, and counts
what comes back: status line, headers and body of every response.

Budgets:
- every questionnaire page (HTML) <= 14 KB: one round trip's worth on a new TCP connection;
- a first visit (start page, stylesheet, scripts, manifest, icons) <= 50 KB;
- a whole registration, start to receipt, static files once <= 250 KB.

The same registration is then made again the way a phone with JavaScript makes it: JSON saves
instead of redirects, search as you type instead of search pages, plus the service worker, its
offline page and pictograms. Each step page is counted once: the service worker keeps the next
pages ahead and shows a copy kept minutes ago instead of downloading it again (pages kept for an
answer that was then not given are not counted). Nothing here is a test; the exit status is 1
when a budget is exceeded.
"""
from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

KB = 1024
PAGE_BUDGET = 14 * KB
FIRST_VISIT_BUDGET = 50 * KB
REGISTRATION_BUDGET = 250 * KB
GZIP = {"Accept-Encoding": "gzip, deflate, br"}

ANSWERS = {
    "name": {"given_names": "Amina Tesfay", "family_name": "Haile Gebremedhin"},
    "birth": {"birth_date__year": "1990", "birth_date__month": "5", "birth_date__day": "17"},
    "origin": {"country_of_origin": "ER", "duf_number": "2023 1234 5678"},
    "contact": {"phone": "+47 912 34 567", "municipality": "Bergen"},
    "literacy": {"reads": "yes", "writes": "yes"},
    "norwegian": {"understand": "A1", "speak": "A1", "read": "A1", "write": "none"},
    "english": {"understand": "B1", "speak": "A2", "read": "B1", "write": "A2"},
    "other_languages_any": {"any": "yes"},
    "school": {"attended": "yes"},
    "school_details": {"years": "12", "country": "ER", "completed": "yes"},
    "upper": {"kind": "general"},
    "upper_details": {"field": "053", "programme": "Science", "country": "ER", "years": "3",
                      "status": "completed", "end_year": "2008", "documents": "with_me"},
    "higher_any": {"any": "yes"},
    "training_any": {"any": "yes"},
    "driving": {"classes": ["B"], "country": "ER"},
    "work_any": {"any": "yes"},
    "digital": {"digital": ["messages", "internet", "email"], "numeracy": "everyday"},
    "other_skills": {"skills": "Cooking for many people. Sewing.", "volunteering": "Red Crescent"},
    "wishes_work": {"work_text": "nurse", "work": "2221", "work_more": ""},
    "wishes_education": {"education": "Norwegian course, then nursing", "need": "yes",
                         "needs": ["norwegian", "recognition"]},
}
ENTRIES = {
    "mother_tongue": [{"language": "ti", "language_text": "Tigrinya"}],
    "other_languages": [{"language": "ar", "language_text": "Arabic", "understand": "B2",
                         "speak": "B1", "read": "B1", "write": "A2"}],
    "higher": [{"level": "6", "field": "091", "programme": "Nursing",
                "institution": "Asmara College", "country": "ER", "years": "4", "status": "interrupted", "end_year": "2014",
                "how_far": "3 of 4 years", "reason": "war", "documents": "lost"}],
    "training": [{"kind": "course", "name": "First aid", "country": "ER", "year": "2015",
                  "months": "1", "documents": "with_me"}],
    "work": [{"occupation_text": "nurse", "occupation": "2221", "arrangement": "employed",
              "tasks": "Cared for patients on a ward.", "years": "3", "country": "ER",
              "licence": "yes"}],
}


def transfer_size(response) -> int:
    """Bytes on the wire for one response (HTTP/1.1): status line, headers, body."""
    head = f"HTTP/1.1 {response.status}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.headers.items()
    ) + "\r\n"
    return len(head.encode("latin-1", "replace")) + len(response.data)


@dataclass
class Tally:
    pages: list[tuple[str, int, int]] = field(default_factory=list)  # (label, body, transfer)
    registration: int = 0
    html_transfer: int = 0

    def count(self, label: str, response, *, page: bool = False) -> None:
        size = transfer_size(response)
        self.registration += size
        if page:
            self.pages.append((label, len(response.data), size))
            self.html_transfer += size


def _location(response) -> str:
    return response.headers["Location"].split("?")[0]


def _static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def measure(locale: str) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="selfreg-bench-"))
    os.environ.update(SELFREG_INSTANCE=str(folder), SELFREG_SECRET_KEY="b" * 48)
    from selfreg import create_app, db, keys, registrations
    from selfreg.cli import init_database

    app = create_app({"WTF_CSRF_ENABLED": False})
    init_database(app)
    with app.app_context():
        session = db.session()
        centre = registrations.create_centre(session, "Benchmottak")
        code = registrations.create_registrations(session, keys.keyring(), centre, 1)[0].code
        session.commit()
    client = app.test_client()
    tally = Tally()

    def get(url: str, label: str | None = None, page: bool = True):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, (url, response.status_code)
        tally.count(label or url, response, page=page)
        return response

    def post(url: str, data: dict):
        response = client.post(url, data=data, headers=GZIP)
        assert response.status_code in (302, 303), (url, response.status_code)
        tally.count(f"POST {url}", response)
        return _location(response)

    # First visit: the start page and everything it pulls in (each icon of the manifest too,
    # though a browser fetches only the one it needs, and only when it offers to install).
    start = get(f"/?lang={locale}", "/ (start)")
    manifest = client.get(f"/manifest.webmanifest?lang={locale}", headers=GZIP)
    plain_manifest = client.get(f"/manifest.webmanifest?lang={locale}").get_json()
    icons = [icon["src"] for icon in plain_manifest["icons"]]
    html = client.get(f"/?lang={locale}").get_data(as_text=True)
    assets = [(url, transfer_size(client.get(url, headers=GZIP)))
              for url in dict.fromkeys(_static_urls(html) + icons)]
    static_total = transfer_size(manifest) + sum(size for _url, size in assets)
    first_visit = transfer_size(start) + static_total
    tally.registration += static_total

    # Sign in, accept, and answer every step (the answers open every step there is).
    location = post("/", {"code": code})
    get(location)
    location = post("/privacy", {"accept": "y"})
    location = _location(client.get(location))
    steps_seen = 0
    pictograms = set()
    for _ in range(80):
        if location == "/review":
            break
        step = location.split("/")[2]
        page = gzip.decompress(get(location).data).decode("utf-8")
        for url in _static_urls(page):
            if url not in pictograms and "/img/" in url:
                pictograms.add(url)
                tally.count(url, client.get(url, headers=GZIP))
        steps_seen += 1
        if step in ENTRIES:
            for entry in ENTRIES[step]:
                get(f"/q/{step}/add")
                code_name = next((k[:-5] for k in entry if k.endswith("_text")), None)
                if code_name:  # the no-JavaScript search: one more page
                    text = entry[f"{code_name}_text"]
                    search = client.post(f"/q/{step}/add", headers=GZIP, data={
                        f"{code_name}_text": text, "action": f"search:{code_name}"})
                    tally.count(f"/q/{step}/add (search)", search, page=True)
                post(f"/q/{step}/add", entry)
                get(f"/q/{step}")
            location = post(f"/q/{step}", {})
        else:
            answers = ANSWERS[step]
            if step == "wishes_work":
                search = client.post(location, headers=GZIP, data={"work_text": "nurse",
                                                                      "action": "search:work"})
                tally.count(f"{location} (search)", search, page=True)
            location = post(location, answers)
    get("/review")
    location = post("/submit", {})
    get(location, "/receipt")
    page_html = tally.html_transfer
    return {
        "app": app, "tally": tally, "first_visit": first_visit, "assets": assets,
        "manifest": transfer_size(manifest), "steps": steps_seen, "locale": locale,
        "pages_html": page_html,
    }


def measure_javascript(app, locale: str) -> int:
    """The same registration as a phone with JavaScript makes it: JSON saves, search as you
    type, the service worker and what it keeps for offline use (each step page once: kept
    ahead, then shown from the phone). Static files and icons as on the first visit."""
    from selfreg import db, keys, registrations

    with app.app_context():
        session = db.session()
        centre = registrations.centre_by_name(session, "Benchmottak")
        code = registrations.create_registrations(session, keys.keyring(), centre, 1)[0].code
        session.commit()
    client = app.test_client()
    total = 0

    def fetch(method: str, url: str, **kwargs):
        nonlocal total
        response = client.open(url, method=method, headers=GZIP, **kwargs)
        total += transfer_size(response)
        return response

    fetch("GET", f"/?lang={locale}")
    source = client.get("/sw.js").get_data(as_text=True)
    fetch("GET", "/sw.js")
    for url in re.findall(r'"(/static/[^"]+)"', source.split("\n", 1)[0]):
        if "/img/" in url:  # the rest came with the first visit
            fetch("GET", url)
    fetch("GET", f"/offline?lang={locale}")
    location = _location(fetch("POST", "/", data={"code": code}))
    fetch("GET", location)
    location = _location(fetch("POST", "/privacy", data={"accept": "y"}))
    location = _location(client.get(location))
    for _ in range(80):
        if location == "/review":
            break
        step = location.split("/")[2]
        fetch("GET", location)
        if step in ENTRIES:
            for entry in ENTRIES[step]:
                fetch("GET", f"/q/{step}/add")
                for name, text in entry.items():
                    if name.endswith("_text"):  # a few searches while typing
                        kind = "language" if name.startswith("language") else "occupation"
                        for length in (3, 5, len(text)):
                            fetch("GET", f"/api/search/{kind}?q={text[:length]}")
                fetch("POST", f"/q/{step}/save", data=entry)
                fetch("GET", f"/q/{step}")  # the list again, with the new entry
            location = _location(client.post(f"/q/{step}", data={}))
        else:
            if step == "wishes_work":
                fetch("GET", "/api/search/occupation?q=nurse")
            location = fetch("POST", f"/q/{step}/save", data=ANSWERS[step]).get_json()["next"]
    fetch("GET", "/review")
    fetch("POST", "/submit")
    fetch("GET", "/receipt")
    return total


def report(result: dict) -> bool:
    tally: Tally = result["tally"]
    ok = True
    print(f"\nPage weight, locale {result['locale']} "
          "(gzip; transfer = status line + headers + body)\n")
    print(f"{'page':44} {'body':>8} {'transfer':>9}  budget {PAGE_BUDGET // KB} KB")
    seen = set()
    for label, body, size in tally.pages:
        key = re.sub(r"/[0-9a-f]{12}", "/<id>", label)
        if key in seen and "(search)" not in key:
            continue
        seen.add(key)
        verdict = "ok" if size <= PAGE_BUDGET else "OVER"
        ok &= size <= PAGE_BUDGET
        print(f"{key:44} {body:8d} {size:9d}  {verdict}")
    largest = max(size for _label, _body, size in tally.pages)
    print(f"\nlargest page: {largest} bytes ({largest / KB:.1f} KB)")
    print(f"\nFirst visit ({FIRST_VISIT_BUDGET // KB} KB budget):")
    print(f"  {'manifest':56} {result['manifest']:7d}")
    for url, size in result["assets"]:
        print(f"  {url:56} {size:7d}")
    first = result["first_visit"]
    ok &= first <= FIRST_VISIT_BUDGET
    print(f"  {'total, with the start page':56} {first:7d}  ({first / KB:.1f} KB)"
          f"  {'ok' if first <= FIRST_VISIT_BUDGET else 'OVER'}")
    whole = tally.registration
    ok &= whole <= REGISTRATION_BUDGET
    print(f"\nWhole registration, start to receipt, {result['steps']} step pages, "
          f"without JavaScript: {whole} bytes ({whole / KB:.1f} KB)  budget "
          f"{REGISTRATION_BUDGET // KB} KB  {'ok' if whole <= REGISTRATION_BUDGET else 'OVER'}")
    static = result["first_visit"] - result["tally"].pages[0][2]
    with_js = measure_javascript(result["app"], result["locale"]) + static
    ok &= with_js <= REGISTRATION_BUDGET
    print(f"Whole registration with JavaScript (JSON saves, search as you type, service worker"
          f" and its offline copies): {with_js} bytes ({with_js / KB:.1f} KB)"
          f"  {'ok' if with_js <= REGISTRATION_BUDGET else 'OVER'}")
    return ok


def rows(locale: str = "nb") -> list[dict]:
    """The figures for ``python -m bench``: the budgets in one locale."""
    import logging

    logging.disable(logging.WARNING)
    result = measure(locale)
    tally: Tally = result["tally"]
    static = result["first_visit"] - tally.pages[0][2]
    with_js = measure_javascript(result["app"], locale) + static
    largest = max(size for _label, _body, size in tally.pages)
    figures = (
        (f"largest page ({locale}, gzip, with headers)", largest, PAGE_BUDGET),
        (f"first visit ({locale})", result["first_visit"], FIRST_VISIT_BUDGET),
        (f"whole registration without JavaScript ({locale})", tally.registration,
         REGISTRATION_BUDGET),
        (f"whole registration with JavaScript ({locale})", with_js, REGISTRATION_BUDGET),
    )
    return [{"measure": measure_, "value": value, "unit": "bytes", "target": f"<= {budget}"}
            for measure_, value, budget in figures]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--locale", default="nb")
    parser.add_argument("--all-locales", action="store_true")
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)
    from selfreg.i18n import SUPPORTED_LOCALES

    locales = list(SUPPORTED_LOCALES) if args.all_locales else [args.locale]
    ok = True
    for locale in locales:
        ok &= report(measure(locale))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

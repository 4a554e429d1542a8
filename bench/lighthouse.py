"""Lighthouse mobile performance of resident pages in nb, ar and ti (target: 95 or more).

Run: ``python -m bench.lighthouse [--locales nb,ar,ti]``. Needs Lighthouse from npm, kept out of
the repository: ``npm install --no-save --prefix .cache-npm lighthouse@12``, and Debian's
Chromium (``CHROME_PATH=/usr/bin/chromium``; nothing is downloaded).

Serves the app on 127.0.0.1 from a temporary instance folder (embedded defaults, one threaded
Werkzeug server) and audits, per locale, the start page and a questionnaire page (signed in:
Lighthouse sends the resident's session cookie), with Lighthouse's default mobile emulation
and simulated slow 4G. Prints one table; exit status 1 when a score is below the target.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".cache-npm" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
TARGET = 95
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")


def _serve(instance: Path):
    os.environ.update(SELFREG_INSTANCE=str(instance), SELFREG_SECRET_KEY="bench-" + "x" * 40)
    from werkzeug.serving import make_server

    from selfreg import create_app, db, keys, registrations
    from selfreg.cli import init_database

    app = create_app({"TESTING": False})
    init_database(app)
    with app.app_context():
        centre = registrations.create_centre(db.session(), "Bench")
        code = registrations.create_registrations(db.session(), keys.keyring(), centre, 1)[0].code
        db.session().commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, code


def _resident_cookie(app, code: str) -> str:
    """Sign in and accept the privacy notice; returns the Cookie header Lighthouse sends."""
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    data = {"code": code, **({"csrf_token": token.group(1)} if token else {})}
    client.post("/", data=data)
    page = client.get("/privacy").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    client.post("/privacy", data={"accept": "y", **({"csrf_token": token.group(1)} if token else {})})
    cookie = client.get_cookie("selfreg_resident")
    return f"selfreg_resident={cookie.value}"


def audit(url: str, cookie: str | None = None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        command = [str(LIGHTHOUSE), url, "--only-categories=performance", "--form-factor=mobile",
                   "--output=json", f"--output-path={report.name}", "--quiet",
                   "--chrome-flags=--headless=new --no-sandbox"]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                       timeout=300)
        result = json.loads(Path(report.name).read_text(encoding="utf-8"))
    return {
        "score": round(result["categories"]["performance"]["score"] * 100),
        **{name: result["audits"][name]["displayValue"].replace("\xa0", " ") for name in METRICS},
    }


MISSING = "Lighthouse is missing: npm install --no-save --prefix .cache-npm lighthouse@12"


def audit_all(locales: list[str]) -> list[tuple[str, str, dict]]:
    """(locale, page, figures) for the start page and a question page in each locale."""
    with tempfile.TemporaryDirectory() as folder:
        app, server, code = _serve(Path(folder) / "instance")
        base = f"http://127.0.0.1:{server.server_port}"
        cookie = _resident_cookie(app, code)
        found = []
        for locale in locales:
            found.append((locale, "start", audit(f"{base}/?lang={locale}")))
            found.append((locale, "question", audit(f"{base}/q/name?lang={locale}", cookie)))
        server.shutdown()
    return found


def rows(locales: tuple[str, ...] = ("nb",)) -> list[dict]:
    """The scores for ``python -m bench``; one "skipped" row when Lighthouse is not installed."""
    target = f">= {TARGET}"
    if not LIGHTHOUSE.exists():
        return [{"measure": "Lighthouse performance", "value": "skipped", "unit": "",
                 "target": target, "note": MISSING}]
    return [{"measure": f"performance score, {locale} {page}", "value": figures["score"],
             "unit": "", "target": target} for locale, page, figures in audit_all(list(locales))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locales", default="nb,ar,ti")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(MISSING)
        return 2
    found = audit_all(args.locales.split(","))
    print(f"{'locale':7}{'page':10}{'score':>6}  " + "  ".join(f"{m:>24}" for m in METRICS))
    for locale, page, figures in found:
        print(f"{locale:7}{page:10}{figures['score']:>6}  "
              + "  ".join(f"{figures[m]:>24}" for m in METRICS))
    worst = min(figures["score"] for _, _, figures in found)
    print(f"lowest score {worst} (target {TARGET}): {'ok' if worst >= TARGET else 'BELOW TARGET'}")
    return 0 if worst >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

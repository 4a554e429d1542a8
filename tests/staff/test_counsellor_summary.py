"""The counsellor's summary for the career-guidance conversation: a print-ready page and a PDF.

A resident answers the whole questionnaire in Arabic (and one in Tigrinya); the counsellor of
the region opens the summary and downloads the PDF, whose text is read back with poppler's
``pdftotext`` (see tests/exports/test_pdf.py for what that can and cannot prove about
right-to-left text). The staff catalogue's Bokmål translations are made later, so a few are
stood in here: that proves the PDF is built in Bokmål whatever language the counsellor reads.
"""
from __future__ import annotations

import re

import pytest
from flask_babel import get_locale
from sqlalchemy import select

from selfreg import access_codes, audit, db, staff_i18n
from selfreg.exports.pdf_fonts import FONT_DIR_ENV
from selfreg.models import AuditEvent, Role

from ..pdf_text import normalised, poppler
from ..resident.walk import ENTRIES, accept_privacy, sign_in, walk

ARABIC_SKILLS = "أطبخ لعدد كبير من الناس"
ARABIC_TASKS = "عملت ممرضة في مستشفى أسمرة"
ARABIC_JOB = "ممرضة"
TIGRINYA_SKILLS = "ኣነ ኣብ ኤርትራ መምህር ነይረ።"
DUF_DIGITS = "202312345678"
PHONE = "912 34 567"

# Stand-ins for the staff catalogue's Bokmål (translations/nb/LC_MESSAGES/staff.po).
NB = {
    "Summary for career guidance": "Sammendrag for karriereveiledning",
    "Reference %(reference)s": "Referanse %(reference)s",
    "Language and interpreter": "Språk og tolk",
    "First language": "Førstespråk",
    "Interpreter": "Tolk",
    "Answered the questionnaire in": "Svarte på skjemaet på",
    "Education": "Utdanning",
    "Languages": "Språkkunnskaper",
    "Work": "Arbeid",
    "Wishes and own view of training need": "Ønsker og eget syn på opplæringsbehov",
    "Papers the person has": "Papirer personen har",
    "In their own words": "Med egne ord",
    "Verification: %(status)s": "Verifisering: %(status)s",
}
NB_HEADINGS = ("Språk og tolk", "Utdanning", "Språkkunnskaper", "Arbeid",
               "Ønsker og eget syn på opplæringsbehov", "Papirer personen har")


class _StandInNb:
    def __init__(self, real, words):
        self.real, self.words = real, words

    def ugettext(self, text):
        return self.words.get(text) or self.real.ugettext(text)

    def ungettext(self, singular, plural, number):
        return self.real.ungettext(singular, plural, number)


@pytest.fixture
def staff_nb(monkeypatch):
    real = staff_i18n.domain.get_translations

    def translations():
        found = real()
        return _StandInNb(found, NB) if str(get_locale()) == "nb" else found

    monkeypatch.setattr(staff_i18n.domain, "get_translations", translations)


def answered_profile(app, registration_in, centre_id: int, *, lang: str, skills: str,
                     work_entry: dict | None = None) -> str:
    """A registration answered in full in ``lang`` by its resident and submitted."""
    registration_id, code, _token = registration_in(centre_id)
    resident = app.test_client()
    resident.get(f"/?lang={lang}")
    sign_in(resident, access_codes.format_code(code))
    accept_privacy(resident)
    walk(resident, answers={"other_skills": {"skills": skills, "volunteering": ""}},
         entries={"work": [work_entry]} if work_entry else None)
    assert resident.post("/submit").status_code == 303
    return registration_id




def pdf_info(pdf: bytes) -> dict[str, str]:
    lines = poppler(["pdfinfo", "-enc", "UTF-8", "-"], pdf).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def _events(app, registration_id):
    with app.app_context():
        rows = db.session().scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        return [(event.action, event.detail) for event in rows
                if event.registration_id == registration_id]


def _chain_intact(app) -> bool:
    with app.app_context():
        return audit.verify(db.session()).intact


def _in_element(page: str, lang: str, direction: str, text: str) -> bool:
    pattern = (rf'<(\w+)[^>]*\blang="{lang}"[^>]*\bdir="{direction}"[^>]*>'
               rf'{re.escape(text)}</\1>')
    return re.search(pattern, page) is not None


def test_arabic_profile_summary_page_and_pdf(app, world, make_user, login, registration_in,
                                             staff_nb):
    registration_id = answered_profile(
        app, registration_in, world.centre_a, lang="ar", skills=ARABIC_SKILLS,
        work_entry={**ENTRIES["work"][0], "occupation_text": ARABIC_JOB, "tasks": ARABIC_TASKS},
    )
    counsellor = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    profile_url = f"/staff/counsellor/profile/{registration_id}"
    profile = counsellor.get(profile_url).get_data(as_text=True)
    assert f'href="{profile_url}/summary"' in profile
    assert "css/print." not in profile  # the print stylesheet is the summary's own
    work_id = re.search(r'name="v:(work/[0-9a-f]+)"', profile).group(1)
    saved = counsellor.post(f"{profile_url}/verification",
                            data={"revision": "0", f"v:{work_id}": "document_seen"})
    assert saved.status_code == 303

    response = counsellor.get(f"{profile_url}/summary")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = response.get_data(as_text=True)
    # Staff texts in the reader's language (English here), codes with Norwegian labels.
    assert "<h1>Summary for career guidance</h1>" in page
    assert "Language and interpreter" in page and "Most likely needed" in page
    assert "Spesialsykepleiere" in page and "B1 – Vanlige samtaler" in page
    assert "Arbeidet ditt: Spesialsykepleiere" in page and "tigrinja" in page
    assert "Papers the person has" in page and "De ble borte eller ødelagt" in page
    # The language and interpreter need come first, then education, ..., wishes, papers.
    order = ["Interpreter", "Answered the questionnaire in", "<h2 id=\"s-education\"",
             "<h2 id=\"s-languages\"", "<h2 id=\"s-work\"", "<h2 id=\"s-wishes\"",
             "<h2 id=\"s-papers\""]
    assert [page.index(marker) for marker in order] == sorted(page.index(m) for m in order)
    # Each entry's verification status.
    work_block = page[page.index("Arbeidet ditt: Spesialsykepleiere"):]
    assert work_block.index("Document seen") < work_block.index("</div>")
    assert page.count("Verification:") > 10 and "Self-reported" in page
    # The person's words in their script, language and direction.
    for words in (ARABIC_SKILLS, ARABIC_TASKS, ARABIC_JOB):
        assert _in_element(page, "ar", "rtl", words), words
    assert "(written in Arabic)" in page
    # Print-ready, no script, no identity beyond the name, nothing of the person in links.
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.[0-9a-f]{8}\.css">', page)
    assert "Ctrl+P" in page and "<script" not in page
    assert f'href="{profile_url}/summary.pdf"' in page
    assert "Amina" in page and DUF_DIGITS not in page and PHONE not in page
    assert "Career note" not in page

    response = counsellor.get(f"{profile_url}/summary.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="sammendrag-{registration_id[:8]}.pdf"')
    assert "no-store" in response.headers["Cache-Control"]
    pdf = response.get_data()
    assert pdf.startswith(b"%PDF-")

    info = pdf_info(pdf)
    assert info["Title"] == "Sammendrag for karriereveiledning"
    assert info["Page size"].startswith("595.28 x 841.89 pts (A4)")
    metadata = " ".join(value for key, value in info.items()
                        if key in ("Title", "Subject", "Author", "Keywords", "Creator"))
    assert "Amina" not in metadata and "Haile" not in metadata

    text = normalised(poppler(["pdftotext", "-enc", "UTF-8", "-", "-"], pdf))
    # In Bokmål although the counsellor reads English: title, then the subtitle, then the
    # language and interpreter need before anything else.
    assert text.startswith("Sammendrag for karriereveiledning Amina Haile · Referanse "
                           f"{registration_id[:4].upper()} {registration_id[4:8].upper()}")
    for heading in NB_HEADINGS:
        assert heading in text, heading
    assert "Summary for career guidance" not in text and "Education" not in text
    assert text.index("Tolk") < text.index("Utdanning") < text.index("Ønsker og eget syn")
    # The person's language: first language, the language they answered in, the need.
    assert "Førstespråk tigrinja" in text and "Svarte på skjemaet på arabisk" in text
    assert re.search(r"Tolk [^·]*\bA1\b", text)  # the interpreter need, from Norwegian A1
    # Norwegian labels, CEFR levels, statuses in Bokmål.
    for words in ("Arbeidet ditt: Spesialsykepleiere", "Verifisering: Dokumentasjon sett",
                  "Verifisering: Egenrapportert", "B1 – Vanlige samtaler",
                  "Hva mer er du flink til?", "De ble borte eller ødelagt", "Med egne ord"):
        assert words in text, words
    # The person's words, in logical order, mapped back to the letters typed.
    for words in (ARABIC_SKILLS, ARABIC_TASKS, ARABIC_JOB):
        assert words in text, words
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", text)
    assert DUF_DIGITS not in text and PHONE not in text

    events = _events(app, registration_id)
    assert ("profile.view", "summary") in events and ("export", "summary pdf") in events
    assert _chain_intact(app)


def test_tigrinya_profile_summary_page_and_pdf(app, world, make_user, login, registration_in,
                                               staff_nb):
    registration_id = answered_profile(app, registration_in, world.centre_a, lang="ti",
                                       skills=TIGRINYA_SKILLS)
    counsellor = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    url = f"/staff/counsellor/profile/{registration_id}/summary"
    page = counsellor.get(url).get_data(as_text=True)
    assert _in_element(page, "ti", "ltr", TIGRINYA_SKILLS)
    assert "(written in Tigrinya)" in page

    response = counsellor.get(f"{url}.pdf")
    assert response.status_code == 200
    text = normalised(poppler(["pdftotext", "-enc", "UTF-8", "-", "-"], response.get_data()))
    assert TIGRINYA_SKILLS in text
    assert "Svarte på skjemaet på tigrinja" in text
    for heading in NB_HEADINGS:
        assert heading in text, heading
    assert ("export", "summary pdf") in _events(app, registration_id)
    assert _chain_intact(app)



def test_only_the_regions_counsellors_get_the_summary(app, world, make_user, login,
                                                      registration_in, submitted_in_a):
    urls = [f"/staff/counsellor/profile/{submitted_in_a}/summary",
            f"/staff/counsellor/profile/{submitted_in_a}/summary.pdf"]
    for role, scope in ((Role.COUNSELLOR, {"region": world.region_b}),
                        (Role.GUIDE, {"centres": [world.centre_a]}),
                        (Role.ADMIN, {})):
        client = login(app.test_client(), make_user(role, **scope))
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
    assert _events(app, submitted_in_a) == []

    counsellor = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    # Not submitted yet: not a profile for the counsellor.
    in_progress, _, _ = registration_in(world.centre_a)
    for url in (f"/staff/counsellor/profile/{in_progress}/summary",
                f"/staff/counsellor/profile/{in_progress}/summary.pdf"):
        assert counsellor.get(url).status_code == 404
    # Submitted without answers: both still work.
    page = counsellor.get(urls[0])
    assert page.status_code == 200 and "Not known. Ask the person." in page.get_data(as_text=True)
    pdf = counsellor.get(urls[1])
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF-")


def test_missing_fonts_give_a_clear_staff_error_page(app, world, make_user, login,
                                                     submitted_in_a, tmp_path, monkeypatch):
    monkeypatch.setenv(FONT_DIR_ENV, str(tmp_path))  # a font folder without fonts
    counsellor = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    response = counsellor.get(f"/staff/counsellor/profile/{submitted_in_a}/summary.pdf")
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response.headers
    page = response.get_data(as_text=True)
    assert "The PDF could not be made" in page and "font" in page
    assert f'href="/staff/counsellor/profile/{submitted_in_a}/summary"' in page
    assert ("export", "summary pdf") not in _events(app, submitted_in_a)

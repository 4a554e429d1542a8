"""The counsellor's pages: find a person, read the profile in Norwegian, verify, correct, note.

A counsellor (karriereveileder) sees only submitted profiles of centres in their region; every
registration is fetched through ``selfreg.staff.scope`` and every read or change is audited.
No DUF number, name or code ever appears in a URL: the search is a POST.
"""
from . import correct, note, profile, search, summary, verify  # noqa: F401  (routes register on import)

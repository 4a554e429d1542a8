"""A valid answer for every step, and helpers to walk the questionnaire as a resident would."""
from __future__ import annotations

from urllib.parse import urlparse

VALID = {
    "name": {"given_names": "Amina", "family_name": "Haile"},
    "birth": {"birth_date__year": "1990", "birth_date__month": "", "birth_date__day": ""},
    "origin": {"country_of_origin": "ER", "duf_number": "2023 1234 5678"},
    "contact": {"phone": "+47 912 34 567", "municipality": "Bergen"},
    "literacy": {"reads": "yes", "writes": "little"},
    "norwegian": {"understand": "A1", "speak": "A1", "read": "A1", "write": "none"},
    "english": {"understand": "B1", "speak": "A2", "read": "B1", "write": "A2"},
    "other_languages_any": {"any": "no"},
    "school": {"attended": "yes"},
    "school_details": {"years": "12", "country": "ER", "completed": "yes"},
    "upper": {"kind": "general"},
    "upper_details": {
        "field": "053", "programme": "Science", "institution": "", "country": "ER",
        "years": "3", "status": "completed", "end_year": "2008", "documents": "with_me",
    },
    "higher_any": {"any": "yes"},
    "training_any": {"any": "no"},
    "driving": {"classes": ["B"], "country": "ER"},
    "work_any": {"any": "yes"},
    "digital": {"digital": ["messages", "internet"], "numeracy": "everyday"},
    "other_skills": {"skills": "Cooking for many people", "volunteering": ""},
    "wishes_work": {"work_text": "nurse", "work": "2221", "work_more": ""},
    "wishes_education": {"education": "Norwegian course", "need": "yes",
                         "needs": ["norwegian", "recognition"]},
}

ENTRIES = {
    "mother_tongue": [{"language": "ti", "language_text": "Tigrinya"}],
    "higher": [{
        "level": "6", "field": "091", "programme": "Nursing", "institution": "Asmara College",
        "country": "ER", "years": "4", "status": "interrupted", "end_year": "2014",
        "how_far": "3 of 4 years", "reason": "war", "documents": "lost",
    }],
    "work": [{
        "occupation_text": "nurse", "occupation": "2221", "arrangement": "employed",
        "tasks": "Cared for patients", "years": "3", "country": "ER", "licence": "yes",
    }],
}


def path_of(response) -> str:
    return urlparse(response.headers["Location"]).path


def sign_in(client, code: str):
    response = client.post("/", data={"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def accept_privacy(client):
    response = client.post("/privacy", data={"accept": "y"})
    assert response.status_code == 303
    return response


def walk(client, answers=None, entries=None, stop_before: str | None = None) -> list[str]:
    """Answer steps in the order the app asks them; returns the step keys visited."""
    answers = {**VALID, **(answers or {})}
    entries = {**ENTRIES, **(entries or {})}
    visited = []
    location = path_of(client.get("/continue"))
    for _ in range(60):
        if location == "/review":
            return visited
        assert location.startswith("/q/"), location
        step = location.split("/")[2]
        if step == stop_before:
            return visited
        visited.append(step)
        if step in entries:
            for entry in entries[step]:
                added = client.post(f"/q/{step}/add", data=entry)
                assert added.status_code == 303, added.get_data(as_text=True)[:3000]
            response = client.post(f"/q/{step}", data={})
        else:
            response = client.post(f"/q/{step}", data=answers[step])
        assert response.status_code == 303, (step, response.get_data(as_text=True)[:3000])
        location = path_of(response)
    raise AssertionError("the questionnaire did not end")

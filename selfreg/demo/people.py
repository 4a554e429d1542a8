"""One fake person's answers, exactly as the questionnaire would have stored them.

The values have the shapes ``questionnaire.forms.extract_values`` produces (codes, ints, the
person's words; unanswered questions absent; search questions with a code and the words typed),
and follow the catalogue's branching, so demo people export, validate and show like real ones.
Each person comes from their own seeded generator: person n is the same in every run.
"""
from __future__ import annotations

import random
from datetime import date
from typing import Any

from ..codes import languages
from ..i18n import SUPPORTED_LOCALES
from ..questionnaire.flow import ENTRIES
from .texts import BY_LOCALE, MUNICIPALITIES, Texts

LEVELS = ("none", "A1", "A2", "B1", "B2", "C1")
DIGITAL = ("messages", "internet", "email", "forms", "office", "specialist", "programming")
NEEDS = ("norwegian", "primary", "upper_secondary", "vocational", "higher", "supplementary",
         "recognition", "authorisation", "prior_learning")
DOCUMENTS = ("with_me", "can_get", "no", "lost")
REASONS = ("war", "flight", "money", "family", "health", "other")
DUF_SCRAMBLE = 48_271
ARRANGEMENTS = ("employed", "self_employed", "family", "informal", "military", "volunteer")


class Person:
    """Draws one person's answers; ``answers()`` is called once."""

    def __init__(self, seed: int, number: int, today: date) -> None:
        # nosec B311: made-up demo people, reproducible by seed; nothing secret comes from it
        self.rng = random.Random(seed * 1_000_003 + number)  # nosec B311
        self.seed, self.number = seed, number
        self.locale = SUPPORTED_LOCALES[number % len(SUPPORTED_LOCALES)]
        self.texts: Texts = BY_LOCALE[self.locale]
        self.country, self.first_language = self.rng.choice(self.texts.origins)
        self.today = today
        self.born = today.year - self.rng.randint(17, 62)

    # --- small helpers ----------------------------------------------------------------------

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def entry_id(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def some(self, options: tuple[str, ...], most: int) -> list[str]:
        """A few of ``options`` in the catalogue's order, as a multiple choice stores them."""
        chosen = set(self.rng.sample(options, self.rng.randint(1, most)))
        return [option for option in options if option in chosen]

    def duf_serial(self) -> int:
        """Eight digits that look random but differ for every person of a seed (multiplying by
        a number prime to 10^8 permutes them), so an import never meets a demo duplicate."""
        return (self.number + self.seed * 12_345_679) * DUF_SCRAMBLE % 10**8

    def levels(self, best: int) -> dict[str, str]:
        top = self.rng.randint(0, best)
        return {skill: LEVELS[max(0, top - self.rng.randint(0, 1))]
                for skill in ("understand", "speak", "read", "write")}

    def language(self, code: str) -> dict[str, Any]:
        """A search answer: the code and what the person typed to find it."""
        typed = languages.label(code, self.locale) if self.chance(0.7) else languages.autonym(code)
        return {"language": code, "language_text": typed or languages.label(code, "en")}

    # --- the steps ----------------------------------------------------------------------------

    def about(self) -> dict[str, Any]:
        female = self.chance(0.5)
        given = self.rng.choice(self.texts.given_female if female else self.texts.given_male)
        if self.chance(0.3):
            given = f"{given} {self.rng.choice(self.texts.given_female + self.texts.given_male)}"
        birth = str(self.born)
        if self.chance(0.8):
            birth += f"-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        origin: dict[str, Any] = {"country_of_origin": self.country}
        if self.chance(0.85):
            year = self.rng.randint(2015, self.today.year)
            origin["duf_number"] = f"{year}{self.duf_serial():08d}"
        contact: dict[str, Any] = {}
        if self.chance(0.7):
            digits = f"{self.rng.randrange(10**7):07d}"
            contact["phone"] = f"+47 9{digits[:2]} {digits[2:4]} {digits[4:]}"
        if self.chance(0.5):
            contact["municipality"] = self.rng.choice(MUNICIPALITIES)
        return {
            "name": {"given_names": given, "family_name": self.rng.choice(self.texts.family)},
            "birth": {"birth_date": birth},
            "origin": origin,
            "contact": contact,
        }

    def languages(self) -> dict[str, Any]:
        first = [{"id": self.entry_id(), **self.language(self.first_language)}]
        if self.chance(0.1):
            second = self.rng.choice(self.texts.other_languages)
            first.append({"id": self.entry_id(), **self.language(second)})
        literate = self.rng.choices(("yes", "little", "no"), (8, 1, 1))[0]
        out: dict[str, Any] = {
            "mother_tongue": {ENTRIES: first},
            "literacy": {"reads": literate, "writes": literate if self.chance(0.8) else "little"},
            "norwegian": self.levels(2),
            "english": self.levels(4),
        }
        known = [code for code in self.texts.other_languages
                 if code not in {entry["language"] for entry in first}]
        if known and self.chance(0.5):
            out["other_languages_any"] = {"any": "yes"}
            picked = self.rng.sample(known, min(len(known), self.rng.randint(1, 2)))
            out["other_languages"] = {ENTRIES: [
                {"id": self.entry_id(), **self.language(code), **self.levels(5)} for code in picked
            ]}
        else:
            out["other_languages_any"] = {"any": "no"}
        return out

    def study(self, *, higher: bool) -> dict[str, Any]:
        field, programme = self.rng.choice(list(self.texts.programmes.items()))
        years = self.rng.randint(2, 5) if higher else self.rng.randint(1, 4)
        status = self.rng.choices(("completed", "interrupted", "ongoing"), (6, 3, 1))[0]
        values: dict[str, Any] = {}
        if higher:
            values["level"] = self.rng.choices(("5", "6", "7", "8"), (2, 6, 3, 1))[0]
        values["field"] = field
        if higher or self.chance(0.5):
            values["programme"] = programme
        if higher or self.chance(0.3):
            values["institution"] = self.rng.choice(self.texts.institutions)
        values["country"] = self.country
        values["years"] = years
        values["status"] = status
        end = self.born + (23 if higher else 18) + self.rng.randint(0, 6)
        if self.chance(0.8) and end <= self.today.year:
            values["end_year"] = end
        if status != "completed":
            values["how_far"] = f"{max(1, years - 1)}/{years}"
        if status == "interrupted":
            values["reason"] = self.rng.choice(REASONS)
        values["documents"] = self.rng.choice(DOCUMENTS)
        return values

    def education(self) -> dict[str, Any]:
        if self.chance(0.08):
            return {"school": {"attended": "never"}}
        years = self.rng.randint(3, 12)
        out: dict[str, Any] = {
            "school": {"attended": "yes"},
            "school_details": {"years": years, "country": self.country,
                               "completed": "yes" if years >= 8 else "no"},
        }
        kind = "none" if years < 8 else self.rng.choice(("none", "general", "vocational"))
        out["upper"] = {"kind": kind}
        if kind != "none":
            out["upper_details"] = self.study(higher=False)
        if kind == "general" and self.chance(0.55):
            out["higher_any"] = {"any": "yes"}
            out["higher"] = {ENTRIES: [
                {"id": self.entry_id(), **self.study(higher=True)}
                for _ in range(self.rng.choices((1, 2), (4, 1))[0])
            ]}
        else:
            out["higher_any"] = {"any": "no"}
        return out

    def training(self) -> dict[str, Any]:
        out: dict[str, Any] = {"training_any": {"any": "no"}}
        if self.chance(0.3):
            out["training_any"] = {"any": "yes"}
            course = {
                "id": self.entry_id(),
                "kind": self.rng.choice(("course", "trade_certificate", "licence", "other")),
                "name": self.rng.choice(self.texts.skills),
                "country": self.country,
                "documents": self.rng.choice(DOCUMENTS),
            }
            if self.chance(0.7):
                course["year"] = min(self.today.year, self.born + self.rng.randint(18, 30))
            if self.chance(0.5):
                course["months"] = self.rng.randint(1, 24)
            out["training"] = {ENTRIES: [course]}
        classes = ["none"] if self.chance(0.6) else self.some(("B", "BE", "C1", "C", "D"), 2)
        driving: dict[str, Any] = {"classes": classes}
        if classes != ["none"]:
            driving["country"] = self.country
        out["driving"] = driving
        return out

    def work(self) -> dict[str, Any]:
        occupations = list(self.texts.occupations.items())
        if not self.chance(0.75):
            return {"work_any": {"any": "no"}}
        entries = []
        for code, words in self.rng.sample(occupations, self.rng.choices((1, 2, 3), (5, 3, 1))[0]):
            entry: dict[str, Any] = {
                "id": self.entry_id(),
                # Now and then nothing in the list fitted, and only the person's words are kept.
                "occupation": code if self.chance(0.9) else None,
                "occupation_text": words,
                "arrangement": self.rng.choice(ARRANGEMENTS),
            }
            if self.chance(0.6):
                entry["tasks"] = self.rng.choice(self.texts.tasks)
            entry["years"] = self.rng.randint(0, 15)
            entry["country"] = self.country
            entry["licence"] = self.rng.choice(("yes", "no", "unsure"))
            entries.append(entry)
        return {"work_any": {"any": "yes"}, "work": {ENTRIES: entries}}

    def skills_and_wishes(self) -> dict[str, Any]:
        other: dict[str, Any] = {}
        if self.chance(0.6):
            other["skills"] = self.rng.choice(self.texts.skills)
        if self.chance(0.3):
            other["volunteering"] = self.rng.choice(self.texts.volunteering)
        digital: dict[str, Any] = {"numeracy": self.rng.choice(("basic", "everyday", "advanced"))}
        if self.chance(0.9):
            digital["digital"] = self.some(DIGITAL, 4)
        wish_work: dict[str, Any] = {}
        if self.chance(0.8):
            code, words = self.rng.choice(list(self.texts.occupations.items()))
            wish_work = {"work": code, "work_text": words}
        wish_education: dict[str, Any] = {}
        if self.chance(0.6):
            wish_education["education"] = self.rng.choice(self.texts.wishes)
        wish_education["need"] = self.rng.choices(("yes", "no", "unsure"), (6, 2, 2))[0]
        if wish_education["need"] != "no" and self.chance(0.9):
            wish_education["needs"] = self.some(NEEDS, 3)
        return {"digital": digital, "other_skills": other, "wishes_work": wish_work,
                "wishes_education": wish_education}

    def answers(self) -> dict[str, dict[str, Any]]:
        """Every step's stored values, in the catalogue's order."""
        return {**self.about(), **self.languages(), **self.education(), **self.training(),
                **self.work(), **self.skills_and_wishes()}

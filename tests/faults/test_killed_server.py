"""The server is killed (SIGKILL to every process) while residents are saving.

Several residents, each in their own thread with their own browser, save steps over and over
through the real HTTP server. Every save the server acknowledged (200 with the new revision)
must survive the kill; a save that was in flight is either wholly there or wholly absent, and
sending it again after the restart (what a phone does with an unanswered save) stores it once.
"""
from __future__ import annotations

import http.client
import threading
import uuid
from dataclasses import dataclass, field
from itertools import cycle

import pytest

from .live import Browser

RESIDENTS = 4
ACKS_EACH_BEFORE_KILL = 4
WAIT_SECONDS = 60


def step_values(step: str, tag: str) -> dict[str, str]:
    """A complete, unique answer for the step: the tag says who sent it and when."""
    if step == "name":
        return {"given_names": f"Given {tag}", "family_name": f"Family {tag}"}
    return {"skills": f"Skills {tag}", "volunteering": f"Volunteering {tag}"}


STEPS = ("name", "other_skills")


@dataclass(frozen=True)
class Attempt:
    step: str
    key: str
    based_on: int
    values: dict[str, str]


@dataclass
class Resident:
    number: int
    registration_id: str
    code: str
    acknowledged: list[tuple[Attempt, int]] = field(default_factory=list)  # (save, revision)
    in_flight: Attempt | None = None
    failures: list[str] = field(default_factory=list)

    def last_acknowledged(self, step: str) -> tuple[Attempt | None, int]:
        for attempt, revision in reversed(self.acknowledged):
            if attempt.step == step:
                return attempt, revision
        return None, 0


class SavingLoop(threading.Thread):
    """Signs in, waits for the start signal, then saves until the server is gone."""

    def __init__(self, resident: Resident, browser: Browser, start: threading.Barrier,
                 killed: threading.Event, progress: threading.Condition) -> None:
        super().__init__(daemon=True)
        self.resident, self.browser = resident, browser
        self.start_together, self.killed, self.progress = start, killed, progress

    def run(self) -> None:
        resident = self.resident
        try:
            self.browser.sign_in(resident.code)
        except (AssertionError, OSError, http.client.HTTPException) as exc:  # for the test
            resident.failures.append(f"sign-in: {exc!r}")
            self.start_together.abort()
            return
        self.start_together.wait()
        try:
            self._save_until_the_server_is_gone()
        finally:
            self._tell_the_test()

    def _tell_the_test(self) -> None:
        with self.progress:
            self.progress.notify_all()

    def _save_until_the_server_is_gone(self) -> None:
        resident = self.resident
        revisions = dict.fromkeys(STEPS, 0)
        for round_number, step in enumerate(cycle(STEPS)):
            attempt = Attempt(step, str(uuid.uuid4()), revisions[step],
                              step_values(step, f"r{resident.number}n{round_number}"))
            resident.in_flight = attempt
            try:
                response = self.browser.save(step, attempt.values, revision=attempt.based_on,
                                             key=attempt.key)
            except (OSError, http.client.HTTPException) as exc:
                if not self.killed.is_set():
                    resident.failures.append(f"{step}: {exc!r} before the kill")
                return
            if response.status != 200 or response.json()["duplicate"]:
                resident.failures.append(f"{step}: {response.status} {response.body[:200]!r}")
                return
            revisions[step] = response.json()["revision"]
            resident.acknowledged.append((attempt, revisions[step]))
            resident.in_flight = None
            self._tell_the_test()


def test_acknowledged_saves_survive_a_killed_server(
        start_server, create_registration, stored, tmp_path):
    residents = [Resident(number, *create_registration()[:2]) for number in range(RESIDENTS)]
    server = start_server()
    start = threading.Barrier(RESIDENTS + 1)
    killed, progress = threading.Event(), threading.Condition()
    browsers = [Browser(server.port) for _ in residents]
    loops = [SavingLoop(resident, browser, start, killed, progress)
             for resident, browser in zip(residents, browsers)]
    for loop in loops:
        loop.start()
    try:
        start.wait(timeout=WAIT_SECONDS)
    except threading.BrokenBarrierError:
        pytest.fail(f"signing in failed: {[r.failures for r in residents]}")

    def every_resident_saved_some() -> bool:
        return (any(r.failures for r in residents)
                or all(len(r.acknowledged) >= ACKS_EACH_BEFORE_KILL for r in residents))

    with progress:
        assert progress.wait_for(every_resident_saved_some, timeout=WAIT_SECONDS)
    killed.set()
    server.kill()  # in the middle of the saves: every loop has one in flight or about to be
    for loop in loops:
        loop.join(timeout=WAIT_SECONDS)
        assert not loop.is_alive()
    assert [r.failures for r in residents] == [[] for _ in residents]

    restarted = start_server()
    for resident in residents:
        _check_nothing_lost_or_half_written(resident, stored(resident.registration_id))

    # A phone sends its unanswered save again: stored once, whether or not it got in before.
    for resident, browser in zip(residents, browsers):
        browser.port = restarted.port
        attempt = resident.in_flight
        assert attempt is not None  # each loop was stopped by the kill, in the middle of a save
        before = stored(resident.registration_id)
        got_in = attempt.key in before.keys
        again = browser.save(attempt.step, attempt.values, revision=attempt.based_on,
                             key=attempt.key)
        assert again.status == 200, again.body[:300]
        assert again.json()["duplicate"] is got_in
        after = stored(resident.registration_id)
        assert after.answers[attempt.step] == attempt.values
        assert after.revisions[attempt.step] == attempt.based_on + 1
        assert after.keys[attempt.key] == (attempt.step, attempt.based_on + 1)

    # The restarted server serves pages as usual, with the stored answers in them.
    for resident, browser in zip(residents, browsers):
        page = browser.get("/q/name")
        assert page.status == 200
        assert stored(resident.registration_id).answers["name"]["given_names"] in page.text
        assert browser.get("/").status == 200
    assert Browser(restarted.port).get("/healthz").json() == {"status": "ok", "database": "ok"}

    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert "Traceback" not in log
    sent = {text for r in residents for attempt, _ in r.acknowledged
            for text in attempt.values.values()}
    assert sent and not [text for text in sent if text in log]  # no answers in the log


def _check_nothing_lost_or_half_written(resident: Resident, now) -> None:
    # Every acknowledged save is there, with the revision it was acknowledged with.
    for attempt, revision in resident.acknowledged:
        assert now.keys.get(attempt.key) == (attempt.step, revision)
    for step in STEPS:
        stored_revision = now.revisions.get(step, 0)
        # Each committed save left exactly one key, one per revision: no gap, no partial save.
        produced = sorted(revision for saved_step, revision in now.keys.values()
                          if saved_step == step)
        assert produced == list(range(1, stored_revision + 1))
        last, acknowledged_revision = resident.last_acknowledged(step)
        if stored_revision == acknowledged_revision:
            if last is not None:
                assert now.answers[step] == last.values
            continue
        # Committed just before the kill, answer lost on the way: the whole in-flight save.
        in_flight = resident.in_flight
        assert in_flight is not None and in_flight.step == step
        assert stored_revision == acknowledged_revision + 1
        assert now.answers[step] == in_flight.values
        assert now.keys[in_flight.key] == (step, stored_revision)

"""The audit trail is a hash chain: any change, removal or reordering is found."""
from __future__ import annotations

import threading

from sqlalchemy import delete, select, update

from selfreg import audit, db
from selfreg.cli import init_database
from selfreg.models import AuditEvent


def _append(app, n: int) -> None:
    with app.app_context():
        for i in range(n):
            audit.record(db.session(), audit.Action.PROFILE_VIEW, user_id=1,
                         registration_id=f"{i:032x}", detail="test")
            db.session().commit()


def _verify(app) -> audit.ChainReport:
    with app.app_context():
        return audit.verify(db.session())


def test_an_untouched_chain_verifies(app):
    _append(app, 5)
    report = _verify(app)
    assert report.intact and report.checked == 5


def test_a_changed_field_breaks_the_chain_at_that_event(app):
    _append(app, 5)
    with app.app_context():
        db.session().execute(update(AuditEvent).where(AuditEvent.seq == 3).values(action="login"))
        db.session().commit()
    report = _verify(app)
    assert report.broken_at == 3 and "changed" in report.reason


def test_a_removed_event_in_the_middle_is_found(app):
    _append(app, 5)
    with app.app_context():
        db.session().execute(delete(AuditEvent).where(AuditEvent.seq == 2))
        db.session().commit()
    assert _verify(app).broken_at == 2


def test_events_cut_off_the_end_are_found(app):
    _append(app, 5)
    with app.app_context():
        db.session().execute(delete(AuditEvent).where(AuditEvent.seq >= 4))
        db.session().commit()
    report = _verify(app)
    assert not report.intact and "end" in report.reason


def test_a_rewritten_tail_with_fresh_hashes_is_still_found(app):
    """Recomputing one event's hash is not enough: the next event no longer links to it."""
    _append(app, 4)
    with app.app_context():
        session = db.session()
        event = session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
        event.detail = "forged"
        event.hash = audit._link(event.prev_hash, event.seq, event.at, event.user_id, event.actor,
                                 event.action, event.registration_id, event.detail)
        session.commit()
    assert _verify(app).broken_at == 3


def test_an_action_rolled_back_leaves_no_event(app):
    with app.app_context():
        audit.record(db.session(), audit.Action.PROFILE_VIEW, user_id=1)
        db.session().rollback()
        audit.record(db.session(), audit.Action.PROFILE_VIEW, user_id=1)
        db.session().commit()
    report = _verify(app)
    assert report.intact and report.checked == 1


def test_concurrent_appends_from_several_workers_never_fork_the_chain(make_app):
    """Two apps (as two workers) on one database, appending at the same time."""
    first = make_app()
    second = make_app()
    threads = [threading.Thread(target=_append, args=(app, 25)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = _verify(first)
    assert report.intact and report.checked == 50


def test_verify_audit_command_reports_the_first_broken_link(app):
    _append(app, 3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0 and "intact: 3 events" in result.output
    with app.app_context():
        db.session().execute(update(AuditEvent).where(AuditEvent.seq == 2).values(detail="x"))
        db.session().commit()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1 and "event 2" in result.output


def test_init_db_twice_keeps_one_chain_head(app):
    init_database(app)
    _append(app, 2)
    assert _verify(app).intact

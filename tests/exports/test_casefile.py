"""A walked registration as a case file: what a case system receives."""
from __future__ import annotations

from selfreg.exports.schemas import FORMAT, FORMAT_VERSION
from selfreg.questionnaire.catalogue import VERSION

from .helpers import STAFF_CONTACT


def test_walked_registration_validates_against_the_published_schema(walked, validator):
    (document,) = walked.export()
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0]
    assert document["format"] == FORMAT and document["format_version"] == FORMAT_VERSION


def test_metadata_centre_locale_and_classification_editions(walked):
    (document,) = walked.export()
    registration = document["registration"]
    assert registration["id"] == walked.registration_id
    assert registration["status"] == "submitted"
    assert registration["catalogue_version"] == VERSION
    assert registration["locale"] == "nb"
    assert registration["submitted_at"].endswith("+00:00")
    assert document["centre"] == {"name": "Testmottak", "municipality": None}
    editions = document["classifications"]
    assert editions["occupation"] == "ISCO-08" and editions["occupation_norwegian"] == "STYRK-08"
    assert editions["education_level"] == "ISCED 2011" and editions["field_of_education"] == "ISCED-F 2013"
    assert editions["education_level_norwegian"] == "NUS2000" and editions["language_level"] == "CEFR"


def test_identity_in_one_place(walked):
    (document,) = walked.export()
    assert document["identity"] == {
        "given_names": "Amina", "family_name": "Haile", "birth_date": "1990",
        "country_of_origin": {"code": "ER", "label_nb": "Eritrea"},
        "duf_number": "202312345678", "phone": STAFF_CONTACT["phone"], "municipality": "Bergen",
    }


def test_codes_come_with_bokmal_labels_and_norwegian_codes(walked):
    (document,) = walked.export()
    answers = document["answers"]
    work = answers["work"]["entries"][0]
    assert work["occupation"]["code"] == "2221"
    assert work["occupation"]["styrk08"] == "2221"
    assert work["occupation"]["label_nb"] == "Spesialsykepleiere"
    assert work["arrangement"] == {"code": "employed", "label_nb": "Jeg var ansatt"}
    higher = answers["higher"]["entries"][0]
    assert higher["level"]["nus2000"]["code"] == "6"
    assert higher["field"] == {"code": "091", "label_nb": "Helsefag"}
    assert answers["mother_tongue"]["entries"][0]["language"]["label_nb"] == "tigrinja"
    assert answers["english"]["understand"] == {"code": "B1", "label_nb": "Vanlige samtaler"}
    assert answers["driving"]["classes"] == [{"code": "B", "label_nb": "Personbil (B)"}]
    # Completed upper secondary, interrupted bachelor: NUS 4, ISCED 3.
    assert document["summary"]["education_level"] == {
        "isced2011": {"code": "3", "label_nb": "Videregående skole"},
        "nus2000": {"code": "4", "label_nb": "Videregående, avsluttende utdanning"},
    }


def test_free_text_keeps_the_persons_words_and_their_locale(walked):
    (document,) = walked.export()
    answers = document["answers"]
    assert answers["work"]["entries"][0]["occupation"]["own_words"] == {"text": "nurse", "locale": "nb"}
    assert answers["work"]["entries"][0]["tasks"] == {"text": "Cared for patients", "locale": "nb"}
    assert answers["other_skills"]["skills"]["text"] == "Cooking for many people"


def test_verification_and_staff_changes_are_marked(walked):
    (document,) = walked.export()
    answers = document["answers"]
    assert answers["origin"]["verification"] == {"code": "document_seen", "label_nb": "Dokumentasjon sett"}
    assert answers["work"]["entries"][0]["verification"]["code"] == "confirmed_in_interview"
    assert answers["higher"]["entries"][0]["verification"]["code"] == "self_reported"
    assert answers["name"]["verification"]["code"] == "self_reported"
    assert answers["contact"]["changed_by_staff"] is True
    assert answers["contact"]["municipality"] == {"text": "Bergen", "locale": "nb"}
    assert answers["name"]["changed_by_staff"] is False


def test_steps_that_no_longer_apply_are_left_out(app, create_registration):
    from selfreg import db, keys
    from selfreg.exports import iter_case_files
    from selfreg.models import Registration
    from selfreg.storage import PersonalStore

    registration_id, _code, _token = create_registration()
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, registration_id)
        store = PersonalStore(session, keys.keyring())
        store.save_step(registration, "school", {"attended": "yes"})
        store.save_step(registration, "higher_any", {"any": "yes"})
        store.save_step(registration, "higher", {"entries": [{"id": "0123456789ab", **HIGHER}]})
        store.save_step(registration, "higher_any", {"any": "no"})  # changed their mind
        session.commit()
        (document,) = iter_case_files(session, keys.keyring(), [registration_id])
    assert document["answers"]["higher_any"]["any"]["code"] == "no"
    assert "higher" not in document["answers"]


HIGHER = {"level": "6", "field": "091", "institution": "Asmara College", "country": "ER",
          "years": 4, "status": "completed", "documents": "lost"}

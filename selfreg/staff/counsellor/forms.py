"""The counsellor's own forms (the questionnaire's step forms are reused for corrections).

Text is cleaned like the residents' (selfreg.questionnaire.sanitise: control and bidi
characters dropped, NFC) before it is checked and stored, and every form is CSRF-checked.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ...crypto.blind_index import normalise_duf
from ...questionnaire.sanitise import clean_line, clean_multiline
from ...staff_i18n import _ls

DUF_DIGITS = 12
NOTE_TEXT_MAX = 4000
TOO_LONG = _ls("This is too long: use at most %(max)d characters (now %(length)d).")

# What the integration regulations (forskrift til integreringsloven § 47) let the county record
# after career guidance, point c: needs the counsellor sees. Codes are stable (stored).
NOTE_NEEDS = (
    ("supplementary_education", _ls("Supplementary education (kompletterende utdanning)")),
    ("recognition", _ls("Recognition of education (godkjenning)")),
    ("authorisation", _ls("Authorisation for a regulated profession (autorisasjon)")),
    ("prior_learning", _ls("Assessment of prior learning (realkompetansevurdering)")),
)
NOTE_NEED_CODES = tuple(code for code, _label in NOTE_NEEDS)
NOTE_TEXT_FIELDS = ("competence", "wishes", "needs_text", "obstacles", "recommendation")


class FindByDufForm(FlaskForm):
    duf_number = StringField(
        _ls("DUF number"),
        filters=[clean_line],
        validators=[DataRequired(_ls("Write the DUF number.")), Length(max=40, message=TOO_LONG)],
    )

    def validate_duf_number(self, field) -> None:
        if len(normalise_duf(field.data or "")) != DUF_DIGITS:
            raise ValidationError(_ls("A DUF number has 12 digits."))


def _note_text(label) -> TextAreaField:
    return TextAreaField(label, filters=[clean_multiline],
                         validators=[Length(max=NOTE_TEXT_MAX, message=TOO_LONG)])


class CareerNoteForm(FlaskForm):
    """The career note (karrierenotat), in the order of § 47 a–d, then the recommendation."""

    competence = _note_text(_ls("Supplementary information about competence"))
    wishes = _note_text(_ls("Wishes and possibilities in education and work"))
    needs = SelectMultipleField(_ls("Needs"), validate_choice=False)  # NOTE_NEEDS, checked below
    needs_text = _note_text(_ls("About these needs"))
    obstacles = _note_text(_ls("Obstacles to taking part in qualification, work or education"))
    recommendation = _note_text(_ls("Recommendation"))
    revision = HiddenField()

    def validate_needs(self, field) -> None:
        if any(code not in NOTE_NEED_CODES for code in field.data or []):
            raise ValidationError(_ls("Choose from the list."))

    def validate_recommendation(self, field) -> None:
        if not any(self[name].data for name in NOTE_TEXT_FIELDS) and not self.needs.data:
            raise ValidationError(_ls("The note is empty. Write at least the recommendation."))

    def note_values(self) -> dict:
        """What is stored (encrypted): text exactly as cleaned, needs in the list's order."""
        values = {name: self[name].data or "" for name in NOTE_TEXT_FIELDS}
        values["needs"] = [code for code in NOTE_NEED_CODES if code in (self.needs.data or [])]
        return values

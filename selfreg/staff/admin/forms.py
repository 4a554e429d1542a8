"""Admin forms. CSRF is checked by each FlaskForm's validate(); the audit filter is a GET form.

Choices of centres and regions are filled in by the views from the database; the checks that
need the database (a taken e-mail, a taken name) are done there too.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ...models import Role
from ...questionnaire.sanitise import clean_line
from ...retention import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from ...staff_i18n import _ls

ROLE_LABELS = {
    Role.GUIDE: _ls("Guide (reception centre)"),
    Role.COUNSELLOR: _ls("Career counsellor"),
    Role.ADMIN: _ls("Administrator"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _clean(value):
    """Names are text like any other: no control or direction characters (they can disguise a
    name on every page that shows it, and PostgreSQL refuses a NUL with an error)."""
    return clean_line(value) if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes; an id not among the choices (what exists) is refused by pre_validate."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _ScopeFields(FlaskForm):
    """Role with the centres (guides) or region (counsellors) it needs."""

    role = RadioField(_ls("Role"),
                      choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()],
                      validators=[InputRequired(_ls("Choose a role."))])
    centres = MultiCheckboxField(_ls("Reception centres (for a guide)"), coerce=int,
                                 choices=[])
    region = SelectField(_ls("Region (for a career counsellor)"), coerce=str, choices=[],
                         default="", validate_choice=True)

    def validate_centres(self, field):
        if self.role.data == Role.GUIDE and not field.data:
            raise ValidationError(_ls("Choose at least one reception centre for a guide."))

    def validate_region(self, field):
        if self.role.data == Role.COUNSELLOR and not field.data:
            raise ValidationError(_ls("Choose the region of a career counsellor."))


class UserCreateForm(_ScopeFields):
    email = EmailField(
        _ls("E-mail address"),
        filters=[_strip],
        validators=[
            DataRequired(_ls("Write the user's e-mail address.")),
            Length(max=254, message=_ls("The e-mail address is too long.")),
            Regexp(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}$",
                   message=_ls("Write a whole e-mail address, like name@example.no.")),
        ],
    )


class UserEditForm(_ScopeFields):
    pass


class RegionForm(FlaskForm):
    region_name = StringField(
        _ls("Name of the new region"), filters=[_clean],
        validators=[DataRequired(_ls("Write the region's name.")),
                    Length(max=200, message=_ls("The name is too long."))],
    )


class CentreForm(FlaskForm):
    name = StringField(_ls("Name of the reception centre"), filters=[_clean],
                       validators=[DataRequired(_ls("Write the centre's name.")),
                                   Length(max=200, message=_ls("The name is too long."))])
    municipality = StringField(_ls("Municipality (optional)"), filters=[_clean],
                               validators=[Optional(),
                                           Length(max=100, message=_ls("The name is too long."))])
    region = SelectField(_ls("Region"), coerce=str, choices=[], default="", validate_choice=True)


class RecipientForm(FlaskForm):
    name = StringField(_ls("Name of the recipient"), filters=[_clean],
                       validators=[DataRequired(_ls("Write the recipient's name.")),
                                   Length(max=200, message=_ls("The name is too long."))])
    public_key = TextAreaField(_ls("Public key (paste the text)"), filters=[_strip])
    key_file = FileField(_ls("… or upload the public key file (.pub)"))


class RetentionForm(FlaskForm):
    retention_days = IntegerField(
        _ls("Keep registrations for (days)"),
        invalid_value_message=_ls("Write a whole number of days."),
        validators=[
            InputRequired(_ls("Write a number of days.")),
            NumberRange(min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS,
                        message=_ls("Write a number from %(min)d to %(max)d.",
                                    min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS)),
        ],
    )


_DATE_MESSAGE = _ls("Write the date as year-month-day, like 2025-01-31.")


class AuditFilterForm(FlaskForm):
    """Filters given in the query string; no CSRF (a GET that changes nothing)."""

    class Meta:
        csrf = False

    user = SelectField(_ls("User"), coerce=str, choices=[], default="", validate_choice=True)
    registration = StringField(
        _ls("Registration id"), filters=[_strip],
        validators=[Optional(), Regexp(
            r"^[0-9a-f]{1,32}$",
            message=_ls("A registration id is up to 32 characters 0-9 and a-f."))],
    )
    action = SelectField(_ls("Action"), coerce=str, choices=[], default="", validate_choice=True)
    date_from = DateField(_ls("From (date)"), validators=[Optional()],
                          invalid_value_message=_DATE_MESSAGE)
    date_to = DateField(_ls("To (date)"), validators=[Optional()],
                        invalid_value_message=_DATE_MESSAGE)

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_ls("The end date is before the start date."))

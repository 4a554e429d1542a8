"""The guide's forms. CSRF is checked by each FlaskForm's validate(); filters are a GET form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import TextInput

from ...staff_i18n import _ls

MAX_BATCH = 100
MAX_INACTIVE_DAYS = 3650


class WholeNumberField(IntegerField):
    """A number typed as text (``inputmode=numeric``), with our message when it is not one."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, message, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.not_a_number = message

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.not_a_number)) from None


BATCH_MESSAGE = _ls("Write a number from 1 to %(max)d.", max=MAX_BATCH)
DAYS_MESSAGE = _ls("Write a number of days from 1 to %(max)d.", max=MAX_INACTIVE_DAYS)


class CreateForm(FlaskForm):
    """How many registrations, in which centre (choices: the guide's own centres)."""

    centre = SelectField(_ls("Centre"), coerce=int,
                         validators=[InputRequired(_ls("Choose a centre."))])
    count = WholeNumberField(_ls("How many registrations?"), default=1, message=BATCH_MESSAGE,
                             validators=[InputRequired(BATCH_MESSAGE),
                                         NumberRange(min=1, max=MAX_BATCH, message=BATCH_MESSAGE)])


class GuidedForm(FlaskForm):
    """Start guided mode in the person's language (choices: every supported locale)."""

    language = SelectField(_ls("The person's language"),
                           validators=[InputRequired(_ls("Choose a language."))])


class FilterForm(Form):
    """Dashboard filters, read from the query string: none of them is personal."""

    status = SelectField(_ls("Status"), default="")
    centre = SelectField(_ls("Centre"), default="")
    inactive = WholeNumberField(_ls("No activity for more than (days)"), message=DAYS_MESSAGE,
                                validators=[Optional(), NumberRange(min=1, max=MAX_INACTIVE_DAYS,
                                                                    message=DAYS_MESSAGE)])

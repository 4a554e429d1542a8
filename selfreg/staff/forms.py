"""Staff login forms. CSRF is checked by each form's validate() (Flask-WTF)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ..staff_i18n import _ls


class CsrfForm(FlaskForm):
    """For buttons that change something but ask nothing (log out, erase after confirming)."""


class LoginForm(FlaskForm):
    email = EmailField(_ls("E-mail address"), validators=[DataRequired(_ls("Write your e-mail address.")), Length(max=254)])
    password = PasswordField(_ls("Password"), validators=[DataRequired(_ls("Write your password.")), Length(max=MAX_PASSWORD_LENGTH)])


class TotpForm(FlaskForm):
    code = StringField(_ls("Code from your authenticator app"),
                       validators=[DataRequired(_ls("Write the 6-digit code.")), Length(max=12)])


class PasswordForm(FlaskForm):
    current = PasswordField(_ls("Current password"), validators=[DataRequired(_ls("Write your current password."))])
    new = PasswordField(_ls("New password"), validators=[
        DataRequired(_ls("Write a new password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
               message=_ls("The password must be %(min)d to %(max)d characters.",
                           min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)),
    ])
    repeat = PasswordField(_ls("New password again"), validators=[
        EqualTo("new", message=_ls("The two new passwords are not the same.")),
    ])

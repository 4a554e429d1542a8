"""The public side: start with a code, consent, answer step by step, review, submit, receipt."""
from flask import Blueprint

bp = Blueprint("resident", __name__)

from . import consent, review, start, steps  # noqa: E402,F401  (routes register on import)

"""The guide's pages (/staff/guide): the centre's registrations, new codes and slips, one
registration's status, reopening, identity corrections, erasure, restriction (GDPR art. 18)
and guided mode.

Every read or change of a person's data gets the registration from ``selfreg.staff.scope``
and records an audit event in the same transaction.
"""
from . import correct, create, dashboard, erase, guided, restriction, slips, status  # noqa: F401  (routes)

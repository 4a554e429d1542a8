"""The admin's pages under /staff/admin: users, centres and regions, export recipients,
retention, key status and the audit trail.

Admins see no person's data (``scope`` gives them none): only accounts, places, keys,
settings, counts and the audit trail. Every view carries ``common.admin_required``; every
change is a POST with a CSRF token and writes its audit event in the same transaction
(``operations``).
"""
from . import audit_view, centres, keys, recipients, settings, users  # noqa: F401  (routes)

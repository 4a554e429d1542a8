"""ORM classes. Every column says whether it is personal (``info={"personal": ...}``)."""
from .audit import AuditEvent, AuditHead
from .core import (
    LOOKUP,
    PERSONAL,
    PLAIN,
    Answer,
    Base,
    Centre,
    CodeAttempt,
    IdempotencyKey,
    RateCounter,
    Region,
    Registration,
    RegistrationStatus,
    StaffRecord,
    SystemInfo,
    UTCDateTime,
    new_id,
    utcnow,
)
from .exports import ExportRecipient
from .staff import Role, StaffSession, User, user_centres

__all__ = [
    "LOOKUP", "PERSONAL", "PLAIN", "Answer", "AuditEvent", "AuditHead", "Base", "Centre",
    "CodeAttempt", "ExportRecipient", "IdempotencyKey", "RateCounter", "Region", "Registration", "RegistrationStatus", "Role", "StaffRecord",
    "StaffSession", "SystemInfo", "UTCDateTime", "User", "new_id", "user_centres",
    "utcnow",
]

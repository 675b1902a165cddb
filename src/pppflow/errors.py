"""The error tree of pppflow; entrypoints map it to exit codes and HTTP status in one place.

    PppflowError
      BadInput              invalid file, field or argument (exit 2, HTTP 422)
        SpecInvalid         an import file with problems, each named by its path
        TooLarge            a file or request beyond its size limit (HTTP 413)
        DefinitionInvalid   a lifecycle definition that cannot be compiled
      DomainError           the rules say no (exit 1, HTTP 409)
        UnknownTrigger
        InvalidTransition   the trigger does not start from the current stage
        TransitionBlocked   guards failed; carries every reason
        NotAllowed          any other rule (an obligation status change, an approval)
        AuditChainDamaged   the audit trail's head and last entry disagree: audited writes refuse
        AlreadyImported     the same partnership exists; carries its REF (`existing_ref`)
      NotFound              (exit 3, HTTP 404)
        PartnershipNotFound
      ConflictError         a concurrent update won the race (exit 4, HTTP 409)
      DocumentError         TemplateError, RenderError (exit 1, HTTP 422)
      ConfigError           (exit 2)
      Unavailable           the machine, not the request: try again later (exit 1)
        DatabaseBusy        another process holds the database's write lock (HTTP 503, Retry-After)
        StorageFull         the disk (or database) is full; nothing was saved (HTTP 507)
      AccessError           the web app or API refuses the caller
        NotAuthenticated    no valid session or token (HTTP 401)
        Forbidden           the user's role may not do this (HTTP 403)
        TooManyAttempts     too many failed logins: locked for a while (HTTP 429, Retry-After)
"""

from __future__ import annotations

from dataclasses import dataclass

# What a user can do about an error, as a code: each entrypoint says it in its own words (the CLI names its
# command, the web app its page), so no domain, service or adapter message names a CLI command or flag.
HINTS = ("generate_agreement", "set_obligation_status", "give_reason", "list_partnerships", "list_users",
         "admit_partner", "name_checkin_date", "create_admin", "reload_and_retry")


@dataclass(frozen=True)
class BlockReason:
    """One reason a trigger is blocked: a code (the guard's name, or `reason_required`), the words users read,
    and what it is about."""

    code: str
    words: str
    trigger: str = ""
    stage: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "words": self.words, "trigger": self.trigger, "stage": self.stage}


class PppflowError(Exception):
    """Base of every error pppflow reports to a user; `hint` is a code from HINTS the entrypoint words."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, *, details: list[str] | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details or [])
        self.hint = hint

    def to_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message, "details": self.details}


class BadInput(PppflowError):
    exit_code = 2
    code = "bad_input"


class SpecInvalid(BadInput):
    code = "spec_invalid"


class TooLarge(BadInput):
    code = "too_large"


class DefinitionInvalid(BadInput):
    code = "definition_invalid"


def value_refused(exc: Exception) -> BadInput:
    """A value the database would not store or compare (a NUL character, a number out of range): the input's fault,
    and the transaction it was part of is rolled back whole."""
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0].strip()
    return BadInput("the database refused a value of the request: a character it cannot hold (such as NUL) or a "
                    "number out of range; nothing was saved", details=[reason] if reason else [])


class DomainError(PppflowError):
    exit_code = 1
    code = "not_allowed"


class UnknownTrigger(DomainError):
    code = "unknown_trigger"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class TransitionBlocked(DomainError):
    """A trigger whose guards failed; `details` holds every reason in plain words, `reasons` the same structured."""

    code = "transition_blocked"

    def __init__(self, message: str, *, reasons: list[BlockReason] | None = None,
                 details: list[str] | None = None, hint: str | None = None) -> None:
        self.reasons = list(reasons or [])
        super().__init__(message, details=details if details is not None else [r.words for r in self.reasons],
                         hint=hint)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "reasons": [r.to_dict() for r in self.reasons]}


class NotAllowed(DomainError):
    code = "not_allowed"


class AuditChainDamaged(DomainError):
    """An audited write refused because the stored chain was tampered with; `audit verify` names the entry."""

    code = "audit_chain_damaged"


class AlreadyImported(DomainError):
    """An import of a partnership that already exists; `existing_ref` names it."""

    code = "already_imported"

    def __init__(self, message: str, *, existing_ref: str, details: list[str] | None = None) -> None:
        super().__init__(message, details=details)
        self.existing_ref = existing_ref

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "existing_ref": self.existing_ref}


class NotFound(PppflowError):
    exit_code = 3
    code = "not_found"


class PartnershipNotFound(NotFound):
    code = "partnership_not_found"


class ConflictError(PppflowError):
    exit_code = 4
    code = "conflict"


class DocumentError(PppflowError):
    exit_code = 1
    code = "document_error"


class TemplateError(DocumentError):
    code = "template_error"


class RenderError(DocumentError):
    code = "render_error"


class ConfigError(PppflowError):
    exit_code = 2
    code = "config_error"


class AccessError(PppflowError):
    exit_code = 1
    code = "access_denied"


class NotAuthenticated(AccessError):
    code = "not_authenticated"


class Forbidden(AccessError):
    code = "forbidden"


class TooManyAttempts(AccessError):
    """Logins refused for a while after too many failures; `retry_after` is in seconds."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, details: list[str] | None = None) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after


class Unavailable(PppflowError):
    """The request was fine but the machine could not serve it now; `retry_after` is in seconds."""

    exit_code = 1
    code = "unavailable"

    def __init__(self, message: str, *, retry_after: int = 5, details: list[str] | None = None) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after


class DatabaseBusy(Unavailable):
    code = "database_busy"


class StorageFull(Unavailable):
    code = "storage_full"


_FULL = ("database or disk is full", "no space left on device", "could not extend file", "disk quota exceeded")


def unavailable_from(exc: BaseException) -> Unavailable | None:
    """A database lock or a full disk as the clear error it is; None for anything else (a bug)."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(f"the disk is full: {exc.strerror or exc}; nothing was saved",
                           details=["free some space, then run the command again"])
    if type(exc).__name__ != "OperationalError":  # SQLAlchemy's, named so that this module imports nothing
        return None
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0].strip()
    if any(words in reason.lower() for words in _FULL):
        return StorageFull("the database is full: no space left for it on the disk; nothing was saved",
                           details=[reason, "free some space, then try again"])
    if "database is locked" in reason or "database table is locked" in reason:
        return DatabaseBusy("the database is busy: another process holds its write lock; nothing was saved",
                            details=[reason, "try again in a few seconds"])
    return None

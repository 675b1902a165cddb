"""What to do about an error, in the CLI's words: the error carries a hint code, the CLI names its command."""

from __future__ import annotations

CLI_HINTS = {
    "generate_agreement": "generate one: `pppflow agreement generate REF`",
    "set_obligation_status": "set a status with `pppflow obligation set-status REF KEY STATUS`",
    "give_reason": "give the reason with --reason",
    "list_partnerships": "`pppflow partnership list` shows the references",
    "list_users": "`pppflow user list` shows the users",
    "list_tokens": "`pppflow user tokens NAME` lists them",
    "admit_partner": "propose a new partner with `pppflow partner admit REF FILE`",
    "name_checkin_date": "name the planned date with --checkin DATE",
    "create_admin": "create one with `pppflow user add NAME --role admin`",
    "reload_and_retry": "look again (`pppflow partnership show REF`) and retry",
    "verify_audit": "`pppflow audit verify` names the damaged entry",
}


def cli_details(details: list[str], hint: str | None) -> list[str]:
    """The error's details with the CLI's words for its hint."""
    return [*details, CLI_HINTS[hint]] if hint in CLI_HINTS else list(details)

"""`pppflow user add|invite|list|disable|enable|password|token|tokens|revoke-token|logout-everywhere|unlock`:
accounts of the web app and the API."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pppflow.cli.context import JsonOption
from pppflow.cli.output import console, escape, print_json, print_read

if TYPE_CHECKING:  # imported lazily at run time: the CLI starts fast
    from pppflow.adapters.accounts import AccountStore
    from pppflow.domain.accounts import User

app = typer.Typer(no_args_is_help=True, help="Users of the web app and the API, and their API tokens.")

Username = Annotated[str, typer.Argument(help="The user's name (lower-case letters, digits, . _ -).")]


def _accounts() -> AccountStore:
    from pppflow import bootstrap

    return bootstrap.wiring().accounts


def _view(u: User) -> dict[str, Any]:
    return {"username": u.username, "role": u.role, "partner_organisation": u.partner_organisation,
            "disabled": u.disabled, "created_at": u.created_at}


def _read_password(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    import sys

    return sys.stdin.readline().rstrip("\n")


@app.command()
def add(username: Username,
        role: Annotated[str, typer.Option("--role", help="admin, coordinator, legal, viewer or partner")] = "viewer",
        partner_organisation: Annotated[str | None, typer.Option(
            "--partner-organisation", help="Partner users: the partner key of their organisation.")] = None,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard "
                                                     "input (else one is generated and printed once).")] = False,
        json_: JsonOption = False) -> None:
    """Add a user; without --password-stdin a password is generated and printed once."""
    from pppflow import bootstrap
    from pppflow.services.accounts import add_user, generated_password

    given = _read_password(password_stdin)
    password = given or generated_password()
    u = add_user(username, role, password, accounts=_accounts(), now=bootstrap.wiring().now(),
                 partner_organisation=partner_organisation)
    if json_:
        print_json({**_view(u), **({} if given else {"password": password})})
        return
    console.print(f"added {escape(u.username)} ({u.role}"
                  + (f", organisation {escape(u.partner_organisation)}" if u.partner_organisation else "") + ")")
    if not given:
        console.print(f"password (shown once): {escape(password)}")


@app.command()
def invite(email: Annotated[str, typer.Argument(help="The invited person's e-mail address (their username).")],
           role: Annotated[str, typer.Option(
               "--role", help="admin, coordinator, legal, viewer or partner")] = "partner",
           partner_organisation: Annotated[str | None, typer.Option(
               "--partner-organisation", help="Partner users: the partner key of their organisation.")] = None,
           name: Annotated[str | None, typer.Option("--name", help="The person's name, for the greeting.")] = None,
           expires_hours: Annotated[int, typer.Option("--expires-hours", help="How long the link works.")] = 72,
           json_: JsonOption = False) -> None:
    """Invite a user: a disabled account and a mail with a one-time link to choose a password (sent at once)."""
    from pppflow import bootstrap
    from pppflow.cli.context import actor_name
    from pppflow.config import get_settings
    from pppflow.services.invitations import deliver_invitations, invite_user

    settings, now = get_settings(), bootstrap.wiring().now()
    issued = invite_user(email, role=role, partner_organisation=partner_organisation, name=name,
                         expires_hours=expires_hours, uow=bootstrap.wiring().uow(), now=now,
                         base_url=settings.base_url, mail_from=settings.mail_from, invited_by=actor_name(None))
    w = bootstrap.wiring()
    delivery = deliver_invitations(uow_factory=w.uow_factory, mailer=w.mailer, now=now)
    mail = "sent" if delivery.sent else "pending"
    if json_:
        from pppflow.services.read_models.accounts import InvitationRead
        from pppflow.services.views import invitation_view

        print_read(InvitationRead, invitation_view(issued, bool(delivery.sent)))
        return
    console.print(f"invited {escape(issued.email)} ({issued.user.role}"
                  + (f", organisation {escape(issued.user.partner_organisation)}" if issued.user.partner_organisation
                     else "") + f"); the link works until {issued.expires_at:%Y-%m-%d %H:%M} UTC")
    retried = "; it is retried by the next `pppflow user invite` or `pppflow remind`"
    console.print(f"invitation mail {mail}" + ("" if delivery.sent else retried))


@app.command("list")
def list_(json_: JsonOption = False) -> None:
    """Every user, with role and whether it is disabled."""
    from rich.table import Table

    from pppflow.services.accounts import list_users

    users = list_users(accounts=_accounts())
    if json_:
        from pppflow.services.read_models.accounts import UserRead

        print_read(UserRead, users)
        return
    table = Table(title="Users", title_justify="left")
    for col in ("User", "Role", "Organisation", "Status", "Created (UTC)"):
        table.add_column(col)
    for u in users:
        table.add_row(escape(u.username), u.role, escape(u.partner_organisation or ""),
                      "disabled" if u.disabled else "active", u.created_at.strftime("%Y-%m-%d %H:%M"))
    console.print(table)


@app.command()
def disable(username: Username) -> None:
    """Disable a user: its logins stop; its sessions end and its API tokens are revoked for good."""
    from pppflow import bootstrap
    from pppflow.services.accounts import disable_user

    disabled = disable_user(username, accounts=_accounts(), now=bootstrap.wiring().now())
    console.print(f"disabled {escape(disabled.username)}; "
                  "its sessions ended and its API tokens are revoked")


@app.command()
def enable(username: Username) -> None:
    """Enable a disabled user again (earlier sessions and tokens stay ended)."""
    from pppflow import bootstrap
    from pppflow.services.accounts import enable_user

    enabled = enable_user(username, accounts=_accounts(), now=bootstrap.wiring().now())
    console.print(f"enabled {escape(enabled.username)}")


@app.command()
def password(username: Username, password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the new password from standard input.")] = False,
        revoke_tokens: Annotated[bool, typer.Option(
            "--revoke-tokens", help="Revoke the user's API tokens too (else they keep working).")] = False) -> None:
    """Set a new password (generated and printed once unless read from standard input); ends its web sessions."""
    from pppflow import bootstrap
    from pppflow.services.accounts import generated_password, set_password

    given = _read_password(password_stdin)
    chosen = given or generated_password()
    set_password(username, chosen, accounts=_accounts(), now=bootstrap.wiring().now(), revoke_tokens=revoke_tokens)
    console.print(f"new password of {escape(username)}" + ("" if given else f" (shown once): {escape(chosen)}"))
    console.print("its web sessions ended" + ("; its API tokens are revoked" if revoke_tokens
                                              else "; its API tokens still work (--revoke-tokens revokes them)"))


@app.command()
def token(username: Username, expires_in_days: Annotated[int | None, typer.Option(
        "--expires-in-days", min=1, max=3650, help="The token stops working after this many days (default: never, "
                                                   "until revoked).")] = None) -> None:
    """Create an API token for the user; it is printed once (only its SHA-256 is stored)."""
    from pppflow import bootstrap
    from pppflow.services.accounts import issue_token

    t = issue_token(username, accounts=_accounts(), now=bootstrap.wiring().now(), expires_in_days=expires_in_days)
    console.print(f"API token of {escape(username)} (shown once; send it as `Authorization: Bearer <token>`):")
    typer.echo(t)


@app.command()
def tokens(username: Username, json_: JsonOption = False) -> None:
    """The user's API tokens: id, status (active, expired, revoked), made, last used, expiry. Never the secrets."""
    from rich.table import Table

    from pppflow import bootstrap
    from pppflow.services.accounts import list_tokens

    now = bootstrap.wiring().now()
    found = list_tokens(username, accounts=_accounts())
    if json_:
        print_json([{"id": t.id, "status": t.status(now), "created_at": t.created_at, "last_used": t.last_used,
                     "expires_at": t.expires_at, "revoked_at": t.revoked_at} for t in found])
        return
    if not found:
        console.print(f"{escape(username)} has no API tokens")
        return
    table = Table(title=f"API tokens of {escape(username)}", title_justify="left")
    for col in ("Id", "Status", "Created (UTC)", "Last used", "Expires", "Revoked"):
        table.add_column(col)

    def fmt(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value else ""

    for t in found:
        table.add_row(str(t.id), t.status(now), fmt(t.created_at), fmt(t.last_used) or "never", fmt(t.expires_at),
                      fmt(t.revoked_at))
    console.print(table)


@app.command("revoke-token")
def revoke_token(username: Username, token_id: Annotated[int, typer.Argument(
        help="The token's id, from `pppflow user tokens NAME`.")]) -> None:
    """Revoke one API token of the user: it stops working at once."""
    from pppflow import bootstrap
    from pppflow.services.accounts import revoke_token as revoke

    t = revoke(username, token_id, accounts=_accounts(), now=bootstrap.wiring().now())
    console.print(f"revoked API token {t.id} of {escape(username)}")


@app.command("logout-everywhere")
def logout_everywhere(username: Username) -> None:
    """End every web session of the user at once (its API tokens are not touched)."""
    from pppflow.services.accounts import log_out_everywhere

    ended = log_out_everywhere(username, accounts=_accounts())
    console.print(f"ended {ended} web session{'s' if ended != 1 else ''} of {escape(username)}")


@app.command()
def unlock(username: Username) -> None:
    """Forget a username's recent failed logins, lifting the lock after too many (the web app's login form)."""
    from pppflow.services.accounts import unlock_user

    cleared = unlock_user(username, accounts=_accounts())
    name = escape(username.strip().lower())
    console.print(f"cleared {cleared} failed login{'s' if cleared != 1 else ''} of {name}" if cleared
                  else f"no failed logins recorded for {name}")

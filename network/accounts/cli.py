"""Account commands: create-coordinator, token create."""

import click

from network.core.cli import network_cli
from network.core.validation import ValidationFailed
from network.extensions import db


@network_cli.command("create-coordinator")
@click.argument("email")
@click.option("--name", default="Netzwerkkoordination", help="Anzeigename")
@click.option("--password", prompt="Passwort", hide_input=True, confirmation_prompt=True,
              help="Passwort (mindestens 10 Zeichen)")
@click.option("--network", "network_slug", default=None, help="Kurzadresse des Netzwerks (Standard: DEFAULT_NETWORK)")
@click.option("--platform-admin", is_flag=True, help="Auch Plattformverwaltung (legt Netzwerke an)")
def create_coordinator_command(email, name, password, network_slug, platform_admin):
    """Create a coordinator account without a city (coordination of one network, optionally platform admin)."""
    from network.accounts.services import create_coordinator
    try:
        user = create_coordinator(email, name, password, network_slug=network_slug, platform_admin=platform_admin)
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(exc.errors.values()))
    db.session.commit()
    click.echo(f"Koordinationskonto {user.email} angelegt.")


@network_cli.group("token")
def token_group():
    """Personal API tokens."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Bezeichnung des Tokens")
def token_create_command(email, name):
    """Create an API token for EMAIL; the token is printed alone on the last line."""
    from network.accounts.services import create_api_token, find_user_by_email
    user = find_user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"Kein aktives Konto mit der Adresse {email}.")
    try:
        _token, plain = create_api_token(user, name)
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(exc.errors.values()))
    db.session.commit()
    click.echo(f"API-Token „{name}“ für {user.email} (wird nur einmal angezeigt):")
    click.echo(plain)

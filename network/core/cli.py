"""`flask --app wsgi network ...`: the command group; domains add their own commands."""

import click
from flask import current_app
from flask.cli import AppGroup

network_cli = AppGroup("network", help="Städtenetz: Betrieb und Demo-Daten.")


@network_cli.command("scheduler")
def scheduler_command():
    """Run the scheduler process (waits for the leader lock)."""
    from network.core.scheduler import run_scheduler
    run_scheduler(current_app._get_current_object())


@network_cli.command("send-mail")
def send_mail_command():
    """Deliver the due outbox messages once."""
    from network.core.outbox import deliver_outbox
    stats = deliver_outbox()
    click.echo(f"gesendet: {stats['sent']}, erneut versuchen: {stats['retry']}, fehlgeschlagen: {stats['failed']}")

"""`flask --app wsgi network funding-reminders`: run the reminder job once (the scheduler runs it hourly)."""

import click

from network.core.cli import network_cli


@network_cli.command("funding-reminders")
def funding_reminders_command():
    """Send the due funding reminders once (each reminder only once, also when run twice)."""
    from network.funding.tasks import send_reminders
    stats = send_reminders()
    click.echo(f"Erinnerungen gesendet: {stats['sent']}, schon gesendet: {stats['skipped']}")

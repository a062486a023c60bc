"""`flask --app wsgi network ...`: the command group; domains add their own commands."""

import click
from flask import current_app
from flask.cli import AppGroup



class _NetworkGroup(AppGroup):
    """Every command runs like a scheduler job: links in mails it queues are absolute (SERVER_NAME or PUBLIC_URL)."""

    def invoke(self, ctx):
        from network.core.scheduler import job_context
        from flask.cli import ScriptInfo
        info = ctx.ensure_object(ScriptInfo)
        app = info.load_app()
        with app.app_context(), job_context(app):
            return super().invoke(ctx)


network_cli = _NetworkGroup("network", help="Städtenetz: Betrieb und Demo-Daten.")


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

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


def allow_relative_downgrade() -> None:
    """`flask db downgrade -1` (Alembic's relative revisions): click would take "-1" for an unknown option. Called
    where Flask-Migrate is set up (network.create_app), so that a web worker never imports it."""
    from flask_migrate.cli import downgrade
    downgrade.context_settings = {**(downgrade.context_settings or {}), "ignore_unknown_options": True}



@network_cli.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
def backup_command(directory):
    """Write a consistent backup (database, uploads, secret key) into a new or empty DIRECTORY."""
    from network.core.backup import BackupError, backup
    try:
        manifest = backup(directory)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Sicherung geschrieben: {directory} (Datenbank {manifest['database']}, "
               f"Revision {manifest['revision'] or '–'}, {manifest['files']} hochgeladene Dateien)")


@network_cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Ohne Rückfrage überschreiben.")
def restore_command(directory, yes):
    """Replace database, uploads and secret key file with the backup in DIRECTORY (stop the app first)."""
    from network.core.backup import BackupError, restore
    if not yes:
        click.confirm("Datenbank, hochgeladene Dateien und Schlüssel werden überschrieben. Fortfahren?", abort=True)
    try:
        manifest = restore(directory)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Sicherung vom {manifest['created_at']} wiederhergestellt (Revision {manifest['revision'] or '–'}).")
    if manifest["secret_key_differs"]:
        click.echo("Hinweis: Der Schlüssel der Sicherung steht jetzt in instance/secret_key. Wenn Sie "
                   "STAEDTENETZ_SECRET_KEY oder instance/config.py verwenden, tragen Sie ihn dort ein "
                   f"(Datei {directory}/secret_key).")

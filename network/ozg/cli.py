"""`flask network ozg-import [DIR]`: load or update the OZG catalogue (idempotent)."""

import click

from network.core.cli import network_cli
from network.extensions import db


@network_cli.command("ozg-import")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Mit Fehlercode beenden, wenn eine Zeile abgelehnt wurde.")
def ozg_import_command(directory, strict):
    """Load the OZG catalogue (leistungen.csv, leika.csv) from DIR, default: the shipped data; a rerun changes nothing."""
    from network.ozg.services import CatalogueUnreadable, import_catalogue
    bar = {"obj": None, "done": 0}

    def progress(done, total):
        if bar["obj"] is None:
            bar["obj"] = click.progressbar(length=total, label="OZG-Katalog", file=click.get_text_stream("stderr"),
                                           show_pos=True)
            bar["obj"].__enter__()
        bar["obj"].update(done - bar["done"])
        bar["done"] = done

    try:
        result = import_catalogue(directory, progress=progress)
    except CatalogueUnreadable as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    finally:
        if bar["obj"] is not None:
            bar["obj"].__exit__(None, None, None)
    db.session.commit()
    s, k = result.services, result.leika
    click.echo(f"OZG-Leistungen: {s['new']} neu, {s['changed']} geändert, {s['unchanged']} unverändert; "
               f"LeiKa-Leistungen: {k['new']} neu, {k['changed']} geändert, {k['unchanged']} unverändert.")
    for message in result.errors:
        click.echo(f"Übersprungen: {message}", err=True)
    if result.errors:
        click.echo(f"{len(result.errors)} Zeile(n) übersprungen.", err=True)
        if strict:
            raise SystemExit(1)

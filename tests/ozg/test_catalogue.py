"""The catalogue import: the shipped files load completely, a second run changes nothing, bad rows are reported in
German and skipped, a file without its columns is refused without writing anything."""

import sqlalchemy as sa

from network.extensions import db
from network.ozg.models import LeikaService, OzgService
from network.ozg.services import CatalogueUnreadable, import_catalogue
from tests.conftest import row_count
from tests.ozg.conftest import LEIKA, SERVICES, write_catalogue


def test_shipped_catalogue_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["network", "ozg-import"])
    assert first.exit_code == 0, first.output
    assert "OZG-Leistungen: 557 neu" in first.output and "LeiKa-Leistungen: 5222 neu" in first.output
    assert "Zeile 5184" in first.output  # the one duplicate row of the shipped leika.csv is reported, not loaded
    assert row_count(OzgService) == 557 and row_count(LeikaService) == 5222
    snapshot = db.session.execute(sa.select(LeikaService.id, LeikaService.name, LeikaService.service_id)
                                  .order_by(LeikaService.id)).all()
    second = runner.invoke(args=["network", "ozg-import"])
    assert second.exit_code == 0, second.output
    assert "OZG-Leistungen: 0 neu, 0 geändert, 557 unverändert" in second.output
    assert "LeiKa-Leistungen: 0 neu, 0 geändert, 5222 unverändert" in second.output
    assert db.session.execute(sa.select(LeikaService.id, LeikaService.name, LeikaService.service_id)
                              .order_by(LeikaService.id)).all() == snapshot
    strict = runner.invoke(args=["network", "ozg-import", "--strict"])
    assert strict.exit_code == 1  # the duplicate row counts as refused


def test_changed_rows_are_updated_not_duplicated(tmp_path):
    first = import_catalogue(write_catalogue(tmp_path / "a"))
    assert first.services["new"] == 5 and first.leika["new"] == 4 and not first.errors
    renamed = SERVICES.replace("Hundehaltung,Tierhaltung", "Hundehaltung (Steuer),Tierhaltung")
    leika = LEIKA.replace("Bewohnerparkausweis Erteilung,10173,2/3", "Bewohnerparkausweis Erteilung,10173,1")
    second = import_catalogue(write_catalogue(tmp_path / "b", renamed, leika))
    assert second.services == {"new": 0, "changed": 1, "unchanged": 4}
    assert second.leika == {"new": 0, "changed": 1, "unchanged": 3}
    assert row_count(OzgService) == 5 and row_count(LeikaService) == 4
    assert db.session.scalar(sa.select(OzgService.name).where(OzgService.ozg_id == 10160)) == "Hundehaltung (Steuer)"


def test_bad_rows_are_reported_in_german_and_skipped(tmp_path):
    services = SERVICES + ",Ohne ID,Lage,Feld\nabc,Buchstaben-ID,Lage,Feld\n10173,Doppelt,Lage,Feld\n" \
                          "20001,Ohne Themenfeld,Lage,\n20002,Gut,Lage,Feld\n"
    leika = LEIKA + "99000000000001,Unbekannte OZG-ID,99999,1\n99000000000002,Ohne OZG-ID,,1\n" \
                    "12345,Kurzer Schlüssel,10173,1\n99000000000003,,10173,1\n"
    result = import_catalogue(write_catalogue(tmp_path / "bad", services, leika))
    text = "\n".join(result.errors)
    assert "leistungen.csv, Zeile 7: Die OZG-ID fehlt." in text
    assert "leistungen.csv, Zeile 8: Die OZG-ID „abc“ ist keine positive ganze Zahl." in text
    assert "leistungen.csv, Zeile 9: Die OZG-ID 10173 steht schon in Zeile 2" in text
    assert "leistungen.csv, Zeile 10: Es fehlt das Themenfeld." in text
    assert "leika.csv, Zeile 6: Die OZG-ID „99999“ gibt es im Katalog (leistungen.csv) nicht." in text
    assert "leika.csv, Zeile 7: Die OZG-ID fehlt." in text
    assert "leika.csv, Zeile 8: Der LeiKa-Schlüssel „12345“ hat nicht 14 Ziffern." in text
    assert "leika.csv, Zeile 9: Der Name der LeiKa-Leistung fehlt." in text
    assert len(result.errors) == 8
    assert result.services["new"] == 6 and result.leika["new"] == 4  # the good rows, 20002 among them
    assert db.session.scalar(sa.select(OzgService.name).where(OzgService.ozg_id == 10173)) \
        == "Parkausweise und Zufahrtsberechtigungen"


def test_missing_columns_or_files_write_nothing(app, tmp_path):
    path = write_catalogue(tmp_path / "spalten", "id,name\n1,x\n")
    try:
        import_catalogue(path)
    except CatalogueUnreadable as exc:
        assert "leistungen.csv: Es fehlen die Spalten ozg_id, leistung, lebenslage, themenfeld" in str(exc)
    else:
        raise AssertionError("no error")
    result = app.test_cli_runner().invoke(args=["network", "ozg-import", str(tmp_path / "gibt-es-nicht")])
    assert result.exit_code != 0 and "Die Datei leistungen.csv fehlt" in result.output
    db.session.rollback()
    assert row_count(OzgService) == 0

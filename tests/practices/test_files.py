"""Attachments: type by content, a table of bad files, generated names, download headers."""

import io
import os
import zipfile

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from network.core import files
from network.core.validation import ValidationFailed
from network.extensions import db
from network.practices.models import PracticeAttachment
from tests.practices.conftest import write

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _zip_plain() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("evil.html", "<script>alert(1)</script>")
    return buf.getvalue()


def upload(data: bytes, name: str):
    return FileStorage(io.BytesIO(data), filename=name)


BAD = [
    ("HTML named .pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "bericht.pdf", "nicht erlaubt"),
    ("HTML without doctype", b"  <html><body onload=alert(1)>", "plan.docx", "nicht erlaubt"),
    ("SVG with script", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png",
     "nicht erlaubt"),
    ("SVG with XML header", b'<?xml version="1.0"?><svg onload="alert(1)"/>', "bild.svg", "nicht erlaubt"),
    ("text with a script tag", b"Hallo\n<script>alert(1)</script>", "notiz.txt", "nicht erlaubt"),
    ("empty", b"", "leer.pdf", "leer"),
    ("a ZIP that is no office file", _zip_plain(), "archiv.docx", "nicht erlaubt"),
    ("an executable", b"MZ\x90\x00" + b"\x00" * 200, "setup.pdf", "nicht erlaubt"),
    ("binary garbage", bytes(range(256)) * 4, "daten.csv", "nicht erlaubt"),
    # the content is fine, the name promises something else (#21, 17): refused with a hint what it is
    ("text named .pdf", b"Nur ein Text, kein PDF.", "bericht.pdf",
     "Die Datei heißt „bericht.pdf“, ist dem Inhalt nach aber Text, nicht PDF."),
    ("PDF named .docx", PDF, "plan.docx", "passende Endung (.pdf)"),
    ("PNG named .jpg", PNG, "foto.jpg", "ist dem Inhalt nach aber PNG, nicht JPEG"),
]


def test_csv_named_txt_and_unknown_endings_pass(app):
    assert files.save_upload(upload(b"a;b\n1;2\n", "liste.txt")).content_type == "text/plain"
    assert files.save_upload(upload(b"a;b\n1;2\n", "liste.csv")).content_type == "text/csv"
    assert files.save_upload(upload(PDF, "bericht")).content_type == "application/pdf"
    assert files.save_upload(upload(PDF, "Bericht.PDF")).content_type == "application/pdf"


@pytest.mark.parametrize("label,data,name,message", BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused(app, label, data, name, message):
    with pytest.raises(ValidationFailed) as exc:
        files.save_upload(upload(data, name))
    assert message in exc.value.errors["file"]


def test_over_the_limit(app):
    app.config["MAX_UPLOAD_BYTES"] = 1000
    try:
        with pytest.raises(ValidationFailed) as exc:
            files.save_upload(upload(PDF + b"x" * 2000, "gross.pdf"))
        assert "zu groß" in exc.value.errors["file"]
    finally:
        app.config["MAX_UPLOAD_BYTES"] = 20 * 1024 * 1024


GOOD = [
    (PDF, "Bericht.pdf", "application/pdf", "pdf"),
    (PNG, "foto.PNG", "image/png", "png"),
    (_docx(), "Konzept.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("Name;Betrag\nEttlingen;10\n".encode(), "kosten.csv", "text/csv", "csv"),
    ("Grüße aus Bühl".encode(), "notiz.txt", "text/plain", "txt"),
    (PDF, "../../etc/passwd", "application/pdf", "pdf"),
]


@pytest.mark.parametrize("data,name,mime,ext", GOOD, ids=[g[1] for g in GOOD])
def test_good_files_get_generated_names(app, data, name, mime, ext):
    saved = files.save_upload(upload(data, name))
    assert saved.content_type == mime
    assert saved.storage_name.endswith("." + ext) and len(saved.storage_name) == 33 + len(ext)
    assert "/" not in saved.original_name and ".." not in saved.original_name.split(".")[0]
    with files.open_stored(saved.storage_name) as fh:
        assert fh.read() == data
    files.delete_stored(saved.storage_name)
    assert not os.path.exists(os.path.join(files.upload_folder(), saved.storage_name))


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"), ("C:\\Windows\\system.ini", "system.ini"), ("  .hidden  ", "hidden"),
    ("a\x00b\r\n.pdf", "ab.pdf"), ("", "datei"), ("x" * 300 + ".pdf", "x" * 140 + ".pdf"),
])
def test_clean_filename(name, expected):
    assert files.clean_filename(name) == expected


def test_open_stored_refuses_path_tricks(app):
    for name in ("../secret_key", "/etc/passwd", "abc.pdf", ""):
        with pytest.raises(FileNotFoundError):
            files.open_stored(name)


def test_upload_and_download_through_the_page(client, login_as, staff_a, lead_a, staff_b):
    p = write(staff_a, "Mit Anhang", publish_as=lead_a)
    c = login_as(staff_a)
    resp = c.post(f"/praxis/{p.id}/anhaenge", data={"file": (io.BytesIO(PDF), "../Plan <b>.pdf")},
                  content_type="multipart/form-data")
    assert resp.status_code == 302
    att = db.session.execute(sa.select(PracticeAttachment)).scalar_one()
    assert att.original_name == "Plan <b>.pdf" and att.storage_name != att.original_name
    page = c.get(f"/praxis/{p.id}").get_data(as_text=True)
    assert "Plan &lt;b&gt;.pdf" in page
    resp = c.get(f"/praxis/{p.id}/anhaenge/{att.id}")
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.mimetype == "application/pdf"
    # a bad file: 422 with the German message beside the field, nothing stored
    before = set(os.listdir(files.upload_folder()))
    bad = b"<html><script>x</script>"
    resp = c.post(f"/praxis/{p.id}/anhaenge", data={"file": (io.BytesIO(bad), "a.pdf")},
                  content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "Dieser Dateityp ist nicht erlaubt" in resp.get_data(as_text=True)
    # nothing of the refused file is stored (the folder is the test session's; compare contents, not only names)
    for name in set(os.listdir(files.upload_folder())) - before:
        with open(os.path.join(files.upload_folder(), name), "rb") as fh:
            assert fh.read() != bad, name
    assert db.session.scalar(sa.select(sa.func.count(PracticeAttachment.id))) == 1
    # a text file named .pdf: 422 with the hint beside the field
    resp = c.post(f"/praxis/{p.id}/anhaenge", data={"file": (io.BytesIO(b"Notizen"), "Notizen.pdf")},
                  content_type="multipart/form-data")
    assert resp.status_code == 422 and "ist dem Inhalt nach aber Text, nicht PDF" in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PracticeAttachment.id))) == 1
    # another city reads and downloads (network practice) but cannot delete
    client.post("/abmelden")
    c = login_as(staff_b)
    assert c.get(f"/praxis/{p.id}/anhaenge/{att.id}").status_code == 200
    assert c.post(f"/praxis/{p.id}/anhaenge/{att.id}/loeschen").status_code == 404
    # anonymous: a network practice's file is not there
    client.post("/abmelden")
    assert client.get(f"/praxis/{p.id}/anhaenge/{att.id}").status_code == 404


def test_delete_removes_row_and_file(login_as, staff_a):
    p = write(staff_a, "Mit Anhang")
    c = login_as(staff_a)
    c.post(f"/praxis/{p.id}/anhaenge", data={"file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data")
    att = db.session.execute(sa.select(PracticeAttachment)).scalar_one()
    path = os.path.join(files.upload_folder(), att.storage_name)
    assert os.path.exists(path)
    assert c.post(f"/praxis/{p.id}/anhaenge/{att.id}/loeschen").status_code == 302
    assert not os.path.exists(path)
    assert db.session.execute(sa.select(PracticeAttachment)).first() is None


def test_files_follow_the_commit_of_the_request(app, login_as, staff_a, monkeypatch):
    """The request boundary commits after the view: a stored upload goes when its row is not committed, a
    deleted attachment's file stays when the deletion is not committed."""
    p = write(staff_a, "Mit Anhang")
    c = login_as(staff_a)
    c.post(f"/praxis/{p.id}/anhaenge", data={"file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data")
    att = db.session.execute(sa.select(PracticeAttachment)).scalar_one()
    path = os.path.join(files.upload_folder(), att.storage_name)
    before = set(os.listdir(files.upload_folder()))

    def broken_commit(self):
        raise RuntimeError("die Datenbank ist nicht erreichbar")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(sa.orm.Session, "commit", broken_commit)
    resp = c.post(f"/praxis/{p.id}/anhaenge", data={"file": (io.BytesIO(PDF), "b.pdf")},
                  content_type="multipart/form-data")
    assert resp.status_code == 500
    assert set(os.listdir(files.upload_folder())) == before
    assert c.post(f"/praxis/{p.id}/anhaenge/{att.id}/loeschen").status_code == 500
    assert os.path.exists(path)
    monkeypatch.undo()
    db.session.rollback()
    assert db.session.execute(sa.select(PracticeAttachment.id)).scalars().all() == [att.id]

"""Uploaded files: type by content, generated names, stored outside static/, served as attachments.

Reusable by every domain (practices' attachments, funding's application documents). Storage lives in
``UPLOAD_FOLDER`` (default ``instance/uploads``); a storage name is 32 random hex characters plus a
fixed extension chosen from the detected type, never anything the user sent.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from flask import after_this_request, current_app, send_file
from flask_babel import gettext as _

from network.core.validation import ValidationFailed

#: detected MIME type -> (extension, what the user reads)
DOCUMENT_TYPES = {
    "application/pdf": ("pdf", "PDF"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "Word"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "Excel"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx", "PowerPoint"),
    "application/vnd.oasis.opendocument.text": ("odt", "OpenDocument Text"),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", "OpenDocument Tabelle"),
    "application/vnd.oasis.opendocument.presentation": ("odp", "OpenDocument Präsentation"),
    "application/msword": ("doc", "Word (alt)"),
    "application/vnd.ms-excel": ("xls", "Excel (alt)"),
    "application/vnd.ms-powerpoint": ("ppt", "PowerPoint (alt)"),
    "text/plain": ("txt", "Text"),
    "text/csv": ("csv", "CSV"),
}
IMAGE_TYPES = {
    "image/png": ("png", "PNG"),
    "image/jpeg": ("jpg", "JPEG"),
    "image/gif": ("gif", "GIF"),
    "image/webp": ("webp", "WebP"),
}
#: the default for attachments: documents and raster images (never SVG or HTML)
DOCUMENTS_AND_IMAGES = {**DOCUMENT_TYPES, **IMAGE_TYPES}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ACTIVE_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head",
                   b"<object", b"<embed", b"javascript:")
_STORAGE_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")


@dataclass(frozen=True)
class SavedFile:
    storage_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def upload_folder() -> str:
    folder = current_app.config.get("UPLOAD_FOLDER") or os.path.join(current_app.instance_path, "uploads")
    os.makedirs(folder, exist_ok=True)
    return folder


def clean_filename(name: str | None, default_ext: str = "") -> str:
    """The name the user sees: no path, no control characters, at most 150 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    if not name:
        name = "datei" + (f".{default_ext}" if default_ext else "")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 140] + dot + ext[:9]) if dot and len(ext) < 10 else name[:150]
    return name


def _zip_office_type(head: bytes, data: io.BufferedIOBase) -> str | None:
    """OOXML and OpenDocument files are ZIP archives; tell them apart by their members."""
    try:
        with zipfile.ZipFile(data) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mime in DOCUMENT_TYPES:
                    return mime
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if any(n.startswith("xl/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if any(n.startswith("ppt/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _ole_type(original_name: str) -> str | None:
    """Old binary Office files share one container format; the extension names which one."""
    ext = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
    return {"doc": "application/msword", "xls": "application/vnd.ms-excel",
            "ppt": "application/vnd.ms-powerpoint"}.get(ext)


def _text_type(sample: bytes, original_name: str) -> str | None:
    """Plain UTF-8 text (or CSV by name) without markup that a browser would run."""
    if b"\x00" in sample:
        return None
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multibyte character cut at the end of the sample is fine
        if exc.start < len(sample) - 4:
            return None
        text = sample[: exc.start].decode("utf-8")
    lowered = text.lower().encode()
    if any(marker in lowered for marker in _ACTIVE_MARKERS):
        return None
    return "text/csv" if original_name.lower().endswith(".csv") else "text/plain"


def detect_type(stream, original_name: str) -> str | None:
    """The MIME type by content (magic numbers, ZIP members, OLE header, plain text), or None."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if not head:
        return None
    lowered = head[:1024].lstrip().lower()
    if any(lowered.startswith(m) for m in (b"<html", b"<!doctype", b"<svg", b"<?xml", b"<script")):
        return "text/html"  # refused below
    if head.startswith(_OLE_MAGIC):
        return _ole_type(original_name)
    if head.startswith(b"PK\x03\x04"):
        found = _zip_office_type(head, stream)
        stream.seek(0)
        return found
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    return _text_type(head, original_name)


def _claimed_type(name: str) -> str | None:
    """The type a file name's extension promises (".pdf" -> application/pdf), or None for unknown endings."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    ext = "jpg" if ext == "jpeg" else ext
    return next((mime for mime, (known, _label) in DOCUMENTS_AND_IMAGES.items() if known == ext), None)


def save_upload(file_storage, *, allowed: dict | None = None) -> SavedFile:
    """Check and store an upload (werkzeug FileStorage); raise ValidationFailed({"file": ...}) when refused: too
    large, empty, a type not allowed (by content), or content that is not what the name's ending promises (a text
    file named ".pdf")."""
    allowed = DOCUMENTS_AND_IMAGES if allowed is None else allowed
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise ValidationFailed({"file": _("Bitte wählen Sie eine Datei aus.")})
    limit = int(current_app.config.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
    stream = file_storage.stream
    digest = hashlib.sha256()
    buffer = io.BytesIO()
    size = 0
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise ValidationFailed({"file": _("Die Datei ist zu groß (höchstens %(mb)s MB).",
                                              mb=round(limit / 1024 / 1024, 1))})
        digest.update(chunk)
        buffer.write(chunk)
    if size == 0:
        raise ValidationFailed({"file": _("Die Datei ist leer.")})
    original = clean_filename(file_storage.filename)
    mime = detect_type(buffer, original)
    if mime not in allowed:
        kinds = ", ".join(sorted({label for _ext, label in allowed.values()}))
        raise ValidationFailed({"file": _("Dieser Dateityp ist nicht erlaubt (erkannt am Inhalt, nicht am Namen). "
                                          "Erlaubt sind: %(kinds)s.", kinds=kinds)})
    claimed = _claimed_type(original)
    if claimed and claimed != mime and {claimed, mime} != {"text/plain", "text/csv"}:
        raise ValidationFailed({"file": _(
            "Die Datei heißt „%(name)s“, ist dem Inhalt nach aber %(found)s, nicht %(claimed)s. Bitte laden Sie die "
            "richtige Datei hoch oder geben Sie ihr die passende Endung (.%(ext)s).", name=original,
            found=allowed[mime][1], claimed=DOCUMENTS_AND_IMAGES[claimed][1], ext=allowed[mime][0])})
    ext = allowed[mime][0]
    storage_name = f"{secrets.token_hex(16)}.{ext}"
    path = os.path.join(upload_folder(), storage_name)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640), "wb") as fh:
        fh.write(buffer.getbuffer())
    return SavedFile(storage_name=storage_name, original_name=original, content_type=mime, size=size,
                     sha256=digest.hexdigest())


def _path(storage_name: str) -> str:
    if not _STORAGE_NAME.match(storage_name or ""):
        raise FileNotFoundError(storage_name)
    return os.path.join(upload_folder(), storage_name)


def open_stored(storage_name: str):
    """Open a stored file for reading (binary)."""
    return open(_path(storage_name), "rb")


def send_stored(storage_name: str, download_name: str, content_type: str):
    """A download response: always an attachment, never sniffed, never cached by shared caches."""
    resp = send_file(_path(storage_name), mimetype=content_type, as_attachment=True,
                     download_name=clean_filename(download_name), max_age=0, conditional=True)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def delete_stored(storage_name: str) -> None:
    """Remove a stored file; a missing file is not an error."""
    try:
        os.remove(_path(storage_name))
    except FileNotFoundError:
        pass


def delete_stored_after(storage_name: str, *, success: bool) -> None:
    """Delete a stored file once this request's answer is known (the boundary has committed or rolled back by then).

    ``success=True``: the file of a removed row goes when the answer is below 400 (the removal was committed; a
    failed commit answers >= 400 and the file stays with its row). ``success=False``: the file just stored for a new
    row goes when the answer is an error (the row was rolled back, the file would have no owner).
    """
    @after_this_request
    def settle(response):
        if (response.status_code < 400) == success:
            delete_stored(storage_name)
        return response

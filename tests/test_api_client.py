"""A generated client proves the contract (issue #20): openapi-python-client builds a Python package from
/api/v1/openapi.json into a temporary folder, and the test uses only that package (no hand-written request):
token login, a project created and patched with its version, a 409 on a stale patch, a practice created and
published, an RSVP to a meeting, the funding calls listed. The client talks to the app in-process (WSGI)."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from network.accounts.services import create_api_token
from network.extensions import db
from tests.inventory.conftest import fields  # noqa: F401  (fixture)
from tests.meetings.conftest import fachgruppe, meeting  # noqa: F401  (fixtures: lead_a's city is a member)

pytestmark = pytest.mark.sqlite_only  # generating the client takes longer than 20 s on a busy machine

BASE_URL = "http://staedtenetz.test"
PACKAGE = "staedtenetz_client"


@pytest.fixture()
def generated(client, tmp_path):
    """The client package generated from the served document, importable."""
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(client.get("/api/v1/openapi.json").get_json()), encoding="utf-8")
    (tmp_path / "config.yaml").write_text(f"project_name_override: staedtenetz-client\n"
                                          f"package_name_override: {PACKAGE}\n", encoding="utf-8")
    bindir = Path(sys.executable).parent
    done = subprocess.run([str(bindir / "openapi-python-client"), "generate", "--path", str(spec), "--meta", "none",
                           "--config", str(tmp_path / "config.yaml"), "--output-path", str(tmp_path / PACKAGE)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path,
                          env={**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_a_generated_client_works_end_to_end(app, generated, lead_a, fields, meeting):  # noqa: F811
    _t, token = create_api_token(lead_a, "generierter Client")
    db.session.commit()

    client_module = generated("client")
    api = client_module.AuthenticatedClient(base_url=BASE_URL, token=token,
                                            httpx_args={"transport": httpx.WSGITransport(app=app)})
    models = generated("models")

    me = generated("api.accounts_api.get_api_v1_me").sync(client=api)
    assert me.email == lead_a.email and me.municipality.slug == "ettlingen"

    created = generated("api.inventory_api.post_api_v1_municipalities_slug_projects").sync_detailed(
        slug="ettlingen", client=api, body=models.ProjectIn(
            title="Digitale Bauakte", field_id=fields[0].id, status=models.ProjectInStatus.IN_PROGRESS,
            budget_eur=25000, start_month="2026-04", visibility=models.ProjectInVisibility.NETWORK))
    assert created.status_code == 201, created.content
    project = created.parsed
    assert project.version == 1 and project.url.endswith(f"/api/v1/projects/{project.id}")

    patch = generated("api.inventory_api.patch_api_v1_projects_project_id")
    changed = patch.sync_detailed(project_id=project.id, client=api, body=models.ProjectPatch(
        version=project.version, status=models.ProjectPatchStatus.DONE))
    assert changed.status_code == 200 and changed.parsed.status == models.ProjectStatus.DONE
    assert changed.parsed.version == 2
    stale = patch.sync_detailed(project_id=project.id, client=api, body=models.ProjectPatch(
        version=project.version, title="Veraltet"))
    assert stale.status_code == 409
    assert isinstance(stale.parsed, models.Error) and stale.parsed.error.code == "conflict"

    practice = generated("api.practices_api.post_api_v1_practices").sync_detailed(client=api, body=models.PracticeIn(
        title="E-Akte in der Bauverwaltung", summary="Wie wir umgestellt haben.",
        sections=models.PracticeSectionsIn(solution="Ein Dokumentenmanagementsystem."),
        visibility=models.PracticeInVisibility.PUBLIC, tags=["E-Akte", "Bauamt"]))
    assert practice.status_code == 201, practice.content
    assert practice.parsed.status == models.PracticeDetailStatus.DRAFT
    published = generated("api.practices_api.post_api_v1_practices_practice_id_publish").sync_detailed(
        practice_id=practice.parsed.id, client=api, body=models.PublishIn(version=practice.parsed.version))
    assert published.status_code == 200, published.content
    assert published.parsed.status == models.PracticeDetailStatus.PUBLISHED

    rsvp = generated("api.meetings_api.post_api_v1_networks_network_meetings_meeting_id_rsvp").sync_detailed(
        network="readi", meeting_id=meeting.id, client=api,
        body=models.RsvpIn(response=models.RsvpInResponse.YES, note="Wir kommen zu zweit."))
    assert rsvp.status_code == 200, rsvp.content
    assert rsvp.parsed.response == models.RsvpOutResponse.YES and rsvp.parsed.waiting_list is False

    calls = generated("api.funding_api.get_api_v1_funding_calls").sync_detailed(client=api)
    assert calls.status_code == 200 and isinstance(calls.parsed, list)
    assert 'rel="first"' in calls.headers["Link"]

"""The API documentation pages at /api/v1/docs (issue #20)."""

import re


def test_docs_page_is_served_from_our_origin_with_the_csp(client):
    """Swagger UI from npm (static/vendor/swagger-ui), started by our own script: no CDN, no inline script."""
    from tests.security.test_headers import header_problems
    resp = client.get("/api/v1/docs")
    assert resp.status_code == 200 and not header_problems(resp)
    html = resp.get_data(as_text=True)
    assert '<html lang="de">' in html and "/api/v1/openapi.json" in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all(body.strip() == "" for _attrs, body in scripts)  # no inline script
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#", "http://staedtenetz.test/")), url  # nothing from elsewhere
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]

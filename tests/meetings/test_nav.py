"""The meetings subnavigation offers "Treffen planen" only to those who may schedule a meeting in this network."""

import re

from tests.conftest import login

PLAN_LINK = re.compile(r'<a class="kern-link" href="/n/readi/treffen/neu">')


def test_plan_link_only_for_organisers_of_this_network(client, fachgruppe, project_group, coordinator, lead_a,
                                                       lead_b, staff_a):
    """Ettlingen leads the e-Akte project group: its lead may plan; Bühl's lead (no led topic) sees no link
    (the page behind it would answer 403, a dead link in the crawl); staff never; the coordinator always."""
    pages = {}
    for user in (lead_a, lead_b, staff_a, coordinator):
        client.post("/abmelden")
        login(client, user)
        html = client.get("/n/readi/treffen/").get_data(as_text=True)
        pages[user.email] = bool(PLAN_LINK.search(html))
        if not pages[user.email]:
            assert client.get("/n/readi/treffen/neu").status_code == 403
    assert pages == {lead_a.email: True, lead_b.email: False, staff_a.email: False, coordinator.email: True}

from network.practices import services
from tests.practices.conftest import write


def test_write_publish_find(app, lead_a, staff_b, topic):
    p = write(lead_a, "Fahrräder in Köln", publish_as=lead_a, topics=[topic], solution="Bürgerbeteiligung an der Straße")
    r = services.search(staff_b, "fahrrad koln")
    assert [h.practice.id for h in r.hits] == [p.id]
    r = services.search(staff_b, "Beteiligung Strasse")
    assert r.total == 1, r
    assert "<mark>" in str(r.hits[0].snippet)
    assert r.facets["topic"][0][2] == 1

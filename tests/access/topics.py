"""Access-matrix rows of the topics domain beyond the default network (the rows under /n/readi/themen/ and the
deprecated /api/v1/topics… stay in tests/test_access_matrix.py).

World: a second network "kraichgau" in which city B is a member and city A only a guest; its field of action
and its topic "breitband" with city B's pending lead claim. The coordinator coordinates re@di only, so under
/n/kraichgau/ it has no rights and sees nothing (404). Old addresses (/themen/…) redirect for everybody.
"""

from tests.access import Case, same

PUBLIC = {"topics_legacy", "topics_legacy_root"}

#: a topic of network B asked for under network A (or under a network that does not exist) is not there
NOT_HERE = {"anonymous": 302, "staff_a": 404, "lead_a": 404, "lead_b": 404, "coordinator": 404}
API_NOT_HERE = {"anonymous": 401, "staff_a": 404, "lead_a": 404, "lead_b": 404, "coordinator": 404}
#: B's topic under B: every city account may read it, the coordinator of re@di sees nothing there
IN_B = {"anonymous": 302, "staff_a": 200, "lead_a": 200, "lead_b": 200, "coordinator": 404}

B = "/n/kraichgau/themen"
API = "/api/v1/networks/readi"


def build(w):
    from network.extensions import db
    from network.topics.models import LeadClaim
    from tests import factories
    from tests.topics.conftest import make_field, make_topic
    network = factories.make_network("kraichgau", "Kraichgau digital")
    factories.join_network(w["city_b"], network)
    factories.join_network(w["city_a"], network, status="guest")
    field = make_field("Infrastruktur", network_id=network.id)
    topic = make_topic(field, "Breitband", network_id=network.id)
    claim = LeadClaim(topic_id=topic.id, municipality_id=w["city_b"].id, kind="lead", status="pending")
    db.session.add(claim)
    db.session.flush()
    return {"tb_network": network, "tb_topic": topic, "tb_claim": claim}


ROWS = [
    # the addresses of the single-network era: 301 for GET, 308 for other methods, for everybody
    Case("topics_legacy_root", "GET", lambda w: "/themen", same(301)),
    Case("topics_legacy", "GET", lambda w: "/themen/e-akte?x=1", same(301)),
    Case("topics_legacy", "POST", lambda w: "/themen/e-akte/federfuehrung", same(308)),
    # network B's pages: readable by the accounts of its cities (members and guests), not by the coordinator of
    # another network (404: a network's inner pages do not exist for outsiders; tests/topics/test_networks.py)
    Case("topics.list", "GET", lambda w: f"{B}/", IN_B),
    Case("topics.matrix", "GET", lambda w: f"{B}/matrix", IN_B),
    Case("topics.detail", "GET", lambda w: f"{B}/breitband", IN_B),
    Case("topics.detail", "GET", lambda w: "/n/readi/themen/breitband", NOT_HERE),
    Case("topics.list", "GET", lambda w: "/n/gibt-es-nicht/themen/", NOT_HERE),
    Case("topics.new", "GET", lambda w: f"{B}/neu",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 403, "coordinator": 404}),
    # city A is only a guest in B: it may not claim (403); city B already asked (409)
    Case("topics.claim", "POST", lambda w: f"{B}/breitband/federfuehrung",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 409, "coordinator": 404}),
    Case("topics.participate", "POST", lambda w: f"{B}/breitband/teilnahme",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 302, "coordinator": 404},
         data=lambda w: {"part-status": "interested"}),
    # the coordinator of re@di cannot decide a claim in B (404: nothing of B is visible to it)
    Case("topics.decide_claim", "POST", lambda w: f"{B}/breitband/antraege/{w['tb_claim'].id}/entscheidung",
         {"anonymous": 302, "staff_a": 403, "lead_a": 403, "lead_b": 403, "coordinator": 404},
         data=lambda w: {f"d{w['tb_claim'].id}-decision": "confirm"}),
    # the network-scoped API (same expectations as the deprecated routes of the default network)
    Case("topics_api.network_list_fields", "GET", lambda w: f"{API}/fields-of-action", same(200, anonymous=401)),
    Case("topics_api.network_list_topics", "GET", lambda w: f"{API}/topics", same(200, anonymous=401)),
    Case("topics_api.network_get_topic", "GET", lambda w: f"{API}/topics/e-akte", same(200, anonymous=401)),
    Case("topics_api.network_create_claim", "POST", lambda w: f"{API}/topics/e-akte/claims",
         {"anonymous": 401, "staff_a": 403, "lead_a": 201, "lead_b": 409, "coordinator": 403}),
    Case("topics_api.network_decide_claim", "POST",
         lambda w: f"{API}/topics/intranet/claims/{w['colead_b'].id}/decision",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("topics_api.network_put_participation", "PUT", lambda w: f"{API}/topics/e-akte/participation",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 422}),
    Case("topics_api.network_delete_participation", "DELETE", lambda w: f"{API}/topics/e-akte/participation",
         {"anonymous": 401, "staff_a": 403, "lead_a": 204, "lead_b": 404, "coordinator": 403}),
    # network B through the API; an unknown network answers 404 in the error envelope
    Case("topics_api.network_get_topic", "GET", lambda w: "/api/v1/networks/kraichgau/topics/breitband",
         {"anonymous": 401, "staff_a": 200, "lead_a": 200, "lead_b": 200, "coordinator": 404}),
    Case("topics_api.network_get_topic", "GET", lambda w: f"{API}/topics/breitband", API_NOT_HERE),
    Case("topics_api.network_list_topics", "GET", lambda w: "/api/v1/networks/gibt-es-nicht/topics", API_NOT_HERE),
    Case("topics_api.network_decide_claim", "POST",
         lambda w: f"/api/v1/networks/kraichgau/topics/breitband/claims/{w['tb_claim'].id}/decision",
         {"anonymous": 401, "staff_a": 422, "lead_a": 422, "lead_b": 422, "coordinator": 404}),
]

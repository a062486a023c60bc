"""OZG permissions, merged into core's ROLE_PERMISSIONS by create_app.

ozg.view    see the cities' OZG statuses (what scope() lets through) and the network matrix
ozg.edit    record the own city's statuses (lead and staff, like the inventory's drafts; no draft step:
            a status is a fact, not a text to review)
"""

PERMISSIONS = {
    "staff": {"ozg.view", "ozg.edit"},
    "lead": {"ozg.view", "ozg.edit"},
    "coordinator": {"ozg.view"},
    "anonymous": set(),
}

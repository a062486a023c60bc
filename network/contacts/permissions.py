"""Contact-profile permissions, merged into core's ROLE_PERMISSIONS by create_app.

contacts.view   the directory and the "Ansprechpersonen" panels (what visible_clause lets through)
contacts.own    keep one's own contact profile (a city's lead and staff)
contacts.mark   a lead names the city's contact persons for a topic the city leads
"""

PERMISSIONS = {
    "staff": {"contacts.view", "contacts.own"},
    "lead": {"contacts.view", "contacts.own", "contacts.mark"},
    "coordinator": {"contacts.view"},
    "anonymous": set(),
}

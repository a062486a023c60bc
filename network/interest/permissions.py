"""Interest domain permissions (merged into core's ROLE_PERMISSIONS by create_app)."""

_MEMBER = {"follow.use", "privacy.export", "account.delete"}

PERMISSIONS = {
    "anonymous": {"interest.register"},
    "staff": {"interest.register"} | _MEMBER,
    #: a city lead sees and works on the registrations addressed to the own city
    "lead": {"interest.register", "interest.view", "interest.manage"} | _MEMBER,
    #: the coordination sees every registration, also those to the whole network
    "coordinator": {"interest.register", "interest.view", "interest.manage", "interest.view_all"} | _MEMBER,
}

"""Meeting permissions. Membership of a body and a project group's lead city are checked in the services."""

_MEMBER = {"meeting.view", "meeting.rsvp", "meeting.vote", "meeting.propose_item", "meeting.calendar"}

PERMISSIONS = {
    "anonymous": set(),
    "staff": set(_MEMBER),
    # a city lead organises the meetings of the project group whose topic the city leads
    "lead": _MEMBER | {"meeting.organise"},
    "coordinator": _MEMBER | {"meeting.organise", "meeting.organise_any", "body.manage"},
}

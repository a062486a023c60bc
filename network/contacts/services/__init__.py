"""Contact-profile services; this package re-exports every public name.

reading  the one visibility rule, the directory (paged, fixed statements), the contact persons of a city for a
         subject (panels of topics, practices, projects and OZG services)
writing  saving and deleting one's own profile, a lead city marking contact persons for a topic it leads
"""

from network.contacts.services.reading import (
                                               PAGE_SIZE,
                                               PANEL_LIMIT,
                                               DirectoryFilters,
                                               city_names,
                                               contacts_for,
                                               directory,
                                               own_profile,
                                               profile_or_404,
                                               topic_lead_cities,
                                               topic_or_404,
                                               visible_clause,
)
from network.contacts.services.writing import (
                                               choices,
                                               city_profiles,
                                               delete_profile,
                                               mark_topic_contacts,
                                               require_topic_lead,
                                               save_profile,
)

__all__ = ["PAGE_SIZE", "PANEL_LIMIT", "DirectoryFilters", "choices", "city_names", "city_profiles", "contacts_for",
           "delete_profile", "directory", "mark_topic_contacts", "own_profile", "profile_or_404",
           "require_topic_lead", "save_profile", "topic_lead_cities", "topic_or_404", "visible_clause"]

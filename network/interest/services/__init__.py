"""Interest: public registrations with double opt-in, following, notifications and the weekly digest.

One module per part (registration, the city's view, following, unsubscribe links, notifications, digest);
this package re-exports their public names, so ``from network.interest import services`` keeps working.
Scheduled jobs live in ``network/interest/tasks.py``.
"""

from network.interest.services._common import BERLIN, MAX_TEXT, NETWORK, PAGE_SIZE, absolute
from network.interest.services.choices import member_city_choices, topic_choices, topic_filter_choices
from network.interest.services.city_view import (get_registration_or_404, list_registrations,
                                                 new_registrations_count, set_contacted)
from network.interest.services.digest import (LEAD_CHANGE_ACTIONS, build_digest, iso_week, lead_changes_section,
                                              weekly_follows)
from network.interest.services.following import (is_following, list_follows, preferences, replace_follows,
                                                 resolve_targets, set_preferences, store_preference,
                                                 toggle_follow)
from network.interest.services.notifications import follower_receiver, notify_followers
from network.interest.services.registration import (check_confirm_token, confirm_registration,
                                                    register_interest, registration_for_withdraw,
                                                    withdraw_registration, withdraw_token)
from network.interest.services.spam import check_not_a_bot, form_started_token
from network.interest.services.unsubscribe import kind_label, read_unsubscribe_token, unsubscribe, \
    unsubscribe_token

__all__ = [
    "BERLIN", "LEAD_CHANGE_ACTIONS", "MAX_TEXT", "NETWORK", "PAGE_SIZE", "absolute", "build_digest",
    "check_confirm_token", "check_not_a_bot", "confirm_registration", "follower_receiver", "form_started_token",
    "get_registration_or_404", "is_following", "iso_week", "kind_label", "lead_changes_section",
    "list_follows", "list_registrations", "member_city_choices", "new_registrations_count", "notify_followers",
    "preferences", "read_unsubscribe_token", "register_interest", "registration_for_withdraw",
    "replace_follows", "resolve_targets", "set_contacted", "set_preferences", "store_preference",
    "toggle_follow", "topic_choices", "topic_filter_choices", "unsubscribe", "unsubscribe_token", "weekly_follows",
    "withdraw_registration", "withdraw_token",
]

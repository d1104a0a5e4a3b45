"""When any session opens (password, card, activation, SSO): its lifetime and second factor."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .lifetime import SECOND_FACTOR_KEY, profiles_of, second_factor_owed, session_seconds


@receiver(user_logged_in, dispatch_uid="preau.sso.session_opened")
def session_opened(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    profiles = profiles_of(user)
    session.set_expiry(session_seconds(user, profiles))
    # A federated sign-in was authenticated by the IdP, with its own second factor if any.
    owed = "" if getattr(request, "preau_federated", False) else second_factor_owed(user, profiles)
    if owed:
        session[SECOND_FACTOR_KEY] = owed
    else:
        session.pop(SECOND_FACTOR_KEY, None)

"""The login throttle (django-axes), for logins that come from the web.

Failures are counted per account and per address (``AXES_LOCKOUT_PARAMETERS``).
A successful login clears its own account's failures and nothing else: axes'
own reset would also clear every failure from that address, so one good login
with one's own account between guesses at another's kept the count from ever
reaching the limit. Failures while locked out are not recorded, so nobody can
keep an account locked by trying it again and again.
"""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses logins for an account or an address locked out after repeated failures.

    A check of a password from code (a management command, the shell) has no request
    and no address: it is not a login from the web, and there is nothing to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_logged_in, dispatch_uid="newsroom_clear_own_login_failures")
def clear_own_failures(sender, request, user, **kwargs):
    """A good login clears the failures recorded against its own account, from any address."""
    reset(username=user.get_username())


def lockout_response(request, original_response=None, credentials=None):
    """The 429 page of a locked-out login, with ``Retry-After``: the cool-off, the longest the lockout can last."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_timedelta": cool_off,
    }
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response

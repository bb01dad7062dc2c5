"""The login throttle (django-axes), for logins that come from the web."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses logins for an account or an address locked out after repeated failures.

    A check of a password from code (a management command, the shell) has no request
    and no address: it is not a login from the web, and there is nothing to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

"""The guard every staff view starts with."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import patch_vary_headers

from claims.permissions import Action, may


def staff_view(action: Action):
    """Anonymous users go to the login page; signed-in users without the right get 403.

    Asked before anything else in the view, so nothing is read or written for
    someone who may not be there.

    Staff views answer a whole page or, to htmx, a region of it at the same URL:
    every answer varies on HX-Request, so the browser's cache never hands a bare
    region to Back or a reload.
    """

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user, action):
                raise PermissionDenied
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ("HX-Request",))
            return response

        return guarded

    return decorator


def fetched_file_view(action: Action):
    """Like staff_view, but anonymous users get 404, not a login page: a fetched file's address tells
    nobody who is not signed in whether it exists."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                raise Http404
            if not may(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator

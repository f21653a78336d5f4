from django.utils.functional import SimpleLazyObject

from claims.models import SiteSettings
from claims.permissions import is_admin, is_reviewer, is_staff_member


def site(request):
    """The site settings row and the viewer's role, read lazily per request."""
    user = request.user
    return {
        "site_settings": SimpleLazyObject(SiteSettings.load),
        "viewer_is_staff": lambda: is_staff_member(user),
        "viewer_is_admin": lambda: is_admin(user),
        "viewer_is_reviewer": lambda: is_reviewer(user),
    }

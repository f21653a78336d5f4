from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.admin import admin_site
from claims.views import people as people_views
from claims.views import public as public_views

urlpatterns = [
    path("healthz", public_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/invitation/<uidb64>/<token>/", people_views.invitation_accept, name="invitation-accept"
    ),  # an invitee chooses their username and password (claims.people)
    path("staff/", include("claims.urls_staff")),
    path("admin/", admin_site.urls),
    path("", include("claims.urls_public")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

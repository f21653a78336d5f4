from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.admin import admin_site
from claims.api.main import api
from claims.views import accounts as account_views
from claims.views import people as people_views
from claims.views import public as public_views

urlpatterns = [
    path("healthz", public_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/", account_views.two_factor_verify, name="two-factor-verify"),
    path("accounts/two-factor/set-up/", account_views.two_factor_setup, name="two-factor-setup"),
    path(
        "accounts/invitation/<uidb64>/<token>/", people_views.invitation_accept, name="invitation-accept"
    ),  # an invitee chooses their username and password (claims.people)
    path("api/", api.urls),  # the JSON API (claims/api/)
    path("staff/", include("claims.urls_staff")),
    path("admin/", admin_site.urls),
    path("", include("claims.urls_public")),
]

if settings.BENCH:
    # The load benchmark's yardstick (bench/load.py, docs/performance.md): only while BENCH is on.
    from claims.views import bench as bench_views

    urlpatterns.insert(0, path("bench/trivial", bench_views.trivial, name="bench-trivial"))

if settings.DEBUG:
    # MEDIA_ROOT holds only what the site publishes (the logo), sent inert as the proxy does in production.
    from django.conf.urls.static import static
    from django.views.static import serve

    from claims.fetched_files import inert_view

    urlpatterns += static(settings.MEDIA_URL, view=inert_view(serve), document_root=settings.MEDIA_ROOT)

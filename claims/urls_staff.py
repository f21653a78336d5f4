from django.urls import path

from claims.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
]

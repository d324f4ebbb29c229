from django.contrib import admin
from django.urls import include, path

from motcua.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("desk/", include("motcua.desk.urls")),
    path("", include("motcua.portal.urls")),
]

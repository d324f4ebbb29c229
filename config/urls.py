from django.contrib import admin
from django.urls import include, path

from motcua.api.api import api
from motcua.api.documents import page_verify_stored, page_verify_upload

urlpatterns = [
    path("quan-tri/", include("motcua.administration.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("xac-thuc/", page_verify_upload, name="verify-upload"),
    path("xac-thuc/<uuid:attachment_id>/", page_verify_stored, name="verify-stored"),
    path("desk/", include("motcua.desk.urls")),
    path("bao-cao/", include("motcua.supervision.urls")),
    path("", include("motcua.portal.urls")),
]

from django.contrib import admin
from django.urls import include, path

from .api import api

admin.site.site_header = "Perisai"
admin.site.site_title = "Perisai"

urlpatterns = [
    path("", include("perisai.core.urls")),
    path("places/", include("perisai.places.urls")),
    path("registry/", include("perisai.registry.urls")),
    path("crisis/", include("perisai.crisis.urls")),
    path("evacuation/", include("perisai.crisis.evacuation.urls")),
    path("helpdesk/", include("perisai.helpdesk.urls")),
    path("cases/", include("perisai.cases.urls")),
    path("finance/", include("perisai.finance.urls")),
    path("governance/", include("perisai.governance.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

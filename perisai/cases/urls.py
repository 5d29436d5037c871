from django.urls import URLPattern

from .views import urlpatterns as case_urlpatterns
from .views_arrivals import urlpatterns as arrival_urlpatterns
from .views_field import urlpatterns as field_urlpatterns
from .views_reports import urlpatterns as report_urlpatterns
from .views_work import urlpatterns as work_urlpatterns

app_name = "cases"

# Fixed paths first: "<uuid>/" never matches them, but the order keeps the reading simple.
urlpatterns: list[URLPattern] = [
    *work_urlpatterns,
    *report_urlpatterns,
    *arrival_urlpatterns,
    *field_urlpatterns,
    *case_urlpatterns,
]

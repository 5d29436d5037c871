from django.urls import URLPattern, path

from . import views
from .views_assessments import urlpatterns as assessment_urlpatterns
from .views_plan import urlpatterns as plan_urlpatterns
from .views_stats import urlpatterns as stats_urlpatterns
from .views_training import urlpatterns as training_urlpatterns

app_name = "governance"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    *assessment_urlpatterns,
    *plan_urlpatterns,
    *training_urlpatterns,
    *stats_urlpatterns,
]

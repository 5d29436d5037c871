from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("missions/", views.missions, name="missions"),
    path("missions/<slug:code>/", views.mission_detail, name="mission_detail"),
    path("regions/options/", views.region_options, name="region_options"),
]

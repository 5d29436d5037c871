from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("people/", views.officer_search, name="officer_search"),
    path("people/<uuid:public_id>/", views.person_detail, name="person_detail"),
]

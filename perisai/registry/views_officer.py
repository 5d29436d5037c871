"""Officer pages of the registry (search, person, edit, duplicates, import, export)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("people/", views.officer_search, name="officer_search"),
    path("people/<uuid:public_id>/", views.person_detail, name="person_detail"),
]

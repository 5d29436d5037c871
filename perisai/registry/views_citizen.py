"""The citizen's own pages: lapor diri, sign in with a code, my card, update, gone home, erase."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

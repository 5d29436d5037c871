"""USGS earthquake GeoJSON (summary feeds and single-event detail)."""

from .parser import UsgsParser

__all__ = ["UsgsParser"]

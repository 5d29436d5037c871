"""GDACS RSS feed (gdacs.org/xml/rss.xml). GDACS's CAP files go through the CAP parser."""

from .parser import GdacsParser

__all__ = ["GdacsParser"]

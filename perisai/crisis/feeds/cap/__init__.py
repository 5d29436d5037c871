"""Common Alerting Protocol (CAP 1.0, 1.1, 1.2) alerts from any authority, GDACS's CAP included."""

from .parser import CapParser

__all__ = ["CapParser"]

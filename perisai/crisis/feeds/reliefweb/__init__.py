"""ReliefWeb disasters API (v1 and v2 share the response shape)."""

from .parser import ReliefWebParser

__all__ = ["ReliefWebParser"]

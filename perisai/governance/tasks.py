"""Background work of the governance module."""

from __future__ import annotations

from django_tasks import task

from perisai.core.models import User


@task()
def publish_statistics(actor_id: int | None = None) -> int:
    """Build and publish a statistics release (periodically, or when an analyst asks for fresh figures)."""
    from .actions import do_publish_statistics

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return do_publish_statistics(actor=actor).pk

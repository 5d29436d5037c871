"""Exceptions raised by the feed parsers."""


class FeedError(ValueError):
    """A feed payload (or an uploaded area) was rejected.

    The message names the problem in plain words, e.g. ``"CAP alert is missing required element
    <scope>"``; it is safe to show to an officer or to log.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FeedConfigError(Exception):
    """The configured list of parser classes is wrong (bad dotted path, duplicate code...)."""

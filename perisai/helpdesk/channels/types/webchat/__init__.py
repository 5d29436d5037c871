from .type import WebchatType

__all__ = ["WebchatType"]

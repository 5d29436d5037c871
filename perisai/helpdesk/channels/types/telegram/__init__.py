from .type import TelegramType

__all__ = ["TelegramType"]

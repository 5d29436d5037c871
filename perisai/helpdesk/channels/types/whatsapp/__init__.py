from .type import WhatsAppType

__all__ = ["WhatsAppType"]

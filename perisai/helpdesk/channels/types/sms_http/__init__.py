from .type import SmsHttpType

__all__ = ["SmsHttpType"]

from .type import PlatformType, platform_address

__all__ = ["PlatformType", "platform_address"]

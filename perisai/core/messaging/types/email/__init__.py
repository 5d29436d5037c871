from .type import EmailType, message_id_for

__all__ = ["EmailType", "message_id_for"]

"""Outbound messaging: an outbox drained by the task queue through channel types (a plug-in family).

Channel types are registered explicitly in settings (PERISAI_CHANNEL_TYPES, dotted paths to classes ending in
`Type`), each with a stable short `code`. Configured channels (PERISAI_CHANNELS) map a channel name used by
the platform ("sms", "whatsapp", "telegram", "email", "platform") to a type code and its options.

Types here: `console` (demo only), `email` (SMTP) and `platform` (the in-platform inbox, core.InboxMessage);
the help desk's provider types live in perisai/helpdesk/channels/types/.
"""

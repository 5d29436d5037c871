"""Channel types of the help bot (contract 3): one package per provider under `types/<code>/`.

Each type is a `perisai.core.messaging.base.ChannelType` (outbound `send`) and a `BotChannelType`
(inbound: checks the provider's signature, parses its real wire format into messages and delivery
receipts). They are registered in settings (PERISAI_CHANNEL_TYPES) and configured by channel name
(PERISAI_CHANNELS); the webhook of a channel is /api/v1/helpdesk/channels/<name>/webhook.
"""

"""The channel types, one package each: telegram, whatsapp, sms_http, webchat."""

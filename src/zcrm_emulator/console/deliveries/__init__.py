"""The deliveries' pages: every request the emulator sent out for the default org (webhooks,
notification and bulk job callbacks, functions, connection tests), newest first, with its attempts,
and one delivery with the request as stored and each attempt's answer. Read only, over
``delivery.repo``."""

"""Rendering gists and digests as Telegram HTML that Telegram accepts (escaping, lengths).

Produces strings only; sending is the service layer's job. Must not import ``telegram``,
``handlers``, ``services``, ``storage`` or ``bot``.
"""

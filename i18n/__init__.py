"""Every sentence users read, in English and Ukrainian, and the language rules around them.

Shared by ``handlers/`` and ``services/`` (the daily digest is rendered with no update at
hand). Must not import ``telegram``, ``handlers``, ``services`` or ``bot``.
"""

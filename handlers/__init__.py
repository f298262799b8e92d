"""Telegram glue: parse the update, call ``digest``/``storage``, render, reply.

:func:`register` is the one entry point ``bot.py`` uses. Order matters: PTB gives an
update to the first matching handler of a group, so the catch-all fallback goes last.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    admin,
    delivery,
    digest_commands,
    errors,
    fallback,
    language_menu,
    links,
    membership,
    privacy,
    scheduler,
    settings_menu,
    source_import,
    sources_menu,
    start,
    subscription,
)
from handlers.start import BOT_COMMANDS, bot_commands

__all__ = ["BOT_COMMANDS", "bot_commands", "register"]


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Add every handler and the error handler to ``app``."""
    start.register(app)
    subscription.register(app)
    settings_menu.register(app)
    membership.register(app)
    digest_commands.register(app)
    sources_menu.register(app)  # before links: /addsource carries a URL
    source_import.register(app)  # before links: the pasted OPML is full of URLs
    language_menu.register(app)
    links.register(app)
    admin.register(app)
    delivery.register(app)
    scheduler.register(app)
    privacy.register(app)
    fallback.register(app)
    app.add_error_handler(errors.on_error)

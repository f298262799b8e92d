"""Telegram glue: parse the update, call a service, render, reply.

:func:`register` is the one entry point ``bot.py`` uses. Order matters: PTB gives an
update to the first matching handler of a group, so the catch-all fallback goes last.
"""

from __future__ import annotations

from handlers import (
    admin,
    alerts_menu,
    digest_commands,
    errors,
    fallback,
    follows,
    jobs,
    language_menu,
    links,
    membership,
    privacy,
    settings_menu,
    source_import,
    sources_menu,
    start,
    subscription,
)
from handlers.context import App
from handlers.start import BOT_COMMANDS, bot_commands

__all__ = ["BOT_COMMANDS", "bot_commands", "register"]


def register(app: App) -> None:
    """Add every handler and the error handler to ``app``."""
    start.register(app)
    subscription.register(app)
    settings_menu.register(app)
    follows.register(app)
    alerts_menu.register(app)
    membership.register(app)
    digest_commands.register(app)
    sources_menu.register(app)  # before links: /addsource carries a URL
    source_import.register(app)  # before links: the pasted OPML is full of URLs
    language_menu.register(app)
    links.register(app)
    admin.register(app)
    jobs.register(app)
    privacy.register(app)
    fallback.register(app)
    app.add_error_handler(errors.on_error)

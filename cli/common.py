"""What the command-line tools share: their exit codes and the bot's settings."""

from __future__ import annotations

import sys

from settings import ConfigError, Settings, load_from_environment

# 0: done; 1: the work failed (a page unreadable, a database unhealthy); 2: the command could
# not start (bad settings or arguments), the code argparse uses for a usage error.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def bot_settings() -> Settings | None:
    """The bot's own settings (the environment over ``.env``; no token, as the tools never
    talk to Telegram), or None once a bad value was reported on stderr."""
    try:
        return load_from_environment(require_token=False)
    except ConfigError as error:
        print(f"cannot start: {error}", file=sys.stderr)
        return None

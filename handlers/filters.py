"""Update filters shared by the handlers."""

from telegram.ext import filters

# Commands count in new messages and channel posts; an *edited* command is ignored on
# purpose, so fixing a typo in an old message never re-runs it.
COMMAND_UPDATES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST

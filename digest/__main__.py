"""``python -m digest read|preview``: a launcher only. The command lives in :mod:`cli.digest`
because it reads the bot's settings, which digest/ must not import."""

import sys

from cli.digest import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

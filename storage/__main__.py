"""``python -m storage health|backup|copy``: a launcher only. The commands live in
:mod:`cli.storage` because they read the bot's settings, which storage/ must not import."""

from cli.storage import main

if __name__ == "__main__":
    raise SystemExit(main())

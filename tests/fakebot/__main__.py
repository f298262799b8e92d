"""``python -m tests.fakebot --port 8081``: serve the fake Bot API until Ctrl-C.

Prints the ``base_url`` to give the bot (``TELEGRAM_API_BASE_URL``) and the token it expects.
"""

from __future__ import annotations

import argparse
import threading

from tests.fakebot.limits import RateLimits
from tests.fakebot.server import FakeTelegramServer, ServerOptions


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakebot", description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default=ServerOptions.token)
    parser.add_argument(
        "--telegram-limits",
        action="store_true",
        help="enforce Telegram's flood limits (1/s per chat, 20/min per group, 30/s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    limits = RateLimits.telegram() if args.telegram_limits else RateLimits()
    server = FakeTelegramServer(
        ServerOptions(token=args.token, host=args.host, port=args.port, limits=limits)
    )
    with server:
        print(f"fake Bot API on {server.base_url}  token={server.token}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", flush=True)


if __name__ == "__main__":
    main()

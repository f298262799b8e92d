"""The service layer's options: one frozen value per concern, built from settings in ``bot.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from digest.feeds.polling import PollPolicy
from digest.stories.alerts import AlertRules
from digest.stories.daily import DigestOptions


@dataclass(frozen=True, slots=True)
class SchedulerOptions:
    """What the recurring tick does: how often, how feeds are polled, how digests are built,
    when a story is breaking news."""

    tick_seconds: float = 60.0
    poll: PollPolicy = field(default_factory=PollPolicy)
    feeds_at_once: int = 8
    feeds_per_host: int = 2
    # Telegram channels: each page at most once per interval (never under 5 minutes; jitter
    # only lengthens it) so a catalogue does not arrive at t.me in one burst, and a
    # cap on channel requests per minute over all channels.
    channel_poll: PollPolicy = field(
        default_factory=lambda: PollPolicy(interval_minutes=10.0, jitter=0.2,
                                           jitter_up_only=True))
    channels_per_minute: int = 12
    digest: DigestOptions = field(default_factory=DigestOptions)
    alerts: AlertRules = field(default_factory=AlertRules)

"""The application logic between the Telegram handlers and the pure pipeline.

Feed polling and the tick (:mod:`.polling`, :mod:`.tick`), building and queuing digests
(:mod:`.digests`), the outbox sender (:mod:`.delivery`), the one send gate and its pacing
(:mod:`.gate`, :mod:`.pacing`), per-user limits (:mod:`.limits`) and the article cache
(:mod:`.articles`).

Must not import ``handlers`` or ``bot``, nor PTB's update machinery (``Update``,
``Application``, handlers, jobs): sending goes through the bot ``bot.py`` builds, whose every
request passes :class:`services.gate.SendGate`. ``tests/unit/test_architecture.py`` guards this.
"""

# The bot in a small image: locked, hash-checked dependencies, only the code, a non-root user,
# and the database on a volume. Build: docker build -t war-digest-bot .  (see docs/deploy.md)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY requirements/run.lock requirements/run.lock
RUN pip install --require-hashes --no-deps -r requirements/run.lock

# A fixed uid/gid so a bind-mounted /data can be chowned to it on the host (10001:10001).
RUN groupadd --gid 10001 bot \
    && useradd --uid 10001 --gid bot --home-dir /app --no-create-home --shell /usr/sbin/nologin bot \
    && mkdir /data \
    && chown bot:bot /data

COPY bot.py bot_api.py settings.py lifecycle.py ./
COPY handlers/ handlers/
COPY digest/ digest/
COPY storage/ storage/
COPY services/ services/
COPY i18n/ i18n/
COPY cli/ cli/

# PTB_TIMEDELTA: PTB 22 hands out durations as timedelta (bot.py sets it too).
ENV DATABASE_PATH=/data/bot.db \
    PTB_TIMEDELTA=1
VOLUME ["/data"]

USER bot

# Exits 1 when migrations are pending, every feed has failed for an hour, or digest parts
# failed to send; prints the JSON summary that `docker inspect` shows.
HEALTHCHECK --interval=5m --timeout=30s --start-period=2m --retries=3 \
    CMD ["python", "-m", "storage", "health"]

# python-telegram-bot stops polling, finishes its handlers and closes the database on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["python", "bot.py"]

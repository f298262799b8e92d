"""The command-line tools, in the application layer beside ``bot.py``: they read the bot's
settings (``settings.py``), which the pure packages below must not import.

``python -m digest read|preview`` runs :mod:`cli.digest`, ``python -m storage
health|backup|copy`` runs :mod:`cli.storage`. Those documented commands start from
``digest/__main__.py`` and ``storage/__main__.py``: each is a launcher that only calls into
here, which nothing imports, so the packages themselves keep pointing one way
(``tests/unit/test_architecture.py`` holds both to that).
"""

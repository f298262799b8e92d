"""Direct quotes in an article and who said them (English, Ukrainian, Russian).

Must not import: the network, ``digest.reader``, ``digest.stories``, ``digest.render``,
``telegram``, ``handlers``, ``services``, ``storage`` or ``bot``. It may use
``digest.language`` and ``digest.models``.

``digest.quotes.find_quotes`` is a public path kept for scripts and benchmarks.
"""

from digest.quotes.find import best_quotes, find_quotes

__all__ = ["best_quotes", "find_quotes"]

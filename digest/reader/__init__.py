"""The link reader: one URL in, the gist of its article out.

SSRF-safe fetching (:mod:`.fetch`, the only network code in ``digest/``, through an injected
``httpx.AsyncClient``), decoding, body and metadata extraction, key points, and the gist.

Must not import: ``telegram``, ``handlers``, ``services``, ``storage``, ``bot``, nor
``digest.stories``/``digest.render`` (the reader knows nothing of digests).
"""

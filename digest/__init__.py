"""The news pipeline: fetch → feeds → extract → summarise/quotes → cluster → rank → compose.

Every stage here is plain Python that knows nothing of Telegram. Only :mod:`digest.reader.fetch`
touches the network, and only through an ``httpx.AsyncClient`` handed to it.
"""

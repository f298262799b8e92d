"""Outlets and their feeds: RSS/Atom parsing from bytes, the source list and OPML, poll timing.

Fetching is not done here (the service layer calls :mod:`digest.reader.fetch`); this
package turns bytes into items. Must not import ``telegram``, ``handlers``, ``services``,
``storage`` or ``bot``.
"""

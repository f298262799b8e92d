"""Language tools shared by every stage: language guess, sentences, stems, matching keys.

Pure functions over strings. Must not import any other ``digest`` sub-package, nor
``telegram``, ``handlers``, ``services``, ``storage`` or ``bot``.
"""

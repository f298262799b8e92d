"""Decoding Bot API parameters from a request: query string, form, multipart or JSON.

>>> decode_body(b"chat_id=5&text=hi", "application/x-www-form-urlencoded")
{'chat_id': '5', 'text': 'hi'}
>>> decode_body(b'{"chat_id": 5}', "application/json; charset=utf-8")
{'chat_id': 5}
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from typing import Any
from urllib.parse import parse_qsl


def decode_query(query: str) -> dict[str, Any]:
    """``?a=1&b=2`` parameters (last value wins, like Telegram)."""
    return dict(parse_qsl(query, keep_blank_values=True))


def decode_body(body: bytes, content_type: str) -> dict[str, Any]:
    """Parameters from a POST body of any of the encodings the Bot API accepts."""
    media_type = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if media_type == "application/json":
        decoded = json.loads(body)
        return decoded if isinstance(decoded, dict) else {}
    if media_type == "multipart/form-data":
        return _decode_multipart(body, content_type)
    return decode_query(body.decode("utf-8"))


def _decode_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """Multipart via the stdlib email parser (``cgi`` is deprecated); files stay bytes."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True) or b""
        params[name] = payload if part.get_filename() else payload.decode("utf-8")
    return params

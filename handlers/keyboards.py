"""Keyboards that more than one handler shows (handlers never import each other)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from i18n.locale import DEFAULT_LANGUAGE
from i18n.texts import say


def first_digest_keyboard(language: str = DEFAULT_LANGUAGE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(say("button_digest_now", language), callback_data="first:now"),
        InlineKeyboardButton(say("button_digest_tomorrow", language), callback_data="first:later"),
    ]])

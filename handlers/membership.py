"""The bot joining, leaving or being blocked, and groups that become supergroups."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from handlers.common import remember_chat
from handlers.context import App, BotContext, services
from services import chats

log = logging.getLogger(__name__)


async def bot_membership_changed(update: Update, context: BotContext) -> None:
    """Nobody sees anything: the chat is marked gone or back, its data is kept."""
    change = update.my_chat_member
    assert change is not None
    remember_chat(update, context)
    new_status = chats.membership_changed(services(context), change.chat.id,
                                          change.new_chat_member.status, change.chat.type)
    log.info("chat %s (%s) is now %s", change.chat.id, change.chat.type, new_status)


async def group_migrated(update: Update, context: BotContext) -> None:
    """Nobody sees anything: the subscription follows the group to its supergroup id."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    else:
        assert message.migrate_from_chat_id is not None
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    if chats.migrate(services(context), old_id, new_id):
        log.info("group %s migrated to supergroup %s", old_id, new_id)


def register(app: App) -> None:
    app.add_handler(ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated))

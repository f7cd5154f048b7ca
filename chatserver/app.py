"""The app factory: the readable composition root of Nabij."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver import keys
from chatserver.chat.deadlines import content_retention
from chatserver.chat.handletimes import HandleTimes
from chatserver.chat.notify import Notifier
from chatserver.chat.persist import ConversationArchive
from chatserver.chat.roster import Roster
from chatserver.chat.service import ChatService
from chatserver.chat.services import build_services
from chatserver.chat.teamview import TeamView
from chatserver.http.middleware import setup_middlewares
from chatserver.http.routes import setup_routes, setup_templates
from chatserver.lifecycle import (
    begin_drain,
    database_ctx,
    staff_access_ctx,
    store_ctx,
    sweeper_ctx,
)
from chatserver.live.factory import create_store
from chatserver.live.store import LiveStore
from chatserver.messagebox.service import MessageBox, PendingSink
from chatserver.messagebox.threads import BoxKeys, MessageRetention
from chatserver.realtime.server import create_sio, setup_socketio, socketio_ctx
from nabij.db import create_engine, make_sessionmaker
from nabij.settings import Settings
from staffing.rosterversion import RosterVersion


def create_app(settings: Settings) -> web.Application:
    """Build the whole service; nothing connects until the app starts."""
    app = web.Application(client_max_size=64 * 1024)
    engine = create_engine(settings.database_url)
    version = RosterVersion()  # every roster write through db counts it
    db = make_sessionmaker(engine, info=version.session_info())
    store = create_store(settings, content_retention(settings))
    sio = create_sio(settings)
    archive, measured = ConversationArchive(db, settings.timezone), HandleTimes(db)
    roster = Roster(db, version)
    chat = ChatService(settings, store, roster, archive, Notifier(sio), handle_times=measured)
    app[keys.settings_key], app[keys.engine_key], app[keys.db_key] = settings, engine, db
    app[keys.store_key], app[keys.sio_key], app[keys.chat_key] = store, sio, chat
    app[keys.roster_version_key], app[keys.services_key] = version, build_services(chat, db)
    app[keys.team_view_key] = TeamView(db, store, roster, chat.notifier, chat.clock)
    pending = chat.notifier.notify_registration_pending
    app[keys.messagebox_key] = message_box(settings, db, store, roster, chat.clock, pending)
    setup_templates(app)
    setup_routes(app)
    setup_middlewares(app)
    setup_socketio(app, sio, app[keys.services_key])
    app.on_shutdown.append(begin_drain)  # before socketio_ctx's disconnect_all
    contexts = [database_ctx, store_ctx, socketio_ctx(sio), sweeper_ctx, staff_access_ctx]
    app.cleanup_ctx.extend(contexts)
    return app


def message_box(
    settings: Settings,
    db: async_sessionmaker[Any],
    store: LiveStore,
    roster: Roster,
    clock: Callable[[], float],
    registration_pending: PendingSink,
) -> MessageBox:
    """The message box, keyed by the server secret, answering into the experts' consoles."""
    return MessageBox(
        db=db,
        store=store,
        roster=roster,
        keys=BoxKeys.of(settings.secret_key.reveal()),
        retention=MessageRetention(settings.message_retention_days),
        clock=clock,
        timezone=settings.timezone,
        registration_pending=registration_pending,
    )

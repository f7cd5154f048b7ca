"""Typed application keys: every piece of shared state hangs off the app, none off a module."""

from __future__ import annotations

from typing import Any

import socketio
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from chatserver.chat.service import ChatService
from chatserver.live.store import LiveStore
from chatserver.messagebox.service import MessageBox
from chatserver.realtime.staffaccess import StaffAccessKeeper
from nabij.settings import Settings
from staffing.rosterversion import RosterVersion

settings_key = web.AppKey("settings", Settings)
engine_key = web.AppKey("engine", AsyncEngine)
db_key = web.AppKey("db", async_sessionmaker[Any])
store_key = web.AppKey("store", LiveStore)
sio_key = web.AppKey("sio", socketio.AsyncServer)
chat_key = web.AppKey("chat", ChatService)
staff_access_key = web.AppKey("staff_access", StaffAccessKeeper)
roster_version_key = web.AppKey("roster_version", RosterVersion)
messagebox_key = web.AppKey("messagebox", MessageBox)

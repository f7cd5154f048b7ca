"""The service layer, wired in one place: each service gets its dependencies here.

The namespaces (chatserver/realtime/) hold a ``Services`` and make one call per event;
every service reaches the store, the roster, the notifier and the database only through
its own constructor arguments (docs/architecture.md, "Layers").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.accounts import StaffAccounts
from chatserver.chat.alerts import Alerts
from chatserver.chat.blocking import Blocking
from chatserver.chat.desk import ExpertDesk
from chatserver.chat.oversight import Oversight
from chatserver.chat.processes import Processes
from chatserver.chat.service import ChatService
from chatserver.chat.visitors import Visitors


@dataclass(frozen=True)
class Services:
    """Every service of the live chat; ``flow`` is the chat flow the others build on."""

    flow: ChatService
    accounts: StaffAccounts
    alerts: Alerts
    blocking: Blocking
    oversight: Oversight
    processes: Processes
    visitors: Visitors
    desk: ExpertDesk


def build_services(flow: ChatService, db: async_sessionmaker[Any]) -> Services:
    """Wire the services around the chat flow (its store, notifier, settings and clock)."""
    store, notifier = flow.store, flow.notifier
    accounts = StaffAccounts(db, store, notifier, flow.settings, lambda: flow.clock())
    alerts = Alerts(store, notifier, accounts, flow)
    blocking = Blocking(store, db, flow)
    return Services(
        flow=flow,
        accounts=accounts,
        alerts=alerts,
        blocking=blocking,
        oversight=Oversight(store, notifier, accounts, flow),
        processes=Processes(store, notifier, flow),
        visitors=Visitors(store, notifier, blocking, flow, flow.feedback),
        desk=ExpertDesk(store, notifier, alerts, flow),
    )

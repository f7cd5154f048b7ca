"""Every HTTP route of the service, declared once (chatserver/http/declared.py).

The router is built from ``ROUTES`` only; the access column is enforced by the wrapper
``declared.install`` puts around each handler, and docs/authorization.md is generated
from it (``python -m chatserver.authz``). A route that is not here cannot be served: the
app refuses to start (``declared.undeclared``). To add one, see docs/architecture.md
"Adding an HTTP route".
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from chatserver.http import (
    auth,
    calendar,
    console,
    events,
    loginpages,
    messages,
    ops,
    pages,
    passwordlink,
    quickreplies,
    registrations,
    reportpage,
    reports,
    roster,
    rosterpages,
    shiftrequests,
    shifts,
    staffapi,
    status,
    team,
    widget_assets,
)
from chatserver.http.declared import Access, Body, Handler, Route
from chatserver.http.registrationbody import RegistrationBody
from chatserver.http.staffpages import refuse_page

STATIC: Final = Path(__file__).resolve().parent.parent / "static"

#: A staff page: signed out, the browser goes to the sign-in page (a 403 page for a low role).
PAGE: Final = refuse_page
OWN_SESSION: Final = "ends the caller's own session, if any"
SOCKET_TRANSPORT: Final = "python-socketio"

PUBLIC_ROUTES: Final = (
    Route("GET", "/", "public", pages.index),
    Route("GET", "/favicon.ico", "public", pages.favicon),
    Route("GET", "/api/status", "public", status.status),
    # /metrics answers a loopback caller or NABIJ_METRICS_TOKEN only (tests/test_ops.py);
    # the matrix runs from the loopback, where it is public.
    Route("GET", "/healthz", "public", ops.healthz),
    Route("GET", "/readyz", "public", ops.readyz),
    Route("GET", "/metrics", "public", ops.metrics),
    Route(
        "POST",
        "/api/events/widget-open",
        "public",
        events.widget_open,
        csrf_exempt="cookie-free counter posted by host sites (origin-checked)",
    ),
    Route("GET", "/static/{filename}", "public", None, mount=STATIC),
    Route("GET", "/static/vendor/socket.io.min.js", "public", console.socketio_client),
    Route("GET", "/widget/widget.js", "public", widget_assets.stable_widget),
    Route(
        "GET",
        "/widget/{name:(?:vendor/|demo/)?[A-Za-z0-9._-]+}",
        "public",
        widget_assets.widget_file,
    ),
    # The Socket.IO transport; what it carries is in authz.SOCKET_ACCESS.
    Route("GET", "/socket.io/", "public", None, library=SOCKET_TRANSPORT),
    Route(
        "POST",
        "/socket.io/",
        "public",
        None,
        library=SOCKET_TRANSPORT,
        csrf_exempt="the socket transport; sockets check Origin and the session at connect",
    ),
)

SIGN_IN_ROUTES: Final = (
    Route(
        "POST",
        "/api/auth/login",
        "public",
        auth.login,
        body=auth.Credentials,
        csrf_exempt="creates the session the token would be bound to",
    ),
    Route("POST", "/api/auth/logout", "public", auth.logout, note=OWN_SESSION),
    Route("GET", "/api/me", "expert", auth.me),
    Route("GET", "/login", "public", loginpages.login_page),
    Route(
        "POST",
        "/login",
        "public",
        loginpages.login_submit,
        note="CSRF token bound to a pre-login cookie",
    ),
    Route("POST", "/logout", "public", loginpages.logout_submit, note=OWN_SESSION),
    Route("GET", "/password", "expert", loginpages.password_page, refusal=PAGE),
    Route("POST", "/password", "expert", loginpages.password_submit, refusal=PAGE),
    Route("GET", "/password/{token}", "token", passwordlink.link_page),
    Route("POST", "/password/{token}", "token", passwordlink.link_submit),
    Route(
        "POST",
        "/api/auth/password",
        "token",
        team.use_link_handler,
        body=team.NewPassword,
        note="the one-time link's secret token is the credential",
    ),
)

CONSOLE_ROUTES: Final = (
    Route("GET", "/console", "expert", console.console_page, refusal=PAGE),
    Route("GET", "/console/quick-replies", "coordinator", console.quick_replies_page, refusal=PAGE),
    Route("POST", "/console/quick-replies", "coordinator", console.quick_reply_add, refusal=PAGE),
    Route(
        "POST",
        "/console/quick-replies/{reply_id}/delete",
        "coordinator",
        console.quick_reply_delete,
        refusal=PAGE,
    ),
    Route("GET", "/api/quick-replies", "expert", quickreplies.list_handler),
    Route(
        "POST",
        "/api/quick-replies",
        "coordinator",
        quickreplies.create_handler,
        body=quickreplies.QuickReplyBody,
    ),
    Route("DELETE", "/api/quick-replies/{reply_id}", "coordinator", quickreplies.delete_handler),
    Route("GET", "/api/staff/online", "expert", staffapi.online_handler),
    Route(
        "GET",
        "/api/registrations",
        "expert",
        registrations.list_handler,
        query=registrations.RegistrationQuery,
        note="experts see their own, coordinators all",
    ),
    Route(
        "POST", "/api/registrations", "expert", registrations.create_handler, body=RegistrationBody
    ),
    Route("GET", "/api/registrations/{registration_id}", "expert", registrations.get_handler),
    Route(
        "PUT",
        "/api/registrations/{registration_id}",
        "expert",
        registrations.update_handler,
        body=RegistrationBody,
    ),
)

ROSTER_ROUTES: Final = (
    Route("GET", "/api/shifts", "expert", shifts.list_handler, query=shifts.WindowQuery),
    Route("POST", "/api/shifts", "coordinator", shifts.create_handler, body=shifts.ShiftBody),
    Route(
        "PUT", "/api/shifts/{shift_id}", "coordinator", shifts.update_handler, body=shifts.ShiftBody
    ),
    Route("DELETE", "/api/shifts/{shift_id}", "coordinator", shifts.delete_handler),
    Route("GET", "/api/roster/patterns", "expert", roster.list_patterns_handler),
    Route(
        "POST",
        "/api/roster/patterns",
        "coordinator",
        roster.create_pattern_handler,
        body=roster.PatternBody,
    ),
    Route(
        "POST",
        "/api/roster/patterns/{pattern_id}/skip",
        "coordinator",
        roster.skip_days_handler,
        body=roster.SkipBody,
    ),
    Route(
        "POST",
        "/api/roster/patterns/{pattern_id}/end",
        "coordinator",
        roster.end_pattern_handler,
        body=roster.EndBody,
    ),
    Route("GET", "/api/roster/chat-hours", "expert", roster.get_chat_hours_handler),
    Route(
        "PUT",
        "/api/roster/chat-hours",
        "coordinator",
        roster.put_chat_hours_handler,
        body=roster.ChatHoursBody,
    ),
    Route(
        "GET",
        "/api/roster/coverage",
        "coordinator",
        roster.coverage_handler,
        query=roster.PeriodQuery,
    ),
    Route("GET", "/api/audit", "coordinator", roster.audit_handler, query=roster.AuditQuery),
    Route("POST", "/api/me/calendar", "expert", calendar.issue_handler),
    Route("DELETE", "/api/me/calendar", "expert", calendar.revoke_handler),
    Route(
        "GET",
        "/calendar/{token}.ics",
        "token",
        calendar.feed_handler,
        note="the feed's secret token is the credential",
    ),
    Route(
        "GET",
        "/api/shift-requests",
        "expert",
        shiftrequests.list_handler,
        query=shiftrequests.RequestQuery,
        note="experts see their own requests, coordinators all",
    ),
    Route(
        "POST",
        "/api/shift-requests",
        "expert",
        shiftrequests.create_handler,
        body=shiftrequests.ShiftRequestBody,
    ),
    Route(
        "POST",
        "/api/shift-requests/{request_id}/approve",
        "coordinator",
        shiftrequests.approve_handler,
    ),
    Route(
        "POST",
        "/api/shift-requests/{request_id}/refuse",
        "coordinator",
        shiftrequests.refuse_handler,
    ),
    # The pages; their script reads and changes everything through the routes above.
    Route("GET", "/roster", "coordinator", rosterpages.roster_page, refusal=PAGE),
    Route("GET", "/team", "coordinator", rosterpages.team_page, refusal=PAGE),
    Route("GET", "/audit", "coordinator", rosterpages.audit_page, refusal=PAGE),
    Route("GET", "/my-shifts", "expert", rosterpages.my_shifts_page, refusal=PAGE),
    Route("GET", "/api/staff", "expert", rosterpages.colleagues_handler),
)

TEAM_ROUTES: Final = (
    Route("GET", "/api/team", "coordinator", team.list_handler),
    Route("POST", "/api/team", "coordinator", team.create_handler, body=team.NewMember),
    Route(
        "PUT",
        "/api/team/{user_id}",
        "coordinator",
        team.update_handler,
        body=team.MemberChanges,
        note="only an admin manages admins",
    ),
    Route("POST", "/api/team/{user_id}/deactivate", "coordinator", team.deactivate_handler),
    Route("POST", "/api/team/{user_id}/activate", "coordinator", team.activate_handler),
    Route("POST", "/api/team/{user_id}/password-link", "coordinator", team.password_link_handler),
)

REPORT_ROUTES: Final = (
    Route(
        "GET",
        "/reports",
        "coordinator",
        reportpage.report_page,
        refusal=reportpage.refuse_report_page,
        note="refused as plain text, not a redirect",
    ),
    Route(
        "GET",
        "/api/reports/contacts",
        "coordinator",
        reports.contacts_handler,
        query=reports.ContactsQuery,
    ),
    Route(
        "GET", "/api/reports/chat", "coordinator", reports.chat_handler, query=reports.PeriodQuery
    ),
    Route(
        "GET",
        "/api/reports/export.csv",
        "coordinator",
        reports.export_handler,
        query=reports.PeriodQuery,
    ),
    Route(
        "GET",
        "/api/reports/breakdown.csv",
        "coordinator",
        reports.breakdown_handler,
        query=reports.BreakdownQuery,
    ),
    Route("GET", "/api/reports/codebook.csv", "coordinator", reports.codebook_handler),
    Route(
        "GET",
        "/api/reports/voice.csv",
        "coordinator",
        reports.voice_handler,
        query=reports.PeriodQuery,
    ),
)

CODE_IS_CREDENTIAL: Final = "cookie-free, the pickup code is the credential"


def _visitor_message_route(path: str, access: Access, handler: Handler, body: type[Body]) -> Route:
    """A message-box route of the widget: cookie-free, callable by the listed host sites."""
    exempt = CODE_IS_CREDENTIAL if access == "token" else ""
    return Route(
        "POST",
        path,
        access,
        handler,
        body=body,
        csrf_exempt=exempt or "cookie-free message box of the widget (origin-checked)",
        admit=messages.host_sites_only,
        preflight=messages.preflight,
    )


MESSAGE_ROUTES: Final = (
    _visitor_message_route(
        "/api/messages", "public", messages.leave_handler, messages.LeaveMessage
    ),
    _visitor_message_route(
        "/api/messages/thread", "token", messages.thread_handler, messages.CodeOnly
    ),
    _visitor_message_route(
        "/api/messages/reply", "token", messages.reply_handler, messages.CodeAndBody
    ),
    _visitor_message_route(
        "/api/messages/close", "token", messages.close_handler, messages.CodeOnly
    ),
    Route("GET", "/api/staff/messages", "expert", messages.staff_list_handler),
    Route("GET", "/api/staff/messages/{thread_id}", "expert", messages.staff_thread_handler),
    Route("POST", "/api/staff/messages/{thread_id}/claim", "expert", messages.staff_claim_handler),
    Route(
        "POST",
        "/api/staff/messages/{thread_id}/answer",
        "expert",
        messages.staff_answer_handler,
        body=messages.AnswerBody,
    ),
)

#: The one declaration of every HTTP route.
ROUTES: Final[tuple[Route, ...]] = (
    *PUBLIC_ROUTES,
    *SIGN_IN_ROUTES,
    *CONSOLE_ROUTES,
    *ROSTER_ROUTES,
    *TEAM_ROUTES,
    *REPORT_ROUTES,
    *MESSAGE_ROUTES,
)

"""docs/architecture.md "Layers" stays true: handlers call services, services own the flow.

Read from the source (AST), so a new reach-through fails here before review:

- no module in chatserver/realtime/ or chatserver/http/ touches the chat service's store,
  roster or notifier (``chat.store`` …), nor imports the database layer for queries
  (``sqlalchemy`` but its exceptions, ``nabij.db``, or a function that takes a database
  session or session maker);
- no module-level function in chatserver/ takes the ChatService as a bag of dependencies:
  services are classes whose constructor names what they use (chat/services.py).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chatserver"
HANDLER_LAYERS = ("realtime", "http")
SERVICE_PARTS = frozenset({"store", "roster", "notifier"})
#: Reach-throughs chatserver/http may make: none (the HTTP routes call TeamView and the rest).
HTTP_ALLOWED: frozenset[str] = frozenset()

#: HTTP modules that call staffing/registration functions in a unit of work of their own:
#: the HTTP side's pattern for CRUD pages (issue 16 left it; the socket side has none).
HTTP_QUERYING = frozenset(
    {
        "http/auth.py",
        "http/declared.py",
        "http/calendar.py",
        "http/console.py",
        "http/events.py",
        "http/jsonapi.py",
        "http/loginpages.py",
        "http/ops.py",
        "http/passwordlink.py",
        "http/quickreplies.py",
        "http/registrations.py",
        "http/reportpage.py",
        "http/reports.py",
        "http/roster.py",
        "http/rosterpages.py",
        "http/shiftrequests.py",
        "http/shifts.py",
        "http/staffpages.py",
        "http/team.py",
    }
)


def modules(*layers: str) -> Iterator[tuple[str, ast.Module]]:
    """``(path relative to chatserver/, parsed module)`` of every module in ``layers``."""
    for layer in layers:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            yield str(path.relative_to(PACKAGE)), ast.parse(path.read_text(encoding="utf-8"))


def reach_throughs(tree: ast.Module) -> set[str]:
    """Every ``.store``, ``.roster`` or ``.notifier`` read in the module."""
    return {
        f".{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in SERVICE_PARTS
    }


def query_imports(tree: ast.Module) -> set[str]:
    """Imports of the database layer: sqlalchemy (not .exc), nabij.db, session-taking calls."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if _is_database_module(a.name)}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if _is_database_module(node.module):
                found.add(node.module)
                continue
            found |= {
                f"{node.module}.{a.name}"
                for a in node.names
                if _takes_a_session(node.module, a.name)
            }
    return found


def _is_database_module(name: str) -> bool:
    if name == "sqlalchemy.exc":
        return False
    return name.split(".")[0] == "sqlalchemy" or name == "nabij.db"


def _takes_a_session(module: str, name: str) -> bool:
    """Whether ``module.name`` is a function whose first parameter is a database session."""
    if module.split(".")[0] not in ("staffing", "registration", "chatserver", "nabij"):
        return False
    value = getattr(importlib.import_module(module), name, None)
    if not inspect.isfunction(value):
        return False
    parameters = list(inspect.signature(value).parameters.values())
    if not parameters:
        return False
    annotation = str(parameters[0].annotation)
    return "AsyncSession" in annotation or "async_sessionmaker" in annotation


def test_no_handler_reaches_into_the_store_roster_or_notifier() -> None:
    found = {
        f"{path}: {part}"
        for path, tree in modules(*HANDLER_LAYERS)
        for part in reach_throughs(tree)
    }
    assert found - HTTP_ALLOWED == set(), "call a service method instead"


def test_no_handler_queries_the_database() -> None:
    found = {
        f"{path}: {name}" for path, tree in modules(*HANDLER_LAYERS) for name in query_imports(tree)
    }
    assert {f.split(":")[0] for f in found} - HTTP_QUERYING == set(), found


def test_no_free_function_takes_the_chat_service() -> None:
    found = []
    for path, tree in modules("."):
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                if any(
                    "ChatService" in ast.unparse(a.annotation or ast.Constant(None))
                    for a in arguments
                ):
                    found.append(f"{path}: {node.name}")
    # The one place the services are wired around the chat flow.
    assert found == ["chat/services.py: build_services"], "make it a method of a service class"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("self.chat.store.queue()", {".store"}),
        ("request.app[chat_key].notifier.emit()", {".notifier"}),
        ("self.visitors.do_typing()", set()),
    ],
)
def test_the_reach_through_check_sees_them(source: str, expected: set[str]) -> None:
    assert reach_throughs(ast.parse(source)) == expected


def test_the_query_import_check_sees_them() -> None:
    tree = ast.parse(
        "import sqlalchemy\n"
        "from sqlalchemy.exc import DBAPIError\n"
        "from staffing.experts import list_staff\n"
        "from staffing.sessions import hash_token\n"
        "from chatserver.staffauth import user_for_token\n"
    )
    assert query_imports(tree) == {
        "sqlalchemy",
        "staffing.experts.list_staff",
        "chatserver.staffauth.user_for_token",
    }

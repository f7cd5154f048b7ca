"""Find uses of python-socketio's, python-engineio's, redis-py's and aiohttp's internals.

A heuristic over the AST, honest about what it sees: it knows every private name those
libraries use in their own source (``_publish``, ``_async``, ``_sock``, ...) and a short
list of undocumented attributes Nabij has relied on (``manager.rooms``, ``eio.sockets``,
...), and reports, outside the adapter (chatserver/realtime/libcompat.py):

- ``obj._name`` and ``super()._name`` where ``_name`` is a library private name that
  Nabij does not define itself (so ``store._redis``, our own, passes);
- in a class deriving from a library class: ``def _name`` and ``self._name`` with a library
  private name (overriding or shadowing the library's), and ``self.rooms``-style reads of
  the undocumented attributes;
- ``manager.rooms``, ``eio.sockets``-style reads on anything named ``manager`` or ``eio``,
  and ``getattr(x, "thread")``-style reads of those attributes.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
from collections.abc import Iterator
from pathlib import Path

LIBRARIES = ("socketio", "engineio", "redis", "aiohttp")
#: Undocumented (though underscore-free) attributes of the libraries' servers and managers.
UNDOCUMENTED = frozenset(
    {"rooms", "thread", "sockets", "host_id", "pubsub", "redis", "connected", "redis_url"}
)
#: Receivers read as "a library's server or manager" when named so.
LIBRARY_HOLDERS = frozenset({"manager", "eio"})
ADAPTER = Path("chatserver/realtime/libcompat.py")


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def library_private_names() -> frozenset[str]:
    """Every single-underscore name the libraries define or read on an object."""
    names: set[str] = set()
    for library in LIBRARIES:
        spec = importlib.util.find_spec(library)
        assert spec is not None and spec.submodule_search_locations, library
        for root in spec.submodule_search_locations:
            for path in Path(root).rglob("*.py"):
                names |= _private_names(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(names)


def _private_names(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            found.add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_private(node.name):
            found.add(node.name)
    return found


def _inherited_private_names(module: str, name: str) -> set[str] | None:
    """The private names the library classes among ``module.name``'s bases define or use.

    None when the class cannot be imported (a class inside a function, a tree that is not
    on the path): the caller then counts every library private name.
    """
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    names: set[str] = set()
    for klass in getattr(cls, "__mro__", ()):
        if klass.__module__.split(".")[0] in LIBRARIES:
            names |= {n for n in vars(klass) if _is_private(n)}
            names |= _private_names(ast.parse(inspect.getsource(klass)))
    return names


def _imported_library_aliases(tree: ast.Module) -> set[str]:
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in LIBRARIES:
                    aliases.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES:
            aliases |= {alias.asname or alias.name for alias in node.names}
    return aliases


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


class Scan:
    """The library-derived classes and own private names of a source tree, then its uses."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = sorted((root / "chatserver").rglob("*.py"))
        self.trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in self.files}
        self.library_private = library_private_names()
        self.derived = self._library_derived_classes()
        self.own_private = self._own_private_names()

    def _derives(self, cls: ast.ClassDef, aliases: set[str]) -> bool:
        return any(
            _root_name(base) in aliases or _last_name(base) in self.derived for base in cls.bases
        )

    def _library_derived_classes(self) -> set[str]:
        derived: set[str] = set()
        for _ in range(5):  # a class may derive from one of ours that derives from a library's
            for tree in self.trees.values():
                aliases = _imported_library_aliases(tree)
                for node in ast.walk(tree):
                    if isinstance(node, ast.ClassDef) and any(
                        _root_name(b) in aliases or _last_name(b) in derived for b in node.bases
                    ):
                        derived.add(node.name)
        return derived

    def _own_private_names(self) -> set[str]:
        own: set[str] = set()
        for tree in self.trees.values():
            for cls in ast.walk(tree):
                if isinstance(cls, ast.ClassDef) and cls.name not in self.derived:
                    own |= _private_names(cls)
        return own

    def findings(self) -> Iterator[str]:
        """``path:line: what`` for every use outside the adapter."""
        for path, tree in self.trees.items():
            if path.relative_to(self.root) == ADAPTER:
                continue
            aliases = _imported_library_aliases(tree)
            where = path.relative_to(self.root)
            module = ".".join(where.with_suffix("").parts)
            for line, what in self._in_tree(module, tree, aliases):
                yield f"{where}:{line}: {what}"

    def _in_tree(
        self, module: str, tree: ast.Module, aliases: set[str]
    ) -> Iterator[tuple[int, str]]:
        called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for cls in ast.walk(tree):
            if isinstance(cls, ast.ClassDef) and self._derives(cls, aliases):
                yield from self._in_derived_class(module, cls, called)
        for node in ast.walk(tree):
            yield from self._at(node, called)

    def _in_derived_class(
        self, module: str, cls: ast.ClassDef, called: set[int]
    ) -> Iterator[tuple[int, str]]:
        inherited = _inherited_private_names(module, cls.name) or self.library_private
        for node in ast.walk(cls):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name in inherited:
                    yield node.lineno, f"{cls.name} overrides the library's {node.name}"
            elif isinstance(node, ast.Attribute) and _last_name(node.value) == "self":
                if node.attr in inherited:
                    yield node.lineno, f"{cls.name} uses the library's self.{node.attr}"
                elif node.attr in UNDOCUMENTED and id(node) not in called:
                    yield node.lineno, f"{cls.name} reads the undocumented self.{node.attr}"

    def _at(self, node: ast.AST, called: set[int]) -> Iterator[tuple[int, str]]:
        if isinstance(node, ast.Attribute):
            receiver = node.value
            is_super = isinstance(receiver, ast.Call) and _last_name(receiver.func) == "super"
            if node.attr in self.library_private and (
                is_super or (_last_name(receiver) != "self" and node.attr not in self.own_private)
            ):
                yield node.lineno, f"private library name .{node.attr}"
            elif (
                node.attr in UNDOCUMENTED
                and _last_name(receiver) in LIBRARY_HOLDERS
                and id(node) not in called
            ):
                yield node.lineno, f"undocumented {_last_name(receiver)}.{node.attr}"
        elif (
            isinstance(node, ast.Call)
            and _last_name(node.func) == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in UNDOCUMENTED
        ):
            yield node.lineno, f"getattr of the undocumented {node.args[1].value!r}"

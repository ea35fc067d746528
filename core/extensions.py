"""How apps plug into the whole: one finder and the extension points it serves.

An app takes part by shipping modules with fixed names (``menu``, ``home``, ``hooks``,
``reference``, ``demo``, ``api``, ``permissions``). Being in ``INSTALLED_APPS`` is the only
registration: :func:`app_modules` imports the named module of every installed app, in
``INSTALLED_APPS`` order, and nothing else in the code loops over apps.

An extension point is declared once, by the app that calls it, as an :class:`ExtensionPoint` typed
with the callable it expects (a ``Protocol``). An app implements it with the point as a decorator::

    # assistance/hooks.py
    @person_merged
    def on_person_merged(*, keep: Person, duplicate: Person, actor: User | None) -> None: ...

mypy checks the function against the declared signature at the decorator. A function carrying a
point's name in the point's module but not decorated is an error (:class:`ImproperlyConfigured`),
not a hook that silently never runs.

Data points (menu groups, phone links, role permissions, API routers) are module constants of typed
classes (``MENU: list[MenuGroup]``), found by name; mypy checks their construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import URLPattern, URLResolver, include, path
from django.utils.functional import Promise
from ninja import Router

if TYPE_CHECKING:  # core.home imports this module
    from core.home import Card, Chart, TodoItem

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: modules found per name: [(app config, module)], in INSTALLED_APPS order
_found: dict[str, list[tuple[AppConfig, ModuleType]]] = {}


def app_modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    """``<app>.<name>`` of every installed app that has one, in INSTALLED_APPS order (cached).
    An error inside such a module is raised, never mistaken for the module's absence."""
    if name not in _found:
        found = []
        for config in apps.get_app_configs():
            path = Path(config.path)
            if not path.is_relative_to(settings.BASE_DIR) or "site-packages" in path.parts:
                continue  # Django's and other libraries' apps take no part
            module_name = f"{config.name}.{name}"
            if find_spec(module_name) is None:
                continue
            found.append((config, import_module(module_name)))
        _found[name] = found
    return _found[name]


def module_constants(module_name: str, attr: str, kind: type) -> Iterator[tuple[AppConfig, Any]]:
    """Each installed app's ``<app>.<module_name>.<attr>``, checked to be a ``kind`` (or a list of them)."""
    for config, module in app_modules(module_name):
        value = getattr(module, attr, None)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, kind):
                raise ImproperlyConfigured(f"{module.__name__}.{attr} holds {item!r}, not a {kind.__name__}")
            yield config, item


class ExtensionPoint(Generic[F]):
    """One place where apps add behaviour: functions named ``attr`` in each app's ``<module>``.

    Use the point as a decorator on the implementation; :meth:`implementations` gives them in
    INSTALLED_APPS order (only installed apps' ones)."""

    def __init__(self, module: str, attr: str, doc: str = "") -> None:
        self.module = module
        self.attr = attr
        self.__doc__ = doc
        self._registered: dict[str, F] = {}  # "<module path>" -> function

    def __call__(self, function: F) -> F:
        if function.__name__ != self.attr:
            raise ImproperlyConfigured(f"{function.__module__}.{function.__name__} must be named {self.attr}")
        self._registered[function.__module__] = function
        return function

    def implementations(self) -> list[F]:
        return [function for _config, function in self.by_app()]

    def by_app(self) -> list[tuple[AppConfig, F]]:
        """The implementations with the app each comes from, in INSTALLED_APPS order."""
        result = []
        for config, module in app_modules(self.module):
            function = getattr(module, self.attr, None)
            if function is None:
                continue
            if self._registered.get(module.__name__) is not function:
                raise ImproperlyConfigured(
                    f"{module.__name__}.{self.attr} is not decorated with its extension point, so it would"
                    " never run: see docs/DEVELOPING.md, 'Adding a capability'"
                )
            result.append((config, function))
        return result

    def call_all(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every implementation with the same arguments; their results in app order."""
        return [function(*args, **kwargs) for function in self.implementations()]


@receiver(setting_changed)
def _forget_on_installed_apps_change(*, setting: str, **kwargs: Any) -> None:
    if setting == "INSTALLED_APPS":
        _found.clear()


# --- data points --------------------------------------------------------------------------------

Label = str | Promise  # a translated label (gettext_lazy) or a plain string


@dataclass(frozen=True)
class MenuItem:
    label: Label
    url_name: str
    #: the permission that shows the entry; a tuple: any one of them
    perm: str | tuple[str, ...]


@dataclass(frozen=True)
class MenuGroup:
    """A sidebar group (``MENU`` in ``<app>/menu.py``). Groups with the same ``key`` from several apps
    show as one (e.g. 系统管理 holds core's pages and people's catalogues), in ``order``."""

    key: str
    title: Label
    order: int
    items: list[MenuItem] = field(default_factory=list)


@dataclass(frozen=True)
class PortalLink:
    """An entry on the phone home page (``PORTAL_LINKS`` in ``<app>/menu.py``); ``badge`` counts
    something waiting for the user (shown beside the label)."""

    label: Label
    url_name: str
    perm: str
    badge: Callable[[Any], int] | None = None


@dataclass(frozen=True)
class AppPermissions:
    """What an app's roles may do (``PERMISSIONS`` in ``<app>/permissions.py``): role → permission
    names. Permissions are named ``<app>.<what it allows>``."""

    roles: dict[str, frozenset[str]]


# --- the points core calls ----------------------------------------------------------------------
# Each signature is a Protocol so that mypy checks every app's implementation at its decorator.


class CardsHook(Protocol):
    def __call__(self, user: Any) -> list[Card]: ...


class ChartsHook(Protocol):
    def __call__(self, user: Any) -> list[Chart]: ...


class TodoHook(Protocol):
    def __call__(self, user: Any) -> list[TodoItem]: ...


class ReferenceLoader(Protocol):
    def __call__(self) -> None: ...


class DemoBuilder(Protocol):
    def __call__(self, *, size: int, seed: int, stdout: Any) -> None: ...


class DailyJob(Protocol):
    def __call__(self, *, today: dt.date, stdout: Any) -> None: ...


#: ``<app>/home.py`` ``cards(user)``: figures with a link on the staff home page, scoped to the user.
cards: ExtensionPoint[CardsHook] = ExtensionPoint("home", "cards")
#: ``<app>/home.py`` ``charts(user)``: ECharts bar charts on the staff home page, scoped to the user.
charts: ExtensionPoint[ChartsHook] = ExtensionPoint("home", "charts")
#: ``<app>/home.py`` ``todo_items(user)``: what waits for the user (待办), each a few COUNT queries,
#: scoped to the user; collected by ``core.todo.todo_for`` (the /todo/ page, the home page, the top bar).
todo_items: ExtensionPoint[TodoHook] = ExtensionPoint("home", "todo_items")
#: ``<app>/reference.py`` ``load()``: idempotent reference data (catalogues, dictionaries, templates).
reference_data: ExtensionPoint[ReferenceLoader] = ExtensionPoint("reference", "load")
#: ``<app>/demo.py`` ``build(*, size, seed, stdout)``: deterministic demo records.
demo_data: ExtensionPoint[DemoBuilder] = ExtensionPoint("demo", "build")
#: ``<app>/daily.py`` ``run(*, today, stdout)``: the app's once-a-day work (re-checks, reminders),
#: idempotent (a second run on the same day does nothing more); run by ``manage.py daily``.
daily_job: ExtensionPoint[DailyJob] = ExtensionPoint("daily", "run")


# --- apps made of parts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Parts:
    """The parts of an app made of parts (``PARTS`` in ``<app>/parts.py``): sub-packages
    ``<app>.<part>``, in order. The app's own ``menu``, ``permissions``, ``urls``, ``api``, ``home``,
    ``hooks``, ``reference`` and ``demo`` modules join the same-named modules of its parts through
    this, keeping the decorators of the extension points they implement. A part without such a module
    takes no part in it."""

    app: str
    names: tuple[str, ...]

    def modules(self, name: str) -> list[ModuleType]:
        """``<app>.<part>.<name>`` of every part that has one, in order."""
        module_names = [f"{self.app}.{part}.{name}" for part in self.names]
        return [import_module(module_name) for module_name in module_names if find_spec(module_name) is not None]

    def constants(self, module: str, attr: str, kind: type[T]) -> list[T]:
        """Every part's ``<module>.<attr>`` list, joined in order, checked to hold ``kind`` items."""
        joined: list[T] = []
        for part in self.modules(module):
            for item in getattr(part, attr, []):
                if not isinstance(item, kind):
                    raise ImproperlyConfigured(f"{part.__name__}.{attr} holds {item!r}, not a {kind.__name__}")
                joined.append(item)
        return joined

    def call(self, module: str, attr: str, *args: Any, **kwargs: Any) -> None:
        """Call every part's ``<module>.<attr>`` with the same arguments, in order."""
        for part in self.modules(module):
            getattr(part, attr)(*args, **kwargs)

    def gather(self, module: str, attr: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every part's ``<module>.<attr>`` (which returns a list); the lists joined in order."""
        return [item for part in self.modules(module) for item in getattr(part, attr)(*args, **kwargs)]

    def permissions(self) -> AppPermissions:
        """The union, role by role, of every part's ``permissions.ROLES``."""
        roles: dict[str, frozenset[str]] = {}
        for part in self.modules("permissions"):
            for role, perms in part.ROLES.items():
                roles[role] = roles.get(role, frozenset()) | perms
        return AppPermissions(roles=roles)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        """Every part's ``urls`` included at the app's root (so in the app's namespace)."""
        return [path("", include(part.__name__)) for part in self.modules("urls")]

    def router(self) -> Router:
        """One router, tagged with the app's name, holding every part's ``api.router``."""
        router = Router(tags=[self.app])
        for part in self.modules("api"):
            router.add_router("", part.router)
        return router

"""The shape of apps: one finder, typed extension points, nothing to remember but INSTALLED_APPS."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import people.menu
from core import extensions
from core.extensions import ExtensionPoint, app_modules
from people import extensions as people_points
from people.models import Person

BASE = Path(settings.BASE_DIR)


def _local_apps() -> list[str]:
    return [
        c.name for c in apps.get_app_configs() if Path(c.path).is_relative_to(BASE) and "site-packages" not in c.path
    ]


def _imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_domain_app() -> None:
    """core is what the apps share: it finds them through core.extensions, never by name.
    Every import statement counts, at the top of a module or inside a function."""
    domain = set(_local_apps()) - {"core"}
    offenders = {}
    for path in sorted((BASE / "core").rglob("*.py")):
        if "tests" in path.relative_to(BASE).parts:
            continue
        bad = _imported_top_packages(path) & domain
        if bad:
            offenders[str(path.relative_to(BASE))] = sorted(bad)
    assert offenders == {}


def test_apps_import_no_other_app_but_people() -> None:
    """Apps talk through people (the centre) and core's extension points, never to each other."""
    local = set(_local_apps())
    offenders = {}
    for app in sorted(local - {"core", "people"}):
        base = BASE.joinpath(*app.split("."))
        for path in sorted(base.rglob("*.py")):
            if "tests" in path.relative_to(base).parts:
                continue
            bad = _imported_top_packages(path) & (local - {"core", "people", app.split(".")[0]})
            if bad:
                offenders[str(path.relative_to(BASE))] = sorted(bad)
    assert offenders == {}


def _hook_sources(app_path: str) -> str:
    """Every ``hooks.py`` of an app (its own and its parts'), outside its tests."""
    base = Path(app_path)
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(base.rglob("hooks.py"))
        if "tests" not in path.relative_to(base).parts
    )


def test_every_foreign_key_to_person_is_moved_by_a_merge_hook() -> None:
    """A merge leaves the duplicate hidden: any row still pointing at it would drop out of the person's
    history. Each app holding a foreign key to Person registers ``on_person_merged`` and the hook's
    module names the model it moves (people's own rows are moved by merge_people itself). An app made
    of parts (``casework/hardship/``, ...) has a ``hooks.py`` per part, read together."""
    hooks = {fn.__module__.rsplit(".", 1)[0]: fn for fn in people_points.person_merged.implementations()}
    missing = []
    for model in apps.get_models():
        app = model._meta.app_config.name
        if app == "people":
            continue
        for field in model._meta.get_fields():
            if not (field.concrete and field.is_relation and field.related_model is Person):
                continue
            hook = hooks.get(app)
            source = _hook_sources(model._meta.app_config.path) if hook else ""
            if model.__name__ not in source:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


def test_points_are_found_in_installed_apps_order() -> None:
    assert [c.label for c, _m in app_modules("menu")] == [
        "core",
        "people",
        "census",
        "payments",
        "assistance",
        "casework",
        "volunteering",
        "trips",
    ]
    assert [fn.__module__ for fn in extensions.reference_data.implementations()] == [
        "people.reference",
        "payments.reference",
        "assistance.reference",
        "casework.reference",
        "volunteering.reference",
        "trips.reference",
    ]


def test_an_undecorated_implementation_is_an_error_not_a_silent_skip() -> None:
    point: ExtensionPoint[object] = ExtensionPoint("home", "cards")  # type: ignore[type-var]
    with pytest.raises(ImproperlyConfigured, match=r"(core|people)\.home\.cards is not decorated"):
        point.implementations()


def test_an_implementation_must_carry_the_points_name() -> None:
    def cars(user: object) -> list[object]:
        return []

    with pytest.raises(ImproperlyConfigured, match="must be named cards"):
        extensions.cards(cars)  # type: ignore[arg-type]


def test_a_constant_of_the_wrong_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setattr(people.menu, "MENU", [{"title": "人员库", "items": []}])
    with pytest.raises(ImproperlyConfigured, match=r"people\.menu\.MENU holds"):
        list(extensions.module_constants("menu", "MENU", extensions.MenuGroup))

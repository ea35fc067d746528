"""``manage.py daily``: every app's daily jobs through the ``daily_job`` point, idempotent, one
failure not stopping the others."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from casework.hardship import daily as hardship_daily
from casework.models.hardship import Recheck
from casework.tests import hardship_factories as hf
from core import extensions as core_points


def test_the_daily_jobs_of_every_app_are_found() -> None:
    labels = [config.label for config, _job in core_points.daily_job.by_app()]
    assert {"assistance", "casework", "trips"} <= set(labels)


def test_daily_creates_the_yearly_rechecks_once(cast) -> None:
    file = hf.filed_file(cast)
    today = timezone.localdate()
    type(file).objects.filter(pk=file.pk).update(filed_on=today.replace(year=today.year - 2))
    Recheck.objects.filter(file=file).delete()
    out = io.StringIO()
    call_command("daily", stdout=out)
    assert "1 re-checks created" in out.getvalue()
    assert "checkups: reminded 0" in out.getvalue()
    assert "petitions: 0 reminders sent" in out.getvalue()  # no open 信访件
    assert Recheck.objects.filter(file=file, year=today.year).count() == 1
    out = io.StringIO()
    call_command("daily", stdout=out)  # a second run the same day does nothing more
    assert "0 re-checks created" in out.getvalue()
    assert Recheck.objects.filter(file=file).count() == 1


def test_one_failing_job_does_not_stop_the_others(db, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(hardship_daily, "run", broken)
    out = io.StringIO()
    with pytest.raises(CommandError, match="casework"):
        call_command("daily", stdout=out)
    assert "checkups: reminded" in out.getvalue()  # trips ran after casework failed


def test_only_runs_the_named_apps(db) -> None:
    out = io.StringIO()
    call_command("daily", "--only", "trips", stdout=out)
    assert "trips:" in out.getvalue()
    assert "casework:" not in out.getvalue()

"""Long work with progress: a ``Job`` row the user watches, and a django-tasks task doing the work.

    job = start_job(actor=user, kind="people.export", title="导出人员", task=export_people, params={...})
    → redirect to job.get_url(); the task calls ``report_progress(job_id, done, total)`` and
      ``finish_job(job_id, result=..., file_name=..., content=...)``.

An uploaded file the task needs travels through storage, not the job's JSON: ``stash_upload``
in the view, ``take_upload`` in the task (which reads and removes it). A result file the task
writes to a temporary file is passed to ``finish_job`` as a file object, never read into memory.

With the immediate backend (the embedded default) the task runs right after the request's
transaction commits; with LAOMO_TASKS=database it runs in ``manage.py db_worker``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.models import Job, User
from core.permissions import has_perms
from core.request_context import set_current_ip


def start_job(*, actor: User, kind: str, title: str, task: Any, params: dict[str, Any] | None = None) -> Job:
    job = Job.objects.create(kind=kind, title=title, created_by=actor, params=params or {})
    job_id = str(job.pk)
    transaction.on_commit(lambda: task.enqueue(job_id))
    return job


def job_for_task(job_id: str, *perms: str, combine: Callable[[Iterable[bool]], bool] = all) -> Job | None:
    """The job as its task starts it: run as its starter, who must still have an active account and
    the permissions (every one, or ``combine=any``): a role can go while the job waits in the queue.
    Otherwise the job fails with a message and this gives None. Audit entries the task writes carry
    the address the request came from. Scope is checked again by the services and selectors the task
    calls with ``job.created_by``."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    set_current_ip(job.params.get("ip"))
    starter = job.created_by
    if not (starter.is_active and has_perms(starter, perms, combine)):
        fail_job(job_id, gettext("发起人已没有这项工作的权限，未做任何处理"))
        return None
    return job


def job_url(job: Job) -> str:
    return reverse("core:job", kwargs={"job_id": job.pk})


def report_progress(job_id: str, done: int, total: int, message: str = "") -> None:
    """Record how far a job has got. Work that runs in one long transaction (an import checked
    and written in one pass) reports on PostgreSQL through a connection of its own, so the job
    page sees the progress before the transaction commits."""
    values = {"status": Job.Status.RUNNING, "done": done, "total": total, "message": message[:500]}
    in_long_transaction = connection.vendor == "postgresql" and connection.in_atomic_block
    if in_long_transaction and _report_outside_transaction(job_id, values):
        return
    # Outside a transaction; or the job itself is not committed yet (created in this same
    # transaction, as in tests), so only this transaction can see it.
    Job.objects.filter(pk=job_id).update(**values)


def _report_outside_transaction(job_id: str, values: dict[str, Any]) -> bool:
    side = connection.copy()  # same settings, its own connection, autocommit
    try:
        with side.cursor() as cursor:
            sets = ", ".join(f"{side.ops.quote_name(k)} = %s" for k in values)
            cursor.execute(
                f"UPDATE {side.ops.quote_name(Job._meta.db_table)} SET {sets} WHERE id = %s",  # noqa: S608
                [*values.values(), job_id],
            )
            return bool(cursor.rowcount)
    finally:
        side.close()


def finish_job(
    job_id: str,
    *,
    result: dict[str, Any] | None = None,
    file_name: str = "",
    content: bytes | IO[bytes] | None = None,
    message: str = "",
) -> Job:
    return _end_job(job_id, Job.Status.DONE, result=result, file_name=file_name, content=content, message=message)


def fail_job(
    job_id: str,
    message: str,
    *,
    result: dict[str, Any] | None = None,
    file_name: str = "",
    content: bytes | IO[bytes] | None = None,
) -> None:
    """End a job as failed. A refused import still leaves its report (``result``, and a file
    to download) for the person who started it."""
    if result is None and content is None:
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=message[:500], finished=timezone.now())
        return
    _end_job(job_id, Job.Status.FAILED, result=result, file_name=file_name, content=content, message=message)


def _end_job(
    job_id: str,
    status: str,
    *,
    result: dict[str, Any] | None,
    file_name: str,
    content: bytes | IO[bytes] | None,
    message: str,
) -> Job:
    job = Job.objects.get(pk=job_id)
    job.status = status
    job.finished = timezone.now()
    job.result = (result or {}) | ({"filename": file_name} if file_name else {})
    job.message = message[:500]
    if job.total and status == Job.Status.DONE:
        job.done = job.total
    if content is not None:
        name = file_name or "result.bin"
        file = ContentFile(content, name=name) if isinstance(content, bytes) else File(content, name=name)
        job.result_file.save(name, file, save=False)
    job.save()
    return job


def stash_upload(upload: Any) -> str:
    """Keep an uploaded file in storage for the job's task; returns the name to put in its params."""
    return default_storage.save(f"jobs/uploads/{uuid.uuid4().hex}.bin", upload)


def take_upload(name: str) -> bytes:
    """The stashed file's bytes; the file is removed from storage."""
    try:
        with default_storage.open(name, "rb") as f:
            return f.read()  # type: ignore[no-any-return]
    finally:
        default_storage.delete(name)

"""Background work of the incidents part (django-tasks through core.jobs)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from core.jobs import fail_job, finish_job, job_for_task, report_progress
from volunteering.incidents.messages import notify_called
from volunteering.models import CallOut


@task()
def send_callout_messages(job_id: str) -> None:
    """Tell everyone called in a call-out (SMS and in-app), reporting progress."""
    job = job_for_task(job_id, "volunteering.incidents_command")
    if job is None:
        return
    callout = (
        CallOut.objects.filter(pk=job.params.get("callout"))
        .select_related("need", "incident", "specialty", "district")
        .first()
    )
    if callout is None:
        fail_job(job_id, _("召集不存在"))
        return
    done = notify_called(callout, progress=lambda d, t: report_progress(job_id, d, t))
    finish_job(job_id, result={"notified": done}, message=_("已通知 %(n)s 人") % {"n": done})

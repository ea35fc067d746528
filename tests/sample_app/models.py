from __future__ import annotations

from django.db import models

from core.scope import ScopedQuerySet


class VisitQuerySet(ScopedQuerySet["Visit"]):
    region_field = "person__region"


class Visit(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=100)

    objects = VisitQuerySet.as_manager()

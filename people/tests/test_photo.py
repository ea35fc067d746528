"""Photos: content-checked upload, served only through the scoped view, logged."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import AuditEntry


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_upload_serve_and_remove_photo(cast: Any, client_for: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    staff = client_for("district_a")
    pk = cast.person_a.pk
    staff.post(reverse("people:photo_upload", args=[pk]), {"photo": SimpleUploadedFile("我的照片.png", _png())})
    cast.person_a.refresh_from_db()
    assert cast.person_a.photo.name == f"photos/{cast.person_a.photo.name.split('/')[1]}/p{pk}.png"
    served = staff.get(reverse("people:photo", args=[pk]))
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert b"".join(served.streaming_content) == _png()
    assert client_for("district_b").get(reverse("people:photo", args=[pk])).status_code == 404
    staff.post(reverse("people:photo_remove", args=[pk]))
    cast.person_a.refresh_from_db()
    assert not cast.person_a.photo
    assert list(
        AuditEntry.objects.filter(object_id=str(pk), action__startswith="people.person.photo")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["people.person.photo_set", "people.person.photo_removed"]


def test_a_file_that_is_not_an_image_is_refused(cast: Any, client_for: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    page = client_for("city").post(
        reverse("people:photo_upload", args=[cast.person_a.pk]),
        {"photo": SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image")},
        follow=True,
    )
    assert [str(m) for m in page.context["messages"]] == ["文件不是有效的图片，请上传 JPG 或 PNG 照片"]
    cast.person_a.refresh_from_db()
    assert not cast.person_a.photo

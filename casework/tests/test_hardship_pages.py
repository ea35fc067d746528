"""Pages and API of the hardship part: scope, masking, the logged sensitive tab, exports, idempotency."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.hardship import services
from casework.models.hardship import FileStatus, HardshipFile, HelpRecord
from casework.tests import hardship_factories as hf
from core.errors import DomainError
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_district_staff_see_only_their_district(cast, client_for):
    file = hf.new_file(cast)
    url = reverse("casework:hardship_detail", args=[file.pk])
    assert client_for("district_a").get(url).status_code == 200
    assert client_for("district_b").get(url).status_code == 404
    listing = client_for("district_b").get(reverse("casework:hardship_list"))
    assert file.number not in listing.content.decode()


def test_lists_mask_health_and_the_sensitive_tab_is_logged(cast, client_for):
    file = hf.move_to(cast, hf.new_file(cast), "publicity")
    client = client_for("district_a")
    page = client.get(reverse("casework:hardship_detail", args=[file.pk])).content.decode()
    assert "高血压" not in page and "***" in page
    sensitive = client.get(reverse("casework:hardship_sensitive", args=[file.pk])).content.decode()
    assert "高血压" in sensitive
    assert AuditEntry.objects.filter(action="casework.hardship.sensitive_viewed", object_id=str(file.pk)).count() == 1
    export = client.get(reverse("casework:hardship_list") + "?export=xlsx")
    assert export.status_code == 200 and b"\xe9\xab\x98\xe8\xa1\x80\xe5\x8e\x8b" not in export.content


def test_the_page_refuses_a_step_out_of_order_with_a_message(cast, client_for):
    file = hf.new_file(cast)
    client = client_for("district_a")
    url = reverse("casework:hardship_act", args=[file.pk])
    response = client.post(url, {"action": "advance", "to_step": "approval"}, follow=True)
    assert "下一步应为「基层核实」" in response.content.decode()
    client.post(url, {"action": "advance", "to_step": "verify", "note": "属实"})
    file.refresh_from_db()
    assert file.step == "verify"
    response = client.post(
        url, {"action": "help", "kind": "cash", "amount": "-5", "given_on": "2026-01-01"}, follow=True
    )
    assert response.status_code == 200 and not HelpRecord.objects.filter(file=file).exists()


def test_close_from_the_page(cast, client_for):
    file = hf.filed_file(cast)
    client_for("city").post(
        reverse("casework:hardship_act", args=[file.pk]), {"action": "close", "reason": "relieved", "note": ""}
    )
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED


def test_visit_photos_one_at_a_time_and_plan_progress(cast, client_for):
    visit = hf.visit(cast)
    client = client_for("district_a")
    url = reverse("casework:visit_photo_add", args=[visit.pk])
    assert client.post(url, {"file": hf.png("1.png")}).status_code == 302
    assert client.post(url, {"file": hf.png("2.png")}).status_code == 302
    assert visit.photos.count() == 2
    plan = hf.plan(cast)
    page = client_for("city").get(reverse("casework:visit_plan_detail", args=[plan.pk])).content.decode()
    assert "100%" in page and "0%" in page  # 鄞州 visited, 海曙 not yet


def test_figures_page_and_export(cast, client_for):
    hf.filed_file(cast)
    hf.visit(cast)
    client = client_for("city")
    assert client.get(reverse("casework:hardship_figures")).status_code == 200
    export = client.get(reverse("casework:hardship_figures") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_person_page_shows_the_timeline_panel(cast, client_for):
    hf.filed_file(cast)
    hf.visit(cast)
    page = client_for("city").get(reverse("people:detail", args=[cast.person_a.pk])).content.decode()
    assert "困难帮扶与走访慰问" in page and "节日慰问" in page


def test_api_is_scoped_and_writes_once(cast, client_for):
    file = hf.filed_file(cast)
    a, b = client_for("district_a"), client_for("district_b")
    listed = a.get("/api/casework/files").json()
    assert [i["number"] for i in listed["items"]] == [file.number]
    assert b.get("/api/casework/files").json()["count"] == 0
    assert b.get(f"/api/casework/files/{file.pk}").status_code == 404
    url = f"/api/casework/files/{file.pk}/help"
    body = {"kind": "goods", "amount": "88.80", "given_on": "2026-01-05"}
    first = a.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    again = a.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert HelpRecord.objects.filter(file=file).count() == 1
    bad = a.post(url, {**body, "amount": "1.001"}, content_type="application/json", headers={"Idempotency-Key": "k2"})
    assert bad.status_code in (409, 422) and "分" in bad.json()["detail"]
    neg = a.post(url, {**body, "amount": "-1"}, content_type="application/json", headers={"Idempotency-Key": "k3"})
    assert neg.status_code == 409
    assert HardshipFile.objects.count() == 1


def test_people_are_added_to_a_plan_after_it_is_made_and_removed(cast, client_for):
    plan = hf.plan(cast)
    plan.targets.filter(person=cast.person_a).delete()
    client = client_for("district_a")
    page = client.get(reverse("casework:visit_plan_detail", args=[plan.pk]), {"q": cast.person_a.name})
    assert page.status_code == 200
    assert cast.person_a.name in page.content.decode()
    add = reverse("casework:visit_plan_target_add", args=[plan.pk])
    assert client.post(add, {"person": cast.person_a.pk}).status_code == 302
    target = plan.targets.get(person=cast.person_a)
    # a second add is refused with a message, not a second row
    response = client.post(add, {"person": cast.person_a.pk}, follow=True)
    assert "已在计划中" in response.content.decode()
    assert plan.targets.filter(person=cast.person_a).count() == 1
    # another district's person is not found (404), nor their target
    assert client.post(add, {"person": cast.person_b.pk}).status_code == 404
    other = plan.targets.get(person=cast.person_b)
    remove_other = reverse("casework:visit_plan_target_remove", args=[other.pk])
    assert client.post(remove_other).status_code == 404
    # the list shows the remove button with its question; removing takes the person off
    detail = client.get(reverse("casework:visit_plan_detail", args=[plan.pk])).content.decode()
    assert "data-confirm" in detail
    assert client.post(reverse("casework:visit_plan_target_remove", args=[target.pk])).status_code == 302
    assert not plan.targets.filter(person=cast.person_a).exists()


def test_a_visited_target_stays_and_a_plan_of_one_district_takes_only_its_people(cast):
    plan = hf.plan(cast)
    visit = hf.visit(cast, cast.person_a)
    target = plan.targets.get(person=cast.person_a)
    type(target).objects.filter(pk=target.pk).update(visit=visit)
    with pytest.raises(DomainError, match="已走访"):
        services.remove_plan_target(actor=cast.city, target=target)
    local = services.create_plan(
        actor=cast.city,
        title="区级走访",
        district=cast.person_a.district,
        occasion="festival",
        starts_on=plan.starts_on,
        due=plan.due,
        people=[cast.person_a],
    )
    with pytest.raises(DomainError, match="不属于本计划"):
        services.add_plan_target(actor=cast.city, plan=local, person=cast.person_b)

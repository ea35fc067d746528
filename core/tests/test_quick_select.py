"""QuickSelect writes the HTML forms.Select writes, without a template per option."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html
from hypothesis import given
from hypothesis import strategies as st

from core.forms import QuickSelect
from people.forms import PersonSearchForm

_text = st.text(alphabet=st.sampled_from(list("ab<>&\"' 鄞州区全部　")), max_size=6)


@given(
    choices=st.lists(st.tuples(_text, _text), max_size=6),
    value=st.one_of(st.none(), _text),
    required=st.booleans(),
)
def test_same_html_as_select(choices: list[tuple[str, str]], value: str | None, required: bool) -> None:
    attrs = {"id": "id_x", "required": required, "data-note": "a<b"}
    quick = QuickSelect(choices=choices).render("x", value, attrs=attrs)
    plain = forms.Select(choices=choices).render("x", value, attrs=attrs)
    assert parse_html(quick) == parse_html(plain)


@pytest.mark.django_db
def test_the_registry_filter_form_renders_as_before(cast: Any) -> None:
    """Every select of the registry's filter form, bound to chosen values, for a district user too."""
    for user in (cast.city, cast.district_a):
        data = {"district": str(cast.region_a.pk), "level": "city", "status": "retired", "gender": "F", "sort": "-name"}
        form = PersonSearchForm(data, user=user)
        for name, field in form.fields.items():
            if isinstance(field.widget, QuickSelect):
                bound = form[name]
                plain = forms.Select(choices=field.widget.choices).render(
                    bound.html_name, bound.value(), attrs=bound.build_widget_attrs({"id": bound.auto_id})
                )
                assert parse_html(str(bound)) == parse_html(plain), name

"""A field's errors name the field exactly once: a message that already opens with the field's
label is shown as it is, any other after the label — never "显示名称：显示名称 为必填项"."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from jiedao.accounts.models import User
from jiedao.core.templatetags.field_errors import field_messages


class NameForm(forms.Form):
    full_name = forms.CharField(label="显示名称")


def test_each_message_names_the_field_once() -> None:
    form = NameForm({"full_name": ""})
    with translation.override("zh-hans"):
        form.is_valid()  # Django's own message, which names no field
        form.add_error("full_name", "显示名称 为必填项。")  # a service's, which does

        assert field_messages(form["full_name"]) == [
            "显示名称：这个字段是必填项。",
            "显示名称 为必填项。",
        ]


def test_a_field_without_errors_has_no_messages() -> None:
    form = NameForm({"full_name": "王网格"})
    form.is_valid()

    assert field_messages(form["full_name"]) == []


@pytest.mark.django_db
def test_the_user_form_says_each_field_once(users, client_for) -> None:
    count = User.objects.count()

    response = client_for("administrator").post(
        reverse("accounts_manage:user_create"),
        {"username": "wangge", "full_name": "", "role": "dispatcher", "scope": ""},
    )

    page = response.content.decode()
    assert re.findall(r'<p class="field-error" role="alert">(.*?)</p>', page) == [
        "用户名 wangge 已被占用。",
        "显示名称 为必填项。",
        "范围：指挥中心调度员的工作范围是本街道：请选择一个作为范围。",
    ]
    assert User.objects.count() == count

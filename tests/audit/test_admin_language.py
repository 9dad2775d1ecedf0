"""The admin says 筛选 where Django's own Chinese says 过滤器: the product's word, from the
project's translations (jiedao/locale, the first of LOCALE_PATHS)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/admin/audit/auditentry/", "/admin/events/category/", "/admin/accounts/user/"]
)
def test_an_admin_change_list_filters_with_the_products_word(client_for, url):
    response = client_for("administrator").get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="changelist-filter-header">筛选</h2>' in page
    assert "过滤器" not in page


def test_the_products_word_wins_over_every_catalogue():
    with translation.override("zh-hans"):
        assert gettext("Filter") == "筛选"
        # what Django's admin says beside it is unchanged
        assert gettext("Show counts") == "显示计数"
        assert gettext("Clear all filters") == "清除所有筛选"

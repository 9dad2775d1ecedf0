"""The admin writes the configuration through the same services: their checks show on the
form and their audit entries are written; the records are read-only there."""

from jiedao.audit.models import AuditEntry
from jiedao.sanitation.models import RecyclingMaterial, Reward


def test_a_reward_added_in_the_admin_goes_through_the_service(client_for):
    response = client_for("administrator").post(
        "/admin/sanitation/reward/add/",
        {
            "kind": "goods",
            "name": "环保购物袋",
            "points_cost": "60",
            "stock": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    reward = Reward.objects.get(name="环保购物袋")
    assert (reward.points_cost, reward.stock) == (60, None)
    assert (
        AuditEntry.objects.filter(
            action="sanitation.reward.create", target_id=str(reward.pk)
        ).count()
        == 1
    )


def test_a_bad_price_in_the_admin_is_refused_with_the_services_words(client_for):
    before = (RecyclingMaterial.objects.count(), AuditEntry.objects.count())

    response = client_for("administrator").post(
        "/admin/sanitation/recyclingmaterial/add/",
        {"name": "纸板", "pricing_unit": "kg", "price": "-1", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "单价（元）必须大于 0、不超过 10000 元，最多两位小数。" in response.content.decode()
    assert (RecyclingMaterial.objects.count(), AuditEntry.objects.count()) == before


def test_drop_offs_are_read_only_in_the_admin(client_for):
    assert client_for("administrator").get("/admin/sanitation/dropoff/add/").status_code == 403

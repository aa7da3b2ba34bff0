"""The admin's list filters offer only what the user may read: a regional user is not shown
the titles of plans its entity takes no part in (nor their problems' numbers), on every
scoped list with a plan filter."""
import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.urls import reverse

from amc.admin import ScopedAdmin
from planes.models import Plan
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Plan reservado de otra región"


def _filter_paths(model_admin):
    for item in model_admin.list_filter:
        path = item[0] if isinstance(item, (list, tuple)) else item
        if isinstance(path, str):
            yield path


def _admins_with_a_plan_filter():
    found = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        for path in _filter_paths(model_admin):
            field = get_fields_from_path(model, path)[-1]
            if getattr(field, "related_model", None) is Plan:
                found.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                break
    return sorted(found)


PLAN_FILTER_LISTS = _admins_with_a_plan_filter()


def test_the_lists_with_a_plan_filter_are_found():
    # Guards the parametrisation below: the plan filters of planes, matrices, presupuesto and seguimiento.
    assert "admin:matrices_causa_changelist" in PLAN_FILTER_LISTS
    assert "admin:seguimiento_valorindicador_changelist" in PLAN_FILTER_LISTS
    assert len(PLAN_FILTER_LISTS) >= 20


@pytest.fixture
def plans(seed_plan, drtpe_puno):
    shared = f.make_plan(participantes=[drtpe_puno], titulo="Plan compartido con Puno")
    secret = f.make_plan(participantes=[f.make_entidad("GR")], titulo=SECRET)
    f.make_problema(secret, numero=77, enunciado="Problema de otra región")
    return {"shared": shared, "secret": secret}


@pytest.mark.parametrize("list_url", PLAN_FILTER_LISTS)
def test_a_regional_users_plan_filter_lists_only_the_plans_it_may_read(client, usuario_puno, plans, list_url):
    client.force_login(usuario_puno)
    response = client.get(reverse(list_url))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Plan compartido con Puno" in body  # the filter is there, with the plans Puno reads
    assert SECRET not in body


def test_a_problem_number_filter_offers_only_readable_problems(client, usuario_puno, plans):
    client.force_login(usuario_puno)
    body = client.get(reverse("admin:matrices_causa_changelist")).content.decode()
    assert "problema__numero=1" in body
    assert "problema__numero=77" not in body


def test_ministry_staff_still_filter_by_every_plan(client, usuario_mtpe, plans):
    client.force_login(usuario_mtpe)
    body = client.get(reverse("admin:matrices_causa_changelist")).content.decode()
    assert SECRET in body
    assert "problema__numero=77" in body

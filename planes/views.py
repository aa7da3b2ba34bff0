from django.shortcuts import render

from planes import selectors


def plan_detail(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id, con_participantes=True)
    return render(request, "planes/plan_detail.html", {"plan": plan, "secciones": selectors.plan_sections(plan=plan)})

from django.shortcuts import render

from amc.reports import render_report, report_plan_get, report_view
from planes import reports, selectors


def home(request):
    return render(request, "planes/home.html", {"planes": selectors.plan_list(user=request.user)})


def plan_detail(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    return render(request, "planes/plan_detail.html", {"plan": plan, "secciones": selectors.plan_sections(plan=plan)})


@report_view
def documento(request, plan_id: int):
    """The whole plan as a document (issue 4): page, ?formato=pdf or ?formato=xlsx."""
    plan = report_plan_get(user=request.user, plan_id=plan_id)
    data = reports.documento(plan=plan)
    return render_report(request, data=data, template="planes/reportes/_documento.html", title="Plan completo",
                         filename="plan-completo", orientation="portrait", xlsx=reports.documento_xlsx, cover=True,
                         context={"wide_kinds": reports.WIDE_KINDS})

from amc.reports import render_report, report_view
from amc.versiones import por_version
from documento import reports
from planes.selectors import plan_get


@report_view
def documento(request, plan_id: int):
    """The whole plan as a document: page, ?formato=pdf or ?formato=xlsx. The document and its
    page's HTML are the same for every reader: computed once per data version."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    data = por_version(("documento", plan.pk), lambda: reports.documento(plan=plan))
    return render_report(request, data=data, template="documento/_documento.html", title="Plan completo",
                         filename="plan-completo", orientation="portrait", xlsx=reports.documento_xlsx, cover=True,
                         html_por_version=("documento", plan.pk))

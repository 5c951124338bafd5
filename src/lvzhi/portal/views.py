from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lvzhi.deputies.choices import Composition
from lvzhi.deputies.selectors import mandate_dashboard
from lvzhi.supervision.selectors import supervision_items_for_home


@login_required
def home(request):
    dashboard = mandate_dashboard(user=request.user)
    chart = [
        {"name": Composition(row["composition"]).label, "value": row["count"]}
        for row in dashboard["by_composition"]
    ]
    context = {
        "dashboard": dashboard,
        "composition_chart": chart,
        # 我领衔督办的建议: the items the user leads or is on the team of (leaders, mostly).
        "supervision_items": supervision_items_for_home(request.user),
    }
    return render(request, "portal/home.html", context)

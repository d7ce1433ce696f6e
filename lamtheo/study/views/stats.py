"""Study statistics per unit, rolled up the tree."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lamtheo.programme.models import ProgrammeYear
from lamtheo.study.selectors import get_stats_root_for_user, stats_roots_for, study_stats
from lamtheo.study.views.common import year_param


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """Oversight sees its committee's whole tree; a secretary their unit; members 404."""
    root = get_stats_root_for_user(request.user, request.GET.get("unit"))
    year = year_param(request)
    rows = study_stats(root, year)
    years = sorted(
        set(ProgrammeYear.objects.values_list("year", flat=True)) | {timezone.localdate().year},
        reverse=True,
    )
    return render(
        request,
        "study/stats.html",
        {
            "root": root,
            "year": year,
            "years": years,
            "roots": stats_roots_for(request.user),
            "rows": rows,
            "top": rows[0],
            "has_staff": any(not row.staff.is_empty for row in rows),
        },
    )

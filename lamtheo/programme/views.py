from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lamtheo.programme.selectors import years_for


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/year_list.html", {"years": years_for(request.user)})

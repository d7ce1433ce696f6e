"""Pages of steps 1–2. Thin: fetch through the scope (``selectors``), call a service, render.
One view per workflow step; GET shows or confirms, POST acts."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lamtheo.core.errors import DomainError
from lamtheo.core.history import reason_label
from lamtheo.org.models import Unit, UnitKind
from lamtheo.org.scope import get_scope, get_unit_for_user, units_for
from lamtheo.plans import dates, forms, selectors, services
from lamtheo.plans.models import CollectiveModel, Plan, PlanAttachment, PlanKind, PlanStatus

GET_POST = require_http_methods(["GET", "POST"])


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


# --- inbox ----------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = selectors.inbox_for(request.user)
    open_items = list(selectors.open_items(items)[:100])
    # What the secretary has reminded the person of comes first, the latest reminder on top.
    open_items.sort(key=lambda i: i.reminded_at.timestamp() if i.reminded_at else 0, reverse=True)
    open_ids = {i.pk for i in open_items}
    done = [i for i in items[:60] if i.pk not in open_ids][:30]
    return render(request, "plans/inbox.html", {"open_items": open_items, "done_items": done})


@login_required
@GET_POST
def inbox_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_inbox_item_for_user(request.user, pk)
    if request.method == "POST":
        services.acknowledge(item=item, by=request.user)
        messages.success(request, _("Thank you: marked as read."))
        if item.object_id and request.POST.get("next") == "plan":
            return redirect("plans:plan-detail", item.object_id)
        return redirect("plans:inbox")
    return render(request, "plans/inbox_acknowledge.html", {"item": item})


# --- plans ----------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    plans = selectors.plans_for(request.user)
    unit = None
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, request.GET["unit"])
        plans = plans.filter(unit=unit)
    elif not scope.is_admin:
        # By default the plans of the user's own units and of the units they write for.
        own = Q(unit__in=scope.own_unit_ids) | Q(unit__in=selectors.plan_units_for(request.user))
        plans = plans.filter(own)
    year = request.GET.get("year")
    if year and year.isdigit():
        plans = plans.filter(year=int(year))
    kind = request.GET.get("kind")
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
    page = Paginator(plans.order_by("-year", "unit__path", "-issue_date", "-id"), 50).get_page(
        request.GET.get("page")
    )
    counts = selectors.unread_counts([p.pk for p in page])
    writable = list(selectors.plan_units_for(request.user).order_by("depth", "path")[:30])
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page,
            "unit": unit,
            "counts": counts,
            "writable_units": writable,
            "kinds": PlanKind.choices,
            **_to_deploy(request.user, writable),
        },
    )


def _to_deploy(user: Any, units: list[Unit]) -> dict[str, Any]:
    """The «plans from above to deploy» card: for the first unit the user writes plans for,
    this year, the nearest superior's plans it has not deployed yet."""
    if not units:
        return {"deploy_unit": None}
    year = timezone.localdate().year
    unit = units[0]
    return {
        "deploy_unit": unit,
        "deploy_year": year,
        "superiors": selectors.superior_plans_to_deploy(user, unit=unit, year=year),
    }


def _render_plan_form(
    request: HttpRequest,
    *,
    unit: Unit,
    form: forms.PlanForm,
    sections: Any,
    plan: Plan | None = None,
) -> HttpResponse:
    return render(
        request,
        "plans/plan_form.html",
        {"unit": unit, "form": form, "sections": sections, "plan": plan},
    )


def _plan_data(form: forms.PlanForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["term_label"] = data.get("term_label") or ""
    return data


def _section_rows(formset: Any) -> list[tuple[str, str]]:
    return [
        (f.cleaned_data.get("heading", ""), f.cleaned_data.get("text", ""))
        for f in formset.forms
        if f.cleaned_data
    ]


@login_required
@GET_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    units = selectors.plan_units_for(request.user)
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if unit_id:
        unit = selectors.get_plan_unit_for_user(request.user, unit_id)
    else:
        unit = units.order_by("depth", "path").first()
        if unit is None:
            raise Http404
    choices_url = f"{reverse('plans:plan-create')}?unit={unit.pk}"
    if request.method == "POST":
        form = forms.PlanForm(request.POST, unit=unit, user=request.user, choices_url=choices_url)
        sections = forms.SectionFormSet(request.POST, prefix="s")
        if form.is_valid() and sections.is_valid():
            try:
                plan = services.create_plan(
                    unit=unit, by=request.user, sections=_section_rows(sections), **_plan_data(form)
                )
            except DomainError as error:
                forms.add_domain_error(form, error)
            else:
                messages.success(request, _("Draft saved. Check it, then issue it."))
                return redirect("plans:plan-detail", plan.pk)
    else:
        today = timezone.localdate()
        form = forms.PlanForm(
            unit=unit,
            user=request.user,
            choices_url=choices_url,
            initial={"year": _year(request), "issue_date": today, "kind": PlanKind.STUDY},
        )
        sections = forms.SectionFormSet(prefix="s", initial=forms.section_initial(None))
    return _render_plan_form(request, unit=unit, form=form, sections=sections)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    scope = get_scope(request.user)
    can_write = scope.plans_for_unit(plan.unit)
    my_item = None
    if scope.person_id:
        my_item = (
            selectors.items_of(plan)
            .filter(person_id=scope.person_id, acknowledged_at__isnull=True)
            .first()
        )
    history = list(
        Plan.history.filter(id=plan.pk).select_related("history_user").order_by("-history_date")
    )
    for record in history:
        record.reason = reason_label(record.history_change_reason)
    versions = []
    if plan.supersedes_id or plan.corrections.exists():
        root = plan
        while root.supersedes_id:
            root = root.supersedes
        versions = _version_chain(root, selectors.plans_for(request.user))
    models = list(plan.collective_models.all())
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "based_on_readable": bool(
                selectors.readable_plan_ids(request.user, [plan.based_on_id])
            ),
            "readable_models": selectors.readable_model_ids(request.user, [m.pk for m in models]),
            "sections": plan.sections.all(),
            "attachments": plan.attachments.all(),
            "can_write": can_write,
            "my_item": my_item,
            "history": history,
            "versions": versions,
            "parent_unit": _parent(plan.unit),
            "place_date": place_date_line(plan),
            "signature": signature_lines(plan),
            "models": models,
        },
    )


def _version_chain(root: Plan, readable: Any) -> list[Plan]:
    chain = [root]
    ids = {root.pk}
    for _i in range(20):
        nxt = readable.filter(supersedes=chain[-1]).exclude(pk__in=ids).first()
        if nxt is None:
            break
        chain.append(nxt)
        ids.add(nxt.pk)
    return chain


def _parent(unit: Unit) -> Unit | None:
    if unit.depth <= 1:
        return None
    return Unit.objects.filter(path=unit.path[: -Unit.steplen]).first()


def place_date_line(plan: Plan) -> str:
    """«Thoại Sơn, ngày 16 tháng 01 năm 2020»: the document line is Vietnamese whatever the
    interface language. Days below 10 and months 1 and 2 take a leading zero (NĐ 30/2020)."""
    d = plan.issue_date
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    place = plan.unit.place_name or ""
    line = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    return f"{place}, {line}" if place else line.capitalize()


def signature_lines(plan: Plan) -> tuple[str, str]:
    """«T/M CHI BỘ» / «BÍ THƯ» (party) or «TM. ỦY BAN NHÂN DÂN» / «CHỦ TỊCH» (state); the head
    of an advisory body or a state agency signs without «T/M». Document text, Vietnamese."""
    unit = plan.unit
    if unit.kind == UnitKind.PEOPLES_COMMITTEE:
        return ("TM. ỦY BAN NHÂN DÂN", plan.signer_title or "CHỦ TỊCH")
    if unit.is_state:
        return ("", plan.signer_title or "THỦ TRƯỞNG ĐƠN VỊ")
    if unit.is_cell:
        return ("T/M CHI BỘ", plan.signer_title or "BÍ THƯ")
    if unit.is_committee:
        standing = unit.kind in (UnitKind.PROVINCE_COMMITTEE, UnitKind.DISTRICT_COMMITTEE)
        return (
            "T/M BAN THƯỜNG VỤ" if standing else "T/M ĐẢNG ỦY",
            plan.signer_title or "BÍ THƯ",
        )
    return ("", plan.signer_title or "TRƯỞNG BAN")


@login_required
@GET_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    if plan.status != PlanStatus.DRAFT:
        messages.error(
            request,
            _(
                "This plan has been issued and is locked. To change it, create a correction version."
            ),
        )
        return redirect("plans:plan-detail", plan.pk)
    form_kwargs = {
        "unit": plan.unit,
        "user": request.user,
        "plan": plan,
        "choices_url": reverse("plans:plan-edit", args=[plan.pk]),
    }
    if request.method == "POST":
        form = forms.PlanForm(request.POST, **form_kwargs)
        sections = forms.SectionFormSet(request.POST, prefix="s")
        if form.is_valid() and sections.is_valid():
            try:
                services.update_plan(
                    plan=plan, by=request.user, sections=_section_rows(sections), **_plan_data(form)
                )
            except DomainError as error:
                forms.add_domain_error(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("plans:plan-detail", plan.pk)
    else:
        initial = forms.plan_initial(plan)
        if request.GET.get("year"):
            initial["year"] = _year(request)  # the year field asks for that year's choices
        form = forms.PlanForm(initial=initial, **form_kwargs)
        sections = forms.SectionFormSet(prefix="s", initial=forms.section_initial(plan))
    return _render_plan_form(request, unit=plan.unit, form=form, sections=sections, plan=plan)


@login_required
@GET_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.delete_draft(plan=plan, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("plans:plan-detail", plan.pk)
        messages.success(request, _("Draft deleted."))
        return redirect("plans:plan-list")
    return render(request, "plans/plan_confirm.html", {"plan": plan, "action": "delete"})


@login_required
@GET_POST
def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.issue_plan(plan=plan, by=request.user)
        except DomainError as error:
            problems = [str(error.message), *map(str, error.details)]
        else:
            messages.success(request, _("Plan issued and delivered."))
            return redirect("plans:plan-deployment", plan.pk)
    elif plan.status == PlanStatus.DRAFT:
        problems = [v.message for v in dates.violations_for(plan)]
    recipients = services.recipients_of(plan) if plan.status == PlanStatus.DRAFT else []
    followers = selectors.followers_of(plan) if plan.status == PlanStatus.DRAFT else []
    return render(
        request,
        "plans/plan_issue.html",
        {
            "plan": plan,
            "problems": problems,
            "recipients": recipients,
            "followers": followers,
            "invalidated": _invalidated(plan),
        },
        status=400 if problems and request.method == "POST" else 200,
    )


def _invalidated(plan: Plan) -> list[Plan]:
    if plan.status != PlanStatus.DRAFT or not plan.supersedes_id:
        return []
    return dates.plans_invalidated_by(plan=plan, new_date=plan.issue_date)


@login_required
@GET_POST
def plan_correct(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    form = forms.CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.create_correction(
                plan=plan, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            messages.success(
                request, _("A new version was created as a draft. Edit it, then issue it.")
            )
            return redirect("plans:plan-edit", correction.pk)
    return render(request, "plans/plan_correct.html", {"plan": plan, "form": form})


@login_required
@GET_POST
def plan_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Start from the superior's plan: a draft of one's own unit based on it."""
    superior = selectors.get_plan_for_user(request.user, pk)
    if superior.status != PlanStatus.ISSUED:
        raise Http404
    candidates = selectors.follow_units_for(request.user, superior)
    if not candidates.exists():
        raise Http404
    form = forms.FollowForm(request.POST or None, units=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_from_superior(
                superior=superior, unit=form.cleaned_data["unit"], by=request.user
            )
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            messages.success(
                request, _("Draft created from the superior's plan. Adapt it to your unit.")
            )
            return redirect("plans:plan-edit", plan.pk)
    return render(request, "plans/plan_follow.html", {"superior": superior, "form": form})


@login_required
def plan_deployment(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    return render(
        request,
        "plans/plan_deployment.html",
        {
            "plan": plan,
            "deployment": selectors.deployment_of(plan),
            "followers": selectors.plan_coverage(plan) if plan.status != PlanStatus.DRAFT else [],
        },
    )


@login_required
@GET_POST
def plan_remind(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    if request.method == "POST":
        count = services.remind(plan=plan, by=request.user)
        messages.success(request, _("%(count)s reminder(s) recorded.") % {"count": count})
        return redirect("plans:plan-deployment", plan.pk)
    return render(
        request,
        "plans/plan_remind.html",
        {"plan": plan, "deployment": selectors.deployment_of(plan)},
    )


@login_required
@GET_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(plan=plan, file=form.cleaned_data["file"], by=request.user)
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            messages.success(request, _("File attached."))
            return redirect("plans:plan-detail", plan.pk)
    return render(request, "plans/attachment_form.html", {"plan": plan, "form": form})


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        attachment = selectors.attachments_for(request.user).get(pk=pk)
    except (PlanAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # Attachments are small (ATTACHMENT_MAX_BYTES): read and close the file at once
    # rather than stream it, so no file handle outlives the request.
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@GET_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        attachment = selectors.attachments_for(request.user).get(pk=pk)
    except (PlanAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not get_scope(request.user).plans_for_unit(attachment.plan.unit):
        raise Http404
    if request.method == "POST":
        try:
            services.remove_attachment(attachment=attachment, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("File removed."))
        return redirect("plans:plan-detail", attachment.plan_id)
    return render(request, "plans/attachment_delete.html", {"attachment": attachment})


# --- collective models ----------------------------------------------------------------


@login_required
def model_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    models = selectors.models_for(request.user).filter(year=year)
    managed = list(units_for(request.user, manage=True).order_by("depth", "path")[:30])
    return render(
        request,
        "plans/model_list.html",
        {"models": models, "year": year, "managed_units": managed},
    )


def _target_rows(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


@login_required
@GET_POST
def model_create(request: HttpRequest) -> HttpResponse:
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if unit_id:
        unit = get_unit_for_user(request.user, unit_id, manage=True)
    else:
        unit = units_for(request.user, manage=True).order_by("depth", "path").first()
        if unit is None:
            raise Http404
    year = _year(request)
    form = forms.CollectiveModelForm(request.POST or None, unit=unit, year=year)
    targets = forms.TargetFormSet(request.POST or None, prefix="t")
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        data = form.cleaned_data
        try:
            model = services.register_model(
                unit=unit,
                year=year,
                name=data["name"],
                description=data["description"],
                plan=data["plan"],
                people=data["people_in_charge"],
                targets=_target_rows(targets),
                by=request.user,
            )
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            messages.success(request, _("Model registered."))
            return redirect("plans:model-detail", model.pk)
    return render(
        request,
        "plans/model_form.html",
        {"form": form, "targets": targets, "unit": unit, "year": year},
    )


@login_required
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.get_model_for_user(request.user, pk)
    return render(
        request,
        "plans/model_detail.html",
        {
            "model": model,
            "plan_readable": bool(selectors.readable_plan_ids(request.user, [model.plan_id])),
            "progress": model.progress_entries.select_related("target", "recorded_by"),
            "totals": _progress_totals(model),
            "can_manage": get_scope(request.user).manages_unit(model.unit),
        },
    )


def _progress_totals(model: CollectiveModel) -> list[tuple[Any, Any]]:
    from django.db.models import Sum

    sums = dict(
        model.progress_entries.filter(target__isnull=False)
        .values_list("target")
        .annotate(total=Sum("value"))
    )
    return [(t, sums.get(t.pk)) for t in model.targets.all()]


@login_required
@GET_POST
def model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.get_model_for_user(request.user, pk, manage=True)
    initial = {
        "name": model.name,
        "description": model.description,
        "plan": model.plan_id,
        "people_in_charge": list(model.people_in_charge.all()),
    }
    form = forms.CollectiveModelForm(
        request.POST or None, unit=model.unit, year=model.year, initial=initial
    )
    targets = forms.TargetFormSet(
        request.POST or None, prefix="t", initial=forms.target_initial(model)
    )
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        data = form.cleaned_data
        try:
            services.update_model(
                model=model,
                name=data["name"],
                description=data["description"],
                plan=data["plan"],
                people=data["people_in_charge"],
                targets=_target_rows(targets),
                by=request.user,
            )
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            messages.success(request, _("Model saved."))
            return redirect("plans:model-detail", model.pk)
    return render(
        request,
        "plans/model_form.html",
        {"form": form, "targets": targets, "unit": model.unit, "year": model.year, "model": model},
    )


@login_required
@GET_POST
def model_progress(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.get_model_for_user(request.user, pk, manage=True)
    form = forms.ProgressForm(request.POST or None, model=model)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_progress(model=model, by=request.user, **form.cleaned_data)
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("plans:model-detail", model.pk)
    return render(request, "plans/model_progress.html", {"model": model, "form": form})


@login_required
@GET_POST
def model_results(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.get_model_for_user(request.user, pk, manage=True)
    period = request.GET.get("period", services.MID_YEAR)
    initial: dict[str, Any] = {"period": period, "text": getattr(model, f"{period}_result", "")}
    for target in model.targets.all():
        initial[f"target_{target.pk}"] = getattr(target, f"{period}_value", None)
    form = forms.ResultsForm(request.POST or None, model=model, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_results(
                model=model,
                period=form.cleaned_data["period"],
                text=form.cleaned_data["text"],
                values=form.values(),
                by=request.user,
            )
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            messages.success(request, _("Results saved."))
            return redirect("plans:model-detail", model.pk)
    return render(request, "plans/model_results.html", {"model": model, "form": form})


# --- oversight ------------------------------------------------------------------------


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    roots = list(selectors.coverage_roots(request.user).order_by("path"))
    root = None
    if request.GET.get("unit"):
        root = selectors.get_coverage_root_for_user(request.user, request.GET["unit"])
    elif roots:
        root = roots[0]
    year = _year(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in PlanKind.values else PlanKind.STUDY
    tree = violations = None
    if root is not None:
        tree = selectors.coverage_tree(root=root, year=year, kind=kind)
        violations = dates.check(root=root, year=year)
    return render(
        request,
        "plans/coverage.html",
        {
            "roots": roots,
            "root": root,
            "year": year,
            "kind": kind,
            "kinds": PlanKind.choices,
            "tree": tree,
            "violations": violations,
            "years": range(timezone.localdate().year + 1, 2016, -1),
        },
    )

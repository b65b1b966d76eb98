"""The employer's pages of werknemers: the list, adding one, one record (read and edit), ending
the employment and the sync with the HR system's file: upload, preview, apply (issue 23,
verzuim/hr_sync.py) (SE-9: scoped by queries; SE-7: a record read is audited)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.errors import Conflict, require
from accounts.gates import gate
from accounts.viewhelpers import posted, search_term
from core.pagination import EstimatedCountPaginator
from privacy import audit
from privacy.models import AuditAction
from verzuim import hr_sync, policies, queries
from verzuim.actions import werknemer as werknemer_actions
from verzuim.forms import CsvImportForm, EndEmploymentForm, SyncApplyForm, WerknemerForm, submit
from verzuim.models import Noodinformatie, WerknemerSync

# A preview lists at most this many rows per kind (the counts are always whole).
PREVIEW_ROWS = 500


@gate(policies.can_view_werknemers)
def werknemer_list(request):
    q, searched = search_term(request, "werknemers")
    if searched:
        return searched
    rows = queries.werknemers_visible_to(request.user).select_related("organisation")
    if q:
        rows = rows.filter(queries.werknemer_search(q))
    # A search finds every match before ordering them: the count comes with the page's keys
    # (issue 20, item 2; core/pagination.py).
    page = EstimatedCountPaginator(
        rows.order_by("last_name", "first_name", "pk"), queries.PAGE_SIZE, count_with_page=bool(q)
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "verzuim/werknemer_list.html",
        {
            "page": page,
            "q": q,
            "can_manage": policies.can_manage_werknemers(request.user),
        },
    )


@gate(policies.can_manage_werknemers)
def werknemer_create(request):
    form = WerknemerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        werknemer = submit(
            form,
            werknemer_actions.create_werknemer,
            by=request.user,
            organisation=request.user.organisation,
            request=request,
            **data,
        )
        if werknemer is not None:
            messages.success(request, f"{werknemer.full_name} is toegevoegd.")
            return redirect("verzuim:werknemer", pk=werknemer.pk)
    return render(request, "verzuim/werknemer_form.html", {"form": form, "creating": True})


def werknemer_detail(request, pk):
    werknemer = queries.werknemer_for(request.user, pk)
    require(policies.can_view_werknemers(request.user))
    can_manage = policies.can_manage_werknemers(request.user)
    form = None
    if can_manage:
        form = WerknemerForm(
            posted(request), instance=werknemer, initial={"version": werknemer.version}
        )
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            saved = submit(
                form,
                werknemer_actions.update_werknemer,
                by=request.user,
                werknemer=werknemer,
                version=form.cleaned_data["version"] or 0,
                request=request,
                **data,
            )
            if saved is not None:
                messages.success(request, "De gegevens zijn opgeslagen.")
                return redirect("verzuim:werknemer", pk=werknemer.pk)
    elif request.method == "POST":
        raise PermissionDenied
    cases = list(werknemer.ziekmeldingen.all()[:20])
    audit.record(
        AuditAction.READ,
        "verzuim.werknemer",
        [werknemer.pk],
        subject=werknemer.pseudonym,
        detail="werknemer ingezien",
        request=request,
    )
    return render(
        request,
        "verzuim/werknemer_detail.html",
        {
            "werknemer": werknemer,
            "form": form,
            "cases": cases,
            "can_manage": can_manage,
            "end_form": EndEmploymentForm() if can_manage else None,
            "noodinformatie": Noodinformatie.objects.filter(werknemer=werknemer).first(),
        },
    )


@require_POST
def werknemer_end_employment(request, pk):
    werknemer = queries.werknemer_for(request.user, pk)
    require(policies.can_manage_werknemers(request.user))
    form = EndEmploymentForm(request.POST)
    if form.is_valid():
        try:
            werknemer_actions.end_employment(
                by=request.user,
                werknemer=werknemer,
                end_date=form.cleaned_data["end_date"],
                request=request,
            )
        except (ValidationError, Conflict) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "De uitdienstdatum is vastgelegd.")
    else:
        messages.error(request, "Geef een geldige uitdienstdatum.")
    return redirect("verzuim:werknemer", pk=werknemer.pk)


@gate(policies.can_manage_werknemers)
def werknemer_import(request):
    """Step 1 of a sync with the HR system: the file is read and checked; with no error it is
    kept as a preview (nothing changes yet), with any error nothing is kept at all."""
    organisation = request.user.organisation
    form = CsvImportForm(posted(request), request.FILES if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        _, plan = hr_sync.plan_file(organisation=organisation, content=content)
        problems = plan.problems
        if not problems:
            sync = hr_sync.stage(by=request.user, content=content, plan=plan)
            return redirect("verzuim:werknemer_sync", pk=sync.pk)
    recent = WerknemerSync.objects.filter(
        organisation=organisation, status=WerknemerSync.Status.APPLIED
    ).select_related("by")[:10]
    return render(
        request,
        "verzuim/werknemer_import.html",
        {"form": form, "problems": problems, "recent": recent},
    )


@gate(policies.can_manage_werknemers)
def werknemer_sync(request, pk):
    """Step 2: the preview — new, changed (old → new), missing, flags — and applying it."""
    sync = queries.sync_for(request.user, pk)
    if sync.status == WerknemerSync.Status.APPLIED:
        return render(request, "verzuim/werknemer_sync.html", {"sync": sync})
    organisation = request.user.organisation
    rows, plan = hr_sync.plan_file(organisation=organisation, content=bytes(sync.content))
    guard = plan.guard(end_missing=True)
    form = SyncApplyForm(posted(request), has_missing=bool(plan.missing), needs_confirm=bool(guard))
    problems = plan.problems
    if request.method == "POST" and not problems and form.is_valid():
        try:
            _, summary = hr_sync.apply_sync(
                by=request.user,
                organisation=organisation,
                rows=rows,
                complete=True,
                source=WerknemerSync.Source.FILE,
                fingerprint=sync.fingerprint,
                end_missing_on=form.end_missing_on,
                confirm=form.cleaned_data.get("confirm", False),
                request=request,
                sync=sync,
            )
        except hr_sync.PlanChanged:
            sync.fingerprint = plan.fingerprint()
            sync.save(update_fields=["fingerprint"])
            messages.warning(
                request,
                "De werknemers zijn gewijzigd sinds dit voorbeeld werd gemaakt. Hieronder staat "
                "wat het bestand nu zou veranderen; controleer het en pas het opnieuw toe.",
            )
        except hr_sync.ConfirmationRequired as refusal:
            form.add_error("confirm", "Bevestig eerst: " + "; ".join(refusal.reasons) + ".")
        except ValidationError as error:
            problems = [hr_sync.Problem(0, message) for message in error.messages]
        else:
            messages.success(
                request,
                f"Toegepast: {summary.created_count} nieuw, {summary.changed_count} gewijzigd, "
                f"{summary.ended_count} uit dienst, {summary.unchanged_count} ongewijzigd.",
            )
            return redirect("verzuim:werknemer_sync", pk=sync.pk)
    limit = PREVIEW_ROWS
    return render(
        request,
        "verzuim/werknemer_sync.html",
        {
            "sync": sync,
            "plan": plan,
            "problems": problems,
            "form": form,
            "guard": guard,
            "guard_without_missing": plan.guard(end_missing=False),
            "created": plan.created[:limit],
            "changed": plan.changed[:limit],
            "missing": plan.missing[:limit],
            "limit": limit,
        },
    )

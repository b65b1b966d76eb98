"""The employer's pages of werknemers: the list, adding one, one record (read and edit), ending
the employment and the CSV import (SE-9: scoped by queries; SE-7: a record read is audited)."""

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
from verzuim import policies, queries
from verzuim.actions import werknemer as werknemer_actions
from verzuim.forms import CsvImportForm, EndEmploymentForm, WerknemerForm, submit
from verzuim.models import Noodinformatie


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
    form = CsvImportForm(posted(request), request.FILES if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        created, problems = werknemer_actions.import_werknemers_csv(
            by=request.user,
            organisation=request.user.organisation,
            content=form.cleaned_data["file"].read(),
            request=request,
        )
        if not problems:
            messages.success(request, f"{len(created)} werknemers geïmporteerd.")
            return redirect("verzuim:werknemers")
    return render(request, "verzuim/werknemer_import.html", {"form": form, "problems": problems})

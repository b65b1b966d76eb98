"""The completeness page of a case's re-integratieverslag (RI-12, RI-1): every part UWV needs,
present, missing or out of date, signed or not, what exactly is lacking and where it is made.

Werkgever and HR of the organisation and the assigned bedrijfsarts open it
(policies.can_see_completeness); the doctor also sees whether the medical part exists, as
yes/no only (RI-4). Nothing here shows content of a document: statuses, dates and counts from
reintegratie.completeness, the doctor's documents through medisch.public. Audited (SE-7).
"""

from django.shortcuts import render
from django.urls import reverse

from accounts.errors import require
from reintegratie import bundle, completeness, policies, queries
from reintegratie.viewhelpers import log_read

# Where each employer part is made: (url name, anchor, the policy that lets one make it there).
_EMPLOYER_PAGES = {
    "plan_van_aanpak": ("reintegratie:plan", "#bewerken", policies.can_read_plan),
    "evaluaties": ("reintegratie:plan", "#evaluaties", policies.can_read_plan),
    "eerstejaarsevaluatie": ("reintegratie:plan", "#evaluaties", policies.can_read_plan),
    "eindevaluatie": ("reintegratie:plan", "#evaluaties", policies.can_read_plan),
    "verslag_werkgever": ("reintegratie:dossier", "", policies.can_keep_dossier),
}


def _where(user, zm, part) -> tuple[str, str]:
    """(link, text) of the place the part is made, for this user; no link where they cannot
    go."""
    if part.made_by == completeness.DOCTOR:
        if policies.sees_medical_presence(user, zm.organisation_id):
            return reverse("medisch:index"), "in het medisch dossier"
        return "", "wordt gemaakt en vrijgegeven door de bedrijfsarts"
    name, anchor, allowed = _EMPLOYER_PAGES[part.key]
    if allowed(user, zm.organisation_id):
        label = "re-integratiedossier" if name == "reintegratie:dossier" else "plan van aanpak"
        return reverse(name, args=[zm.pk]) + anchor, label
    return "", "wordt gemaakt door HR in het re-integratiedossier"


def volledigheid(request, pk):
    zm = queries.case_for(request.user, pk)
    require(policies.can_see_completeness(request.user, zm.organisation_id))
    result = completeness.check(zm)
    doctor = policies.sees_medical_presence(request.user, zm.organisation_id)
    rows = [(part, *_where(request.user, zm, part)) for part in result.parts]
    log_read(
        request,
        "reintegratie.volledigheid",
        [zm.pk],
        zm.werknemer,
        "volledigheid re-integratieverslag ingezien",
    )
    can_make = policies.can_keep_dossier(request.user, zm.organisation_id)
    bundels = list(queries.bundles_visible_to(request.user).filter(case_id=zm.case_id))
    return render(
        request,
        "reintegratie/volledigheid.html",
        {
            "can_make": can_make,
            "bundle_lacking": bundle.lacking(zm, checked=result) if can_make else [],
            "bundels": bundels,
            "bundle_current": bool(bundels) and bundle.is_current(bundels[0], zm),
            "zm": zm,
            "result": result,
            "rows": rows,
            "doctor": doctor,
            "medical_part": completeness.medical_part(zm) if doctor else None,
        },
    )

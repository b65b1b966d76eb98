"""AV-1 (AVG art. 30): the record of processing activities (verwerkingsregister), generated from
the retention registry — each category's purpose, legal basis, data subjects, personal data,
recipients, retention rows (RT-1..5, with their source) and security measures — plus the
personal data that lives outside the purge, with the reason. Nothing here is typed twice: a
change in the registry or the rule table is a change in the register."""

from . import registry


def _model_label(model) -> str:
    return str(model._meta.verbose_name)


def _rule_row(rule) -> dict:
    return {
        "rule_id": rule.rule_id,
        "key": rule.key,
        "label": rule.label,
        "period": str(rule.period),
        "starts": rule.starts,
        "source": rule.source,
        "max_extension": str(rule.max_extension) if rule.max_extension else None,
    }


def build() -> dict:
    categories = [
        {
            "key": cat.key,
            "label": cat.label,
            "purpose": cat.purpose,
            "legal_basis": cat.legal_basis,
            "subjects": cat.subjects,
            "personal_data": [_model_label(cat.model), *(_model_label(m) for m in cat.members)],
            "recipients": cat.recipients,
            "retention": [_rule_row(rule) for rule in cat.rule_rows],
            "security": cat.security,
        }
        for cat in registry.categories()
    ]
    outside = sorted(
        (
            {"model": _model_label(model), "app": model._meta.app_label, "reason": reason}
            for model, reason in registry.declared_outside_purge().items()
        ),
        key=lambda row: (row["app"], row["model"]),
    )
    return {"rule": "AV-1", "categories": categories, "outside_purge": outside}


CSV_HEADER = [
    "categorie",
    "omschrijving",
    "doel",
    "grondslag",
    "betrokkenen",
    "persoonsgegevens",
    "ontvangers",
    "regel",
    "termijn",
    "startmoment",
    "maximale verlenging",
    "bron",
    "beveiliging",
]


def csv_rows(register: dict):
    """One row per category × retention rule; then the records outside the purge."""
    yield CSV_HEADER
    for cat in register["categories"]:
        for rule in cat["retention"]:
            yield [
                cat["key"],
                cat["label"],
                cat["purpose"],
                cat["legal_basis"],
                cat["subjects"],
                "; ".join(cat["personal_data"]),
                cat["recipients"],
                rule["rule_id"],
                rule["period"],
                rule["starts"],
                rule["max_extension"] or "",
                rule["source"],
                cat["security"],
            ]
    for row in register["outside_purge"]:
        yield [
            f"{row['app']} (buiten de opschoning)",
            row["model"],
            "",
            "",
            "",
            row["model"],
            "",
            "",
            "",
            "",
            "",
            row["reason"],
            "",
        ]

"""The doelgroep API's serializers (DG-1..5, DG-8): only the fields the law allows — no reason
of registration, sickness or benefit history, ethnicity or criminal record
(tests/doelgroep/test_schema.py scans this module); the full BSN is write-only input (DG-2)."""

from rest_framework import serializers

from doelgroep.actions.noriskpolis import pays_only_after_13_weeks
from doelgroep.models import CheckedVia, NoRiskPolis, Ondersteuningsmaatregel, Registercheck, Vog

# --- Serializers (read) ---------------------------------------------------------------------------


class RegistercheckSerializer(serializers.ModelSerializer):
    """DG-1, DG-2: whether, when and how — never the reason, never the full BSN."""

    bsn_masked = serializers.CharField(read_only=True, help_text="Alleen de laatste drie cijfers.")

    class Meta:
        model = Registercheck
        fields = ["in_register", "checked_on", "checked_via", "bsn_masked"]
        read_only_fields = fields


class NoRiskPolisSerializer(serializers.ModelSerializer):
    """DG-3, DG-4: yes/no, the one category the law requires, a WIA decision date."""

    pays_only_after_13_weeks = serializers.SerializerMethodField(
        help_text="De polis keert pas na 13 weken ziekte uit (56+ met 52 weken WW)."
    )

    class Meta:
        model = NoRiskPolis
        fields = [
            "asked_on",
            "applies",
            "category_56_plus_ww",
            "pays_only_after_13_weeks",
            "wia_decision_on",
        ]
        read_only_fields = fields

    def get_pays_only_after_13_weeks(self, polis) -> bool:
        return pays_only_after_13_weeks(
            category_56_plus_ww=polis.category_56_plus_ww,
            employment_start=polis.werknemer.employment_start,
        )


class VogSerializer(serializers.ModelSerializer):
    """DG-8: only whether a VOG was provided, and when."""

    class Meta:
        model = Vog
        fields = ["provided", "provided_on"]
        read_only_fields = fields


class MaatregelSerializer(serializers.ModelSerializer):
    """DG-5: a support measure (read, and the body of POST .../maatregelen/)."""

    class Meta:
        model = Ondersteuningsmaatregel
        fields = ["kind", "start_on", "end_on"]


class DoelgroepWerknemerSerializer(serializers.Serializer):
    """A werknemer as the doelgroep administration sees them (DG-1..5, DG-8). A part not
    recorded yet is null."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="full_name", read_only=True)
    department = serializers.CharField(read_only=True)
    registercheck = RegistercheckSerializer(read_only=True, allow_null=True)
    noriskpolis = NoRiskPolisSerializer(read_only=True, allow_null=True)
    vog = VogSerializer(read_only=True, allow_null=True)
    maatregelen = MaatregelSerializer(source="ondersteuningsmaatregelen", many=True, read_only=True)


# --- Serializers (write) --------------------------------------------------------------------------


class RegistercheckInputSerializer(serializers.Serializer):
    """DG-1, DG-2: the BSN only when checked via the BSN; it is validated (11-proef), stored
    encrypted and never returned."""

    in_register = serializers.BooleanField()
    checked_on = serializers.DateField()
    checked_via = serializers.ChoiceField(choices=CheckedVia.choices)
    bsn = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=16,
        write_only=True,
        help_text="Alleen bij controle via het BSN; versleuteld opgeslagen, daarna alleen "
        "gemaskeerd getoond.",
    )


class NoRiskPolisInputSerializer(serializers.Serializer):
    """DG-3: asked only after more than two months of employment; yes/no."""

    asked_on = serializers.DateField()
    applies = serializers.BooleanField()
    category_56_plus_ww = serializers.BooleanField(required=False, default=False)
    wia_decision_on = serializers.DateField(required=False, allow_null=True, default=None)


# --- The inclusion report (DG-5, DG-7) ------------------------------------------------------------


class ReportRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Afdeling, jaar of land — nooit een naam.")
    cells = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(
        allow_null=True, help_text="null: onderdrukt of niet gepubliceerd."
    )


class ReportTableSerializer(serializers.Serializer):
    """A k-anonymous count table: a number is null where it is suppressed (DG-5)."""

    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = ReportRowSerializer(many=True)
    column_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    grand_total = serializers.IntegerField(allow_null=True)
    row_totals_published = serializers.BooleanField(
        help_text="Onwaar: deze tabel publiceert geen rijtotalen (total en grand_total null)."
    )
    k = serializers.IntegerField(help_text="Drempel: kleinere aantallen worden onderdrukt.")


def table_data(title, table) -> dict:
    published = table.show_row_totals
    return {
        "title": title,
        "columns": list(table.col_labels),
        "rows": [
            {"label": label, "cells": cells, "total": total if published else None}
            for label, cells, total in table.rows()
        ],
        "column_totals": table.col_totals(),
        "grand_total": table.grand_total if published else None,
        "row_totals_published": published,
        "k": table.k,
    }

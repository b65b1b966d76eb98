"""Issue 18 item 5 for the medical forms and API (core/limits.py): the doctor's long notes show
their limit without cutting pasted text, and page and API take as much of the same text. The
walk over every form and serializer is tests/test_field_limits.py."""

import pytest


def test_multiline_fields_show_their_limit_and_do_not_cut_pasted_text():
    from medisch.forms import ConsultForm

    form = ConsultForm()
    anamnesis = form["anamnesis"]
    assert "Maximaal 20.000 tekens." in str(anamnesis.help_text)
    assert "maxlength" not in str(anamnesis)
    # a one-line field keeps the browser's own limit
    assert 'maxlength="32"' in str(form["diagnosis_code"])


@pytest.mark.django_db
def test_page_form_and_api_agree_on_the_limit_of_the_same_text():
    """Limits by name (limits.BY_NAME): the doctor's consult page and the API take as much."""
    from medisch.api.serializers import MedischConsultSerializer
    from medisch.forms import ConsultForm

    api_fields = MedischConsultSerializer().fields
    for name in ("anamnesis", "findings", "diagnosis", "policy"):
        assert ConsultForm.base_fields[name].max_length == api_fields[name].max_length

"""docs/rules.md, the rules catalogue, against the tests (issue 16, item 7). No database.

The catalogue lists every rule with the tests that name it; config/rules_catalogue.py generates
those lists. These tests keep the three in step: every rule has a test, the generated lists are
current, and no test cites a rule the catalogue does not have.
"""

import difflib

import pytest

from config import rules_catalogue as rc

# Rules no test names today, each with why. Reported, not hidden: the check below fails as soon
# as one of them gains a test (remove it here then) or another rule loses its last one.
KNOWN_UNTESTED: dict[str, str] = {}


@pytest.fixture(scope="module")
def catalogue():
    current, regenerated = rc.generate()
    return current, regenerated


def test_every_rule_in_the_catalogue_is_named_by_a_test(catalogue):
    """Protects the contract of the catalogue: each rule is proven by at least one test that
    names it (in its name, docstring or a comment), so a rule cannot sit in docs/rules.md
    unproven — except the ones listed in KNOWN_UNTESTED, which must stay exactly that list."""
    current, _ = catalogue
    rules = rc.rules_in(current)
    assert rules, "docs/rules.md lists no rules ('### XX-n' headings)"
    linked = rc.links()
    untested = [rule_id for rule_id in rules if not linked.get(rule_id)]
    new_gaps = [rule_id for rule_id in untested if rule_id not in KNOWN_UNTESTED]
    assert not new_gaps, (
        f"no test names {', '.join(new_gaps)}: write a test that proves it and name the rule "
        "in the test's name or docstring"
    )
    now_tested = sorted(set(KNOWN_UNTESTED) - set(untested))
    assert not now_tested, (
        f"{', '.join(now_tested)} now has a test (or left the catalogue): remove it from "
        "KNOWN_UNTESTED in tests/test_rules_catalogue.py"
    )


def test_every_rule_says_where_the_code_enforces_it(catalogue):
    """Protects the catalogue as a map from a rule to the code that carries it (issue 16): every
    rule is cited by at least one module, class or function of the application, except the
    rules not built yet (KNOWN_UNTESTED), which must not be cited either."""
    current, _ = catalogue
    enforced = rc.enforcement()
    missing = [r for r in rc.rules_in(current) if r not in enforced and r not in KNOWN_UNTESTED]
    assert not missing, (
        f"no application code cites {', '.join(missing)}: name the rule in the docstring or a "
        "comment of the policy, action or model that enforces it"
    )


def test_the_generator_names_the_innermost_definition_around_a_citation(tmp_path):
    """Protects what 'Enforced in' points at: a citation inside a method is listed as
    Class.method, one at module level as the file alone."""
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "policies.py").write_text(
        '"""SE-2 at module level."""\n\n\nclass Gate:\n    def check(self):\n'
        "        return 1  # SE-8: the idle limit\n",
        encoding="utf-8",
    )
    places = rc.places_in_module(tmp_path / "accounts" / "policies.py", root=tmp_path)
    assert places == {
        "SE-2": {"accounts/policies.py"},
        "SE-8": {"accounts/policies.py::Gate.check"},
    }


def test_generated_part_of_the_catalogue_is_up_to_date(catalogue):
    """Protects docs/rules.md as the one place to read which test proves which rule: the
    generated lists must equal what the generator makes from the tests as they are now, so a
    new test or rule without regenerating fails here."""
    current, regenerated = catalogue
    if current != regenerated:
        diff = "".join(
            list(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    regenerated.splitlines(keepends=True),
                    "docs/rules.md",
                    "regenerated",
                    n=1,
                )
            )[:40]
        )
        pytest.fail(
            f"docs/rules.md is out of date: run `{rc.COMMAND}` and commit the result\n{diff}",
            pytrace=False,
        )


def test_every_rule_cited_in_the_tests_is_in_the_catalogue(catalogue):
    """Protects against a test citing a rule that does not exist (a typo, a renumbered or
    removed rule): every rule ID written anywhere under tests/ must have its entry in
    docs/rules.md."""
    current, _ = catalogue
    known = set(rc.rules_in(current))
    unknown = {
        rule_id: sorted(files)
        for rule_id, files in rc.cited_anywhere().items()
        if rule_id not in known
    }
    assert not unknown, f"tests cite rules that docs/rules.md does not have: {unknown}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("test_se8_idle_session_expires", ["SE-8"]),
        ("test_se_8_idle_session_expires", ["SE-8"]),
        ("test_rt1_rt2_case_keep_until", ["RT-1", "RT-2"]),
        ("test_filing_stores_only_zm1_items", ["ZM-1"]),
        ("test_ri10_aanmelding", ["RI-10"]),
        ("test_se_bad_input_is_400", []),
        ("test_case_2_closes", []),
        ("test_verify_md5sum", []),
    ],
)
def test_the_generator_reads_the_forms_tests_use_to_name_a_rule(name, expected):
    """Protects the generator's reading of test names: the lowercase forms the suite uses
    (family and number, with or without an underscore) link a rule; words that merely start
    with a family's letters do not."""
    assert rc.ids_in_name(name) == expected


def test_the_generator_refuses_a_rule_without_its_marker_block():
    """Protects the catalogue's shape: a rule added by hand without its tests:begin/end markers
    is an error with a message, not a rule silently left without its test list."""
    text = "<!-- summary:begin -->\n<!-- summary:end -->\n### ZM-1\n\ntext\n"
    with pytest.raises(rc.CatalogueError, match="ZM-1"):
        rc.render(text, {})

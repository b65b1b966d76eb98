"""Issue 18 item 6: no rule codes (RT-6, AV-1, MD-2 …) and no raw paths ("/doelgroep/verklaring/")
in what a person reads. Rule IDs belong in code comments, docstrings and tests; a page says what
the rule means instead, and a link says where to go.

Every page of the authorization matrix is opened — by the first role that may open it, and by
the first that is refused, whose 403 page says why — and its visible text (text nodes and the
attributes a person reads: title, placeholder, aria-label, alt, value of buttons) is searched.
The messages and field texts the pages show after a POST are searched in the source: every
string given to django.contrib.messages, a ValidationError, a PermissionDenied, or a form or
serializer field's label or help_text (the API's documentation is read by people too).
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from accounts.roles import Role
from tests.security.matrix import accounts, doelgroep, medisch, privacy, reintegratie, verzuim
from tests.security.matrix._base import (
    ADMIN_GROUP,
    DG_ROLE,
    FORBIDDEN,
    OK,
    PATTERNS_BY_KEY,
    UNSIGNED,
    build_path,
    path_values,
)

pytestmark = pytest.mark.django_db

RULE_CODE = re.compile(r"\b[A-Z]{2}-\d+\b")
RAW_PATH = re.compile(r"(?<![\w.:/])/[a-z][a-z0-9_-]*/(?:[a-z0-9_-]+/)*")
READABLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "doelgroep", "medisch", "privacy", "reintegratie", "retention", "verzuim"]


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (
                name in READABLE_ATTRIBUTES
                or (name == "value" and tag == "input" and ("type", "submit") in attrs)
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def jargon(text: str) -> list[str]:
    return RULE_CODE.findall(text) + RAW_PATH.findall(text)


def test_the_patterns_catch_what_they_should():
    assert jargon("Niet toegestaan (RT-6).") == ["RT-6"]
    assert jargon("Onderteken haar eerst op /doelgroep/verklaring/.") == ["/doelgroep/verklaring/"]
    assert jargon("Stand op 23-11-2026, 2/3 van de records, en/of later, t/m week 6.") == []
    assert visible_text('<p title="AV-1">x</p><script>var a="/b/c/";</script>') == "AV-1 x"


def _page_cases():
    modules = (accounts, verzuim, medisch, reintegratie, doelgroep, privacy)
    for module in modules:
        for key, checks in module.EXPECTED.items():
            if key == ADMIN_GROUP:
                continue
            for check in checks:
                if check.method != "GET":
                    continue
                for pattern in PATTERNS_BY_KEY.get(key, []):
                    if pattern.route.startswith("api/") or pattern.is_format_suffix:
                        continue
                    allowed = [a for a in Role.values if check.outcomes.get(a) == OK]
                    refused = [
                        a
                        for a in Role.values
                        if check.outcomes.get(a) in (FORBIDDEN, UNSIGNED, DG_ROLE)
                    ]
                    for actor in allowed[:1] + refused[:1]:
                        yield key, check, pattern, actor


def test_no_rule_codes_or_paths_on_any_page(world, client_for):
    found = []
    seen = set()
    for _key, check, pattern, actor in _page_cases():
        path = build_path(pattern, path_values(world, check.target, world.user(actor)))
        if (path, actor) in seen:
            continue
        seen.add((path, actor))
        response = client_for(actor).get(path)
        if "html" not in response.get("Content-Type", ""):
            continue
        words = jargon(visible_text(response.content.decode()))
        if words:
            found.append(f"{path} ({actor}): {sorted(set(words))}")
    assert len(seen) > 60
    assert not found, "rule codes or raw paths in page text:\n" + "\n".join(found)


# --- Messages and field texts, in the source ----------------------------------------------------
MESSAGE_FUNCTIONS = {"success", "info", "warning", "error", "add_message"}
RAISED = {"ValidationError", "PermissionDenied", "AccountRefused", "Refused"}
FIELD_TEXTS = {"label", "help_text", "empty_label"}


def _strings(node) -> list[str]:
    out = []
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            out.append(child.value)
    return out


def _user_texts(tree):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        if (owner == "messages" and name in MESSAGE_FUNCTIONS) or name in RAISED:
            for arg in node.args[:1]:
                yield node.lineno, _strings(arg)
        for keyword in node.keywords:
            if keyword.arg in FIELD_TEXTS or (keyword.arg == "message" and name in RAISED):
                yield node.lineno, _strings(keyword.value)


def test_no_rule_codes_or_paths_in_messages_and_field_texts():
    found = []
    for app in APPS:
        for source in sorted((ROOT / app).rglob("*.py")):
            # Models' help texts reach a person through a form, whose page the walk above
            # reads (a form may override one; changing the model's needs a migration).
            if "migrations" in source.parts or "models" in source.parts:
                continue
            if source.name == "models.py":
                continue
            tree = ast.parse(source.read_text(), str(source))
            for line, texts in _user_texts(tree):
                words = jargon(" ".join(texts))
                if words:
                    found.append(f"{source.relative_to(ROOT)}:{line}: {words}")
    assert not found, "rule codes or raw paths in messages/labels:\n" + "\n".join(found)

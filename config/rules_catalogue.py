"""The rules catalogue's generator: which tests prove which rule (docs/rules.md).

docs/rules.md holds every rule of the project (ID, text, source), written by hand, and after
each rule a generated list of the tests that name it, between marker comments:

    <!-- tests:begin MD-2 -->
    ...generated...
    <!-- tests:end MD-2 -->

plus one generated overview between ``<!-- summary:begin -->`` and ``<!-- summary:end -->``.

Each generated list first says where the rule is *enforced*: every module, class or function
of the application (the packages in ``CODE_PACKAGES``, migrations left out) whose text — a
docstring, a comment, a message — cites the rule ID, named ``path::Class.function`` (the
innermost definition around the citation; ``path`` alone for module level). So a newcomer
goes from a rule to the code that carries it, and to the tests that prove it.

A test names a rule in its function name (``test_se8_...``, ``test_rt1_rt2_...``,
``test_se_8_...``: lowercase, with or without an underscore before the number), in its
docstring or in a comment inside it (``SE-8``, the form RULES.md writes). A test is every
function called ``test_*`` in a ``.py`` file under tests/, also one made inside a factory (the
authorization matrix's ``test_matrix`` is listed where it is defined, in
tests/security/matrix/_base.py). Module docstrings do not link a rule: they name no test.

    python -m config.rules_catalogue          # rewrite the generated parts of docs/rules.md
    python -m config.rules_catalogue --check  # exit 1 when docs/rules.md is out of date

tests/test_rules_catalogue.py runs render() in memory and fails when the file differs, when a
rule has no test, or when a test cites a rule the catalogue does not have.
"""

import argparse
import ast
import io
import re
import sys
import tokenize
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "docs" / "rules.md"
TESTS = ROOT / "tests"
# The application's packages, whose citations of a rule say where it is enforced.
CODE_PACKAGES = (
    "accounts",
    "verzuim",
    "medisch",
    "reintegratie",
    "doelgroep",
    "privacy",
    "retention",
    "encryption",
    "core",
    "config",
)
COMMAND = "python -m config.rules_catalogue"

# Families in the order of the catalogue.
PREFIXES = ("ZM", "MD", "RI", "DG", "AV", "RT", "SE")
RULE_ID = re.compile(r"\b(ZM|MD|RI|DG|SE|RT|AV)-(\d+)\b")
NAME_TOKEN = re.compile(r"(zm|md|ri|dg|se|rt|av)(\d+)")
HEADING = re.compile(r"^### ((?:ZM|MD|RI|DG|SE|RT|AV)-\d+)\s*$", re.MULTILINE)
BLOCK = re.compile(
    r"(<!-- tests:begin (?P<id>[A-Z]{2}-\d+) -->\n)(?P<body>.*?)(<!-- tests:end (?P=id) -->)",
    re.DOTALL,
)
SUMMARY = re.compile(r"(<!-- summary:begin -->\n)(?P<body>.*?)(<!-- summary:end -->)", re.DOTALL)


class CatalogueError(Exception):
    """docs/rules.md is malformed (a rule without its marker block, a stray block)."""


def sort_key(rule_id):
    prefix, number = rule_id.split("-")
    return (PREFIXES.index(prefix), int(number))


def ids_in_name(name):
    """Rule IDs a test function's name cites: test_se8_x, test_rt1_rt2_x, test_se_8_x."""
    tokens = name.lower().split("_")
    found = []
    for i, token in enumerate(tokens):
        match = NAME_TOKEN.fullmatch(token)
        if match:
            found.append(f"{match[1].upper()}-{int(match[2])}")
        elif token.upper() in PREFIXES and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            found.append(f"{token.upper()}-{int(tokens[i + 1])}")
    return found


def ids_in_text(text):
    """Rule IDs written as RULES.md writes them (SE-8) in a docstring or comment."""
    return [f"{prefix}-{int(number)}" for prefix, number in RULE_ID.findall(text or "")]


def test_files(tests_dir=TESTS):
    return sorted(p for p in tests_dir.rglob("*.py") if "__pycache__" not in p.parts)


def _comments(source):
    """{line number: comment text} of one module."""
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string
    return comments


def tests_in_module(path, root=ROOT):
    """(node id, {rule IDs}) for every test function in one file, in source order."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    comments = _comments(source)
    relative = path.relative_to(root).as_posix()
    found = []

    def visit(node, qualifier):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, [*qualifier, child.name])
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if child.name.startswith("test_"):
                    first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    ids = set(ids_in_name(child.name))
                    ids.update(ids_in_text(ast.get_docstring(child)))
                    for line in range(first, child.end_lineno + 1):
                        ids.update(ids_in_text(comments.get(line)))
                    found.append(("::".join([relative, *qualifier, child.name]), ids))
                visit(child, qualifier)

    visit(tree, [])
    return found


def code_files(root=ROOT):
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts and "migrations" not in path.parts:
                yield path


def places_in_module(path, root=ROOT):
    """{rule ID: places} cited in one application module, a place being ``path::qualname`` of
    the innermost class or function around the citation, or ``path`` at module level."""
    source = path.read_text(encoding="utf-8")
    relative = path.relative_to(root).as_posix()
    scopes = []  # (first line, last line, qualname), outer before inner

    def visit(node, qualifier):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = [*qualifier, child.name]
                first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                scopes.append((first, child.end_lineno, ".".join(name)))
                visit(child, name)

    visit(ast.parse(source, filename=str(path)), [])
    found = defaultdict(set)
    for number, line in enumerate(source.splitlines(), start=1):
        ids = ids_in_text(line)
        if not ids:
            continue
        inner = [name for first, last, name in scopes if first <= number <= last]
        place = f"{relative}::{inner[-1]}" if inner else relative
        for rule_id in ids:
            found[rule_id].add(place)
    return found


def enforcement(root=ROOT):
    """{rule ID: sorted places in the application code that cite it}."""
    result = defaultdict(set)
    for path in code_files(root):
        for rule_id, places in places_in_module(path, root).items():
            result[rule_id].update(places)
    return {rule_id: sorted(places) for rule_id, places in result.items()}


def links(tests_dir=TESTS, root=ROOT):
    """{rule ID: sorted node ids of the tests that name it}."""
    result = defaultdict(set)
    for path in test_files(tests_dir):
        for node_id, ids in tests_in_module(path, root):
            for rule_id in ids:
                result[rule_id].add(node_id)
    return {rule_id: sorted(node_ids) for rule_id, node_ids in result.items()}


def cited_anywhere(tests_dir=TESTS, root=ROOT):
    """{rule ID: files} for every rule ID written anywhere in tests/ (names, strings, comments,
    module docstrings) or cited by a test function's name."""
    result = defaultdict(set)
    for path in test_files(tests_dir):
        relative = path.relative_to(root).as_posix()
        for rule_id in ids_in_text(path.read_text(encoding="utf-8")):
            result[rule_id].add(relative)
        for _node_id, ids in tests_in_module(path, root):
            for rule_id in ids:
                result[rule_id].add(relative)
    return dict(result)


def rules_in(text):
    """The rule IDs of the catalogue, in its order (its ``### XX-n`` headings)."""
    return HEADING.findall(text)


def _block(node_ids, places=()):
    lines = []
    if places:
        lines += [f"Enforced in ({len(places)}):", ""]
        lines += [f"- `{place}`" for place in places]
    else:
        lines.append("No application code cites this rule yet.")
    lines.append("")
    if node_ids:
        lines += [f"Tests ({len(node_ids)}):", ""]
        lines += [f"- `{node_id}`" for node_id in node_ids]
    else:
        lines.append("No test names this rule yet.")
    return "\n".join(lines) + "\n"


def _summary(rules, linked):
    tests = {node_id for rule_id in rules for node_id in linked.get(rule_id, [])}
    count = sum(len(linked.get(rule_id, [])) for rule_id in rules)
    untested = [rule_id for rule_id in rules if not linked.get(rule_id)]
    lines = [
        f"{len(rules)} rules; {len(tests)} tests name at least one of them "
        f"({count} rule–test links). Generated by `{COMMAND}`.",
        "",
    ]
    for prefix in PREFIXES:
        family = [rule_id for rule_id in rules if rule_id.startswith(prefix + "-")]
        if family:
            cells = [
                f"[{rule_id}](#{rule_id.lower()}) ({len(linked.get(rule_id, []))})"
                for rule_id in family
            ]
            lines.append(f"- **{prefix}**: " + " · ".join(cells))
    lines.append("")
    if untested:
        lines.append("Rules no test names yet: " + ", ".join(untested) + ".")
    else:
        lines.append("Every rule is named by at least one test.")
    return "\n".join(lines) + "\n"


def render(text, linked, enforced=None):
    """The catalogue with its generated parts rewritten from ``linked`` ({rule: node ids}) and
    ``enforced`` ({rule: places in the code})."""
    enforced = enforced or {}
    rules = rules_in(text)
    duplicates = sorted({r for r in rules if rules.count(r) > 1})
    if duplicates:
        raise CatalogueError(f"docs/rules.md has these rules twice: {', '.join(duplicates)}")
    blocks = [match["id"] for match in BLOCK.finditer(text)]
    missing = [r for r in rules if r not in blocks]
    stray = [b for b in blocks if b not in rules or blocks.count(b) > 1]
    if missing or stray:
        raise CatalogueError(
            "docs/rules.md: every '### XX-n' rule needs exactly one "
            "'<!-- tests:begin XX-n -->' / '<!-- tests:end XX-n -->' pair; "
            f"missing: {', '.join(missing) or '-'}; stray or doubled: {', '.join(stray) or '-'}"
        )
    if len(SUMMARY.findall(text)) != 1:
        raise CatalogueError("docs/rules.md needs one <!-- summary:begin/end --> pair")
    text = BLOCK.sub(
        lambda m: m[1] + _block(linked.get(m["id"], []), enforced.get(m["id"], [])) + m[4], text
    )
    return SUMMARY.sub(lambda m: m[1] + _summary(rules, linked) + m[3], text)


def generate(catalogue=CATALOGUE, tests_dir=TESTS, root=ROOT):
    """(current text, regenerated text) of the catalogue."""
    text = catalogue.read_text(encoding="utf-8")
    return text, render(text, links(tests_dir, root), enforcement(root))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/rules.md is stale")
    args = parser.parse_args(argv)
    current, new = generate()
    rules = rules_in(new)
    linked = links()
    untested = [r for r in rules if not linked.get(r)]
    unknown = sorted(set(cited_anywhere()) - set(rules), key=sort_key)
    if args.check:
        if current != new:
            print(f"docs/rules.md is out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        print("docs/rules.md is up to date")
    elif current != new:
        CATALOGUE.write_text(new, encoding="utf-8")
        print("docs/rules.md rewritten")
    else:
        print("docs/rules.md unchanged")
    tests = {node_id for r in rules for node_id in linked.get(r, [])}
    print(f"{len(rules)} rules, {len(tests)} tests linked")
    if untested:
        print("rules without a test: " + ", ".join(untested))
    unenforced = [r for r in rules if r not in enforcement()]
    if unenforced:
        print("rules no application code cites: " + ", ".join(unenforced))
    if unknown:
        print("tests cite rules not in the catalogue: " + ", ".join(unknown))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Small shared things no app owns (the chart geometry the statistics pages draw). Imports no
app: the contract `neutral-modules` in pyproject.toml."""

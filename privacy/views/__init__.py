"""The privacy pages, one module per subject: `statement` (AV-5, public), `datalek` (AV-4) and
`verzoek` (AV-3). urls.py imports the modules; this package re-exports nothing."""

"""Field encryption at rest, shared by medisch (MD-3) and doelgroep (the BSN, DG-2).

`crypto.py`: the keys (MEDICAL_ENCRYPTION_KEYS / MEDICAL_ENCRYPTION_KEY_FILE — the names are
historical, from when only the medical module encrypted), AES-GCM tokens, the `medisch.E001`
"no keys in production" check. `fields.py`: `EncryptedTextField`. A plain package, not an app:
it has no models, and its check registers when `crypto` is first imported (by every model module
with an encrypted field, and explicitly by medisch's AppConfig.ready).

It imports no domain app (import-linter, pyproject.toml): medisch and doelgroep use it alike,
so the BSN needs nothing from the medical module.
"""

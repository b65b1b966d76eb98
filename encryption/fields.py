"""Encrypted model field (MD-3, DESIGN.md layer 3; DG-2 for the doelgroepregister's BSN).

`EncryptedTextField` keeps free text (anamnesis, consultation notes, the BSN, ...) as an AES-GCM
token (encryption/crypto.py) in a text column. In Python the value is always plaintext `str` (or
None); tokens exist only in the database. Every non-None value is encrypted, the empty string too
(the column never holds plaintext, not even ''). The token length does reveal the plaintext
length (AES-GCM does not pad), so an empty value is recognisable by its short token.

The associated data is `"<app_label>.<model>.<field>"` (e.g. "medisch.consult.anamnesis"),
fixed when the field is attached to its model: a token copied to another column or model does
not decrypt. Consequence: renaming the model, the app or the field makes existing values
unreadable unless the old name is pinned with `EncryptedTextField(associated_data="old.label")`
or a data migration re-encrypts them. Assigning an F() expression that copies another encrypted
column stores a token that will not decrypt - don't.

Not searchable: every lookup except `isnull` raises FieldError (a filter on a ciphertext would
silently never match; searching plaintext needs a separate keyed-HMAC column). No unique/index/
db_default (a database default would be stored in plaintext). Updates go through the ORM
(save/update/bulk_update encrypt once via get_prep_value).

The check id `medisch.E010` is historical (this field began in the medical module), like the
key settings' names (encryption/crypto.py). Medical documents are encrypted by medisch's own
storage (medisch/storage.py) with the same keys.
"""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import NOT_PROVIDED

from encryption.crypto import DecryptionError, decrypt, encrypt, token_key_id

__all__ = ["DecryptionError", "EncryptedTextField"]

ALLOWED_LOOKUPS = frozenset({"isnull"})


class EncryptedTextField(models.TextField):
    """A TextField whose column holds an AES-GCM token (MD-3). See the module docstring."""

    description = "Versleutelde tekst (AES-GCM, MD-3)"

    def __init__(self, *args, associated_data: str | None = None, **kwargs):
        self.associated_data = associated_data
        self.aad: str | None = associated_data
        super().__init__(*args, **kwargs)

    # --- model wiring ------------------------------------------------------------------------

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if self.associated_data is None:
            self.aad = f"{cls._meta.label_lower}.{self.name}"

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        if self.associated_data is not None:
            kwargs["associated_data"] = self.associated_data
        return name, "encryption.fields.EncryptedTextField", args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        refused = [
            (self.primary_key, "primary_key=True"),
            (self._unique, "unique=True"),
            (self.db_index, "db_index=True"),
            (self.db_default is not NOT_PROVIDED, "db_default (stored unencrypted)"),
        ]
        for present, what in refused:
            if present:
                errors.append(
                    checks.Error(
                        f"EncryptedTextField does not support {what}: values are random "
                        "ciphertexts.",
                        obj=self,
                        id="medisch.E010",
                    )
                )
        return errors

    def _require_aad(self) -> str:
        if not self.aad:
            raise FieldError("EncryptedTextField is not attached to a model (no associated data).")
        return self.aad

    # --- conversion --------------------------------------------------------------------------

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        plaintext = decrypt(value, aad=self._require_aad())
        try:
            return plaintext.decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError("Decrypted value is not UTF-8 text.") from None

    def get_prep_value(self, value):
        # Python values are always plaintext (tokens only exist in the database), so every
        # non-None value is encrypted exactly once here - even one that looks like a token.
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(value, aad=self._require_aad())

    # --- lookups: nothing but isnull ---------------------------------------------------------

    def _refuse(self, lookup_name):
        model = self.model._meta.label if hasattr(self, "model") else "?"
        raise FieldError(
            f"Lookup '{lookup_name}' on encrypted field {model}.{self.name} is refused (MD-3): "
            "the column holds ciphertext, so only 'isnull' is possible. Search plaintext "
            "through a separate keyed-HMAC column."
        )

    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS:
            self._refuse(lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        self._refuse(lookup_name)

    # --- raw access for key rotation ---------------------------------------------------------

    @staticmethod
    def raw_key_id(token: str) -> str:
        """The key id of a raw stored token (rotate_medical_keys)."""
        return token_key_id(token)

"""Database routing for the medical separation (MD-2, layer 2; DESIGN.md).

Models of the `medisch` app are read and written through the `medisch` alias, which connects
as a PostgreSQL role that alone holds privileges on the medical tables. Everything else uses
`default`. A relation between the two sides is refused: the employer side holds no foreign
keys into medical tables.
"""

MEDICAL_APP = "medisch"
MEDICAL_ALIAS = "medisch"


class MedischRouter:
    def _alias(self, model):
        return MEDICAL_ALIAS if model._meta.app_label == MEDICAL_APP else "default"

    def db_for_read(self, model, **hints):
        return self._alias(model)

    def db_for_write(self, model, **hints):
        return self._alias(model)

    def allow_relation(self, obj1, obj2, **hints):
        medical = {obj1._meta.app_label == MEDICAL_APP, obj2._meta.app_label == MEDICAL_APP}
        # Medical models may point at shared rows (e.g. a user id), never the other way round.
        return None if len(medical) == 1 or obj1._meta.app_label == MEDICAL_APP else False

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Schema lives in one database; all migrations run through the default alias.
        return db == "default"

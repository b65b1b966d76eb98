"""The doctor's API (issue 4, item 10): the same policy (medisch.policies), scoping
(medisch.queries), forms, actions and audit as the pages. Only the medical roles get past
`common.MEDICAL_ROLE`; every employer-side role and the operator get 403 (MD-2, layer 1).

`serializers` holds the representations; the viewsets live per sub-domain (`dossier`,
`documents`, `reintegratie`, `keuring`); `urls` routes them."""

"""The operator's admin: organisations, accounts and assignments only (no medical content,
no OTP secrets). Creating a user here goes through accounts.actions.issue_account (SE-3)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin  # noqa: F401 (registers)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # noqa: F401 (registers)
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions, deletion, policies
from .models import Assignment, EigenrisicodragerPeriode, Organisation, User

# OTP secrets and backup codes never appear on the admin site.
for model in (TOTPDevice, StaticDevice, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ApplicationSideDeleteMixin:
    """Deleting on the admin site never reads a medical table as the application role, and is
    refused with a clear page while medical records refer to the object (accounts.deletion)."""

    def get_deleted_objects(self, objs, request):
        return deletion.deleted_objects(objs, request, self.admin_site)

    def delete_model(self, request, obj):
        deletion.delete([obj])

    def delete_queryset(self, request, queryset):
        deletion.delete(queryset)


class EigenrisicodragerPeriodeInline(admin.TabularInline):
    """RT-2, RT-3: when the employer bore the ZW or WGA risk itself; retention uses the period
    that covered each absence (saving one recomputes the employer's case dates)."""

    model = EigenrisicodragerPeriode
    extra = 0
    fields = ["kind", "start", "end"]


@admin.register(Organisation)
class OrganisationAdmin(ApplicationSideDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "kvk_number", "erd_zw_today", "erd_wga_today"]
    list_filter = ["kind"]
    search_fields = ["name", "kvk_number"]
    inlines = [EigenrisicodragerPeriodeInline]

    @admin.display(boolean=True, description="eigenrisicodrager ZW (nu)")
    def erd_zw_today(self, obj):
        return obj.eigenrisicodrager_on("zw")

    @admin.display(boolean=True, description="eigenrisicodrager WGA (nu)")
    def erd_wga_today(self, obj):
        return obj.eigenrisicodrager_on("wga")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "user"
    extra = 0
    fields = ["organisation", "assigned_by", "assigned_at"]
    readonly_fields = ["assigned_by", "assigned_at"]


class UserAddForm(forms.ModelForm):
    by = None  # the issuing user, set per request in UserAdmin.get_form

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "organisation"]

    def clean(self):
        data = super().clean()
        refusal = policies.issue_refusal(self.by, data.get("role"), data.get("organisation"))
        if refusal:
            raise ValidationError(refusal)
        return data


@admin.register(User)
class UserAdmin(ApplicationSideDeleteMixin, admin.ModelAdmin):
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    fields = [
        "email",
        "full_name",
        "role",
        "organisation",
        "is_active",
        "issued_by",
        "date_joined",
        "last_login",
    ]
    readonly_fields = ["email", "role", "issued_by", "date_joined", "last_login"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = type("UserAddForm", (UserAddForm,), {"by": request.user})
            kwargs["fields"] = UserAddForm.Meta.fields
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_fields(self, request, obj=None):
        return UserAddForm.Meta.fields if obj is None else self.fields

    def get_inlines(self, request, obj):
        return [AssignmentInline] if obj is not None and policies.works_by_assignment(obj) else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # New accounts only through the issuing action (SE-3).
        issued = actions.issue_account(
            by=request.user,
            email=obj.email,
            full_name=obj.full_name,
            role=obj.role,
            organisation=obj.organisation,
            request=request,
        )
        obj.pk = issued.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, Assignment) and instance.assigned_by_id is None:
                instance.assigned_by = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead; deletion is the retention purge's job

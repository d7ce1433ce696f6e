"""Django admin for the organisation: a fallback for administrators. The pages under /org/
are the everyday tools; the admin shows the raw rows and their change history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from lamtheo.org.models import (
    Employment,
    PartyMembership,
    Person,
    RoleAssignment,
    Sector,
    Unit,
    UnitSuccession,
)


@admin.register(Unit)
class UnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "kind", "doc_abbreviation", "place_name", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "code")


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(SimpleHistoryAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_on")
    list_filter = ("kind",)
    autocomplete_fields = ("predecessor", "successor")
    list_select_related = ("predecessor", "successor")


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "order")
    list_editable = ("order",)


class PartyMembershipInline(admin.TabularInline):
    model = PartyMembership
    extra = 0
    autocomplete_fields = ("cell",)


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "birth_date", "sector", "user")
    list_filter = ("sector", "gender")
    search_fields = ("full_name", "search_key", "code")
    autocomplete_fields = ("user",)
    list_select_related = ("sector", "user")
    inlines = (PartyMembershipInline, EmploymentInline)


@admin.register(PartyMembership)
class PartyMembershipAdmin(SimpleHistoryAdmin):
    list_display = ("person", "cell", "status", "valid_from", "valid_to")
    list_filter = ("status",)
    search_fields = ("person__full_name", "cell__name")
    autocomplete_fields = ("person", "cell")
    list_select_related = ("person", "cell")


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    list_display = ("person", "unit", "position", "valid_from", "valid_to")
    search_fields = ("person__full_name", "unit__name")
    autocomplete_fields = ("person", "unit")
    list_select_related = ("person", "unit")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "unit", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name")
    autocomplete_fields = ("user", "unit")
    list_select_related = ("user", "unit")

"""Django admin for programme years, their forms and contents."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lamtheo.programme.models import FormContent, FormTemplate, ProgrammeYear


class FormTemplateInline(admin.StackedInline):
    model = FormTemplate
    extra = 0
    show_change_link = True


class FormContentInline(admin.TabularInline):
    model = FormContent
    extra = 0


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "issuer", "theme_title", "mid_year_date", "year_end_date")
    list_filter = ("year",)
    search_fields = ("theme_title", "issuer__name")
    autocomplete_fields = ("issuer",)
    list_select_related = ("issuer",)
    inlines = (FormTemplateInline,)


@admin.register(FormTemplate)
class FormTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("title", "programme_year", "audience")
    list_filter = ("audience",)
    list_select_related = ("programme_year", "programme_year__issuer")
    inlines = (FormContentInline,)


@admin.register(FormContent)
class FormContentAdmin(SimpleHistoryAdmin):
    list_display = ("form", "number", "title", "holds_tasks")
    list_select_related = ("form",)

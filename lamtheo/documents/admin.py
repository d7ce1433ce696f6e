"""Django admin for spreadsheet imports: read-only, for administrators who need to see who
imported which file and what came of it."""

from django.contrib import admin

from lamtheo.documents.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("original_name", "created_by", "status", "row_count", "created_at")
    list_filter = ("status",)
    search_fields = ("original_name", "sha256", "created_by__username")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

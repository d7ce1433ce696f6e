"""Django admin for study sessions: a fallback for administrators (raw rows and their
history). Changes made here bypass the services' rules, so the everyday tools are the pages
under /study/."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lamtheo.study.models import Attendance, Reflection, StudySession


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ("person", "status", "reason", "added_reason", "recorded_at", "recorded_by")
    readonly_fields = ("recorded_at", "recorded_by")
    raw_id_fields = ("person",)


@admin.register(StudySession)
class StudySessionAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "date", "start_time", "status", "audience", "makeup_of")
    list_filter = ("status", "audience", "programme_year__year")
    search_fields = ("unit__name", "topic", "place")
    date_hierarchy = "date"
    raw_id_fields = ("unit", "plan", "makeup_of", "programme_year")
    readonly_fields = ("created_at", "created_by", "closed_at", "closed_by")
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ("person", "session", "status", "reason")
    list_filter = ("status",)
    search_fields = ("person__full_name",)
    raw_id_fields = ("session", "person")


@admin.register(Reflection)
class ReflectionAdmin(SimpleHistoryAdmin):
    list_display = ("person", "unit", "programme_year", "session", "grade", "submitted_at")
    list_filter = ("grade", "audience", "programme_year__year")
    search_fields = ("person__full_name", "text")
    raw_id_fields = ("person", "unit", "session", "programme_year")
    readonly_fields = ("submitted_at", "entered_by", "assessed_at", "assessed_by")

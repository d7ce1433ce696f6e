"""Free text typed in decomposed Unicode (NFD: some phone keyboards, text pasted from a Mac)
is stored in the one form the project uses (NFC, new tone placement), through the pages and
the API alike."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.urls import reverse

from lamtheo.core.text import normalize_vi as one_line
from lamtheo.core.text import normalize_vi_lines as multi_line
from lamtheo.study import services
from lamtheo.study.forms import AssessForm, ReasonForm, ReflectionForm, SessionForm
from lamtheo.study.models import Attendance, Reflection, StudySession
from lamtheo.study.services import AttendanceEntry

PLACE = "Hội trường ấp Đông Bình"
TOPIC = "Học tập chuyên đề: tư tưởng, đạo đức, phong cách Hồ Chí Minh"
NOTE = "Mời đảng viên dự đông đủ.\n\nMang theo sổ ghi chép."


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    return decomposed


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# --- Unit ---------------------------------------------------------------------------------


def test_one_line_composes_places_the_tone_and_collapses_spaces():
    assert one_line(nfd("  Nhà văn hoá \n ấp  ")) == "Nhà văn hóa ấp"
    assert one_line(None) == ""


def test_multi_line_composes_and_keeps_line_breaks():
    assert multi_line(nfd(NOTE) + "\n") == NOTE
    assert multi_line(nfd("Khoẻ  mạnh")) == "Khỏe  mạnh"


def test_session_form_cleans_nfd_topic_place_and_note_to_nfc():
    form = SessionForm(
        {"date": "25/03/2026", "place": nfd(PLACE), "topic": nfd(TOPIC), "note": nfd(NOTE)}
    )
    assert form.is_valid(), form.errors
    assert [form.cleaned_data[f] for f in ("place", "topic", "note")] == [PLACE, TOPIC, NOTE]


def test_max_length_counts_the_stored_characters_not_the_decomposed_ones():
    place = "Hội trường " * 23  # 253 characters stored, 299 typed decomposed
    assert len(nfd(place)) > 255 >= len(place.strip())
    form = SessionForm({"date": "25/03/2026", "place": nfd(place)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"] == place.strip()


def test_reason_reflection_and_comment_forms_clean_to_nfc():
    reason = ReasonForm({"reason": nfd("Nhập nhầm người")})
    reflection = ReflectionForm({"text": nfd(NOTE)})
    assess = AssessForm({"grade": "good", "comment": nfd("Viết kỹ hơn về phần liên hệ")})
    assert reason.is_valid() and reflection.is_valid() and assess.is_valid()
    assert reason.cleaned_data["reason"] == "Nhập nhầm người"
    assert reflection.cleaned_data["text"] == NOTE
    assert assess.cleaned_data["comment"] == "Viết kỹ hơn về phần liên hệ"


# --- Pages and API --------------------------------------------------------------------------


def test_session_typed_in_nfd_on_the_page_is_stored_in_nfc(world, login, today):
    client = login(world.user("secretary"))
    response = client.post(
        reverse("study:session-create"),
        {
            "unit": world.cell_a.pk,
            "date": "25/03/2026",
            "place": nfd(PLACE),
            "topic": nfd(TOPIC),
            "note": nfd(NOTE),
        },
    )
    assert response.status_code == 302
    session = StudySession.objects.get()
    assert (session.place, session.topic, session.note) == (PLACE, TOPIC, NOTE)


def test_session_edited_in_nfd_on_the_page_is_stored_in_nfc(world, login, session_a):
    response = login(world.user("secretary")).post(
        reverse("study:session-edit", args=[session_a.pk]),
        {"date": "12/03/2026", "place": nfd("Nhà văn hoá ấp"), "topic": nfd(TOPIC)},
    )
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert (session_a.place, session_a.topic) == ("Nhà văn hóa ấp", TOPIC)


def test_session_created_in_nfd_through_the_api_is_stored_in_nfc(world, login, today):
    response = login(world.user("secretary")).post(
        reverse("api:study-session-list"),
        {"unit": world.cell_a.pk, "date": "2026-03-10", "place": nfd(PLACE), "topic": nfd(TOPIC)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["place"], response.json()["topic"]) == (PLACE, TOPIC)
    session = StudySession.objects.get()
    assert is_nfc(session.place) and is_nfc(session.topic)


def test_reflection_typed_in_nfd_on_the_page_is_stored_in_nfc(world, login):
    client = login(world.user("member"))
    client.post(reverse("study:reflection-write") + "?year=2026", {"text": nfd(NOTE)})
    assert Reflection.objects.get(person=world.people.member).text == NOTE


def test_attendance_reason_typed_in_nfd_is_stored_in_nfc(world, session_a):
    services.record_attendance(
        session=session_a,
        entries=[AttendanceEntry(world.people.colleague.pk, "excused", nfd("Ốm, nằm viện"))],
        by=world.user("secretary"),
    )
    row = Attendance.objects.get(session=session_a, person=world.people.colleague)
    assert row.reason == "Ốm, nằm viện"


def test_make_up_place_typed_in_nfd_is_stored_in_nfc(world, held_session_a):
    makeup = services.create_makeup_session(
        original=held_session_a,
        date=dt.date(2026, 3, 17),
        place=nfd("Nhà văn hoá ấp"),
        by=world.user("secretary"),
    )
    assert makeup.place == "Nhà văn hóa ấp"


def test_api_max_length_counts_the_stored_characters_not_the_decomposed_ones(world, login, today):
    place = ("Hội trường ấp Đông Bình " * 11)[:255]  # 255 characters once composed
    assert len(nfd(place)) > 255
    response = login(world.user("secretary")).post(
        reverse("api:study-session-list"),
        {"unit": world.cell_a.pk, "date": "2026-03-10", "place": nfd(place)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert StudySession.objects.get().place == place.strip()

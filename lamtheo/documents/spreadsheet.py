"""Reading a secretary's workbook: find the sheets, match the headers, convert cell values.

Nothing here touches the database. Headers are matched forgivingly (case, accents, spacing,
punctuation, text in brackets, common synonyms); every problem found is a :class:`Problem`
with the row number as Excel shows it, so the secretary can go straight to the cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from lamtheo.core.text import normalize_vi
from lamtheo.documents.messages import Problem
from lamtheo.quality.normalize import fold


@dataclass(frozen=True)
class Column:
    """One column the importer knows. ``label`` is the header written in the template (the
    wording secretaries use, so it stays Vietnamese); ``synonyms`` are other headers met in
    real sheets."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False


PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT", ("TT", "Số TT", "Số thứ tự", "Thứ tự")),
    Column(
        "full_name",
        "Họ và tên",
        ("Họ tên", "Họ và tên đảng viên", "Họ tên đảng viên", "Tên", "Họ và tên khai sinh"),
        required=True,
    ),
    Column(
        "birth_date",
        "Ngày sinh",
        ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày", "NS"),
        required=True,
    ),
    Column("gender", "Giới tính", ("Nam/Nữ", "Nam, Nữ", "Phái", "Giới")),
    Column("cell", "Chi bộ", ("Tên chi bộ", "Mã chi bộ", "Chi bộ sinh hoạt", "Sinh hoạt chi bộ")),
    Column("position", "Chức vụ", ("Chức vụ hiện nay", "Chức vụ đảng", "Chức danh")),
    Column("sector", "Ngành/lĩnh vực", ("Ngành", "Lĩnh vực", "Ngành nghề", "Mã ngành")),
    Column(
        "joined_on",
        "Ngày vào Đảng",
        ("Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày vào đảng", "Vào Đảng"),
    ),
    Column(
        "official_on",
        "Ngày chính thức",
        ("Ngày CT", "Ngày chuyển chính thức", "Ngày công nhận chính thức", "Chính thức"),
    ),
    Column("is_member", "Đảng viên", ("Là đảng viên", "ĐV", "Đảng viên (Có/Không)")),
    Column(
        "workplace_unit",
        "Đơn vị công tác",
        ("Đơn vị", "Cơ quan công tác", "Cơ quan, đơn vị", "Nơi công tác"),
    ),
    Column(
        "since",
        "Sinh hoạt từ ngày",
        ("Từ ngày", "Công tác từ ngày", "Ngày chuyển đến", "Sinh hoạt tại chi bộ từ ngày"),
    ),
    Column("code", "Mã", ("Mã số", "Mã đảng viên", "Mã ĐV", "Mã người", "Mã định danh")),
    Column("note", "Ghi chú", ("Ghi chu",)),
)

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT", ("TT", "Số TT", "Số thứ tự")),
    Column("name", "Tên đơn vị", ("Tên", "Đơn vị", "Tên đầy đủ"), required=True),
    Column("kind", "Loại", ("Loại đơn vị", "Loại hình"), required=True),
    Column(
        "parent",
        "Đơn vị cấp trên",
        ("Cấp trên", "Trực thuộc", "Thuộc", "Đơn vị cha"),
        required=True,
    ),
    Column("short_name", "Tên ngắn", ("Tên gọi tắt", "Tên rút gọn")),
    Column("doc_abbreviation", "Chữ viết tắt", ("Viết tắt", "Ký hiệu", "Ký hiệu văn bản")),
    Column("place_name", "Địa danh", ("Nơi ban hành",)),
    Column("code", "Mã", ("Mã đơn vị", "Mã số")),
    Column("note", "Ghi chú", ()),
)

#: Sheet titles (folded) that hold units, or only explanations for people to read.
UNIT_SHEET_TITLES = frozenset({"don vi", "danh sach don vi", "units"})
NOTES_SHEET_TITLES = frozenset({"huong dan", "ghi chu", "notes", "giai thich"})

#: An example row (its STT says «Ví dụ») is skipped, so a template left with its example
#: row imports no «Nguyễn Văn A».
EXAMPLE_MARKERS = frozenset({"vi du", "vd", "mau", "example"})

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
#: How far down a title block may push the header row.
HEADER_SEARCH_ROWS = 15


def header_key(text: Any) -> str:
    """The comparison key of a header: no accents, case, brackets, punctuation, spacing."""
    if text is None:
        return ""
    folded = fold(normalize_vi(str(text)))
    without_notes = _BRACKETS.sub(" ", folded)
    key = _NON_WORD.sub(" ", without_notes).strip()
    # A header made only of a bracketed note (e.g. «(1)») keeps its text.
    return key or _NON_WORD.sub(" ", folded).strip()


def _synonym_table(columns: tuple[Column, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in columns:
        for text in (column.label, column.key, *column.synonyms):
            table[header_key(text)] = column.key
    return table


@dataclass
class HeaderCell:
    letter: str
    index: int
    text: str


@dataclass
class SheetRow:
    #: The row number as Excel shows it.
    number: int
    values: dict[str, Any]


@dataclass
class ParsedSheet:
    title: str
    header_row: int = 0
    columns: dict[str, HeaderCell] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def column(self, key: str) -> HeaderCell | None:
        return self.columns.get(key)

    def problem(self, row: SheetRow | None, key: str, code: str, **params: Any) -> Problem:
        """A problem at ``row`` in the column ``key`` (its letter and header as in the file)."""
        cell = self.columns.get(key)
        value = row.values.get(key) if row is not None else None
        return Problem(
            code=code,
            sheet=self.title,
            row=row.number if row is not None else None,
            column=cell.letter if cell else "",
            header=cell.text if cell else "",
            value=display_value(value),
            params={k: display_value(v) for k, v in params.items()},
        )


@dataclass
class ParsedWorkbook:
    people: ParsedSheet | None
    units: ParsedSheet | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in (self.people, self.units) if s is not None)


def display_value(value: Any) -> str:
    """How a cell value is quoted back to the secretary in a message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:200]


class UnreadableWorkbook(Exception):
    """The upload is not an .xlsx workbook openpyxl can read."""


def open_workbook(source: str | IO[bytes]) -> Any:
    try:
        # read_only streams the rows (a 5,000-row sheet stays small in memory); data_only
        # gives the values Excel computed, never the formulas.
        return load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise UnreadableWorkbook(str(exc)) from exc
    except Exception as exc:  # zipfile.BadZipFile and openpyxl's parse errors
        raise UnreadableWorkbook(str(exc)) from exc


def read_workbook(
    source: str | IO[bytes], *, progress: Callable[[int, int], None] | None = None
) -> ParsedWorkbook:
    """Read the people sheet (the first sheet that is neither «Đơn vị» nor notes) and the
    optional «Đơn vị» sheet. ``progress(done, total)`` is called every few hundred rows."""
    workbook = open_workbook(source)
    try:
        people_ws = units_ws = None
        for ws in workbook.worksheets:
            title = header_key(ws.title)
            if title in UNIT_SHEET_TITLES:
                units_ws = units_ws or ws
            elif title in NOTES_SHEET_TITLES:
                continue
            elif people_ws is None:
                people_ws = ws
        total = sum((ws.max_row or 0) for ws in (people_ws, units_ws) if ws is not None)
        done = 0

        def counted(done_here: int) -> None:
            if progress is not None:
                progress(done + done_here, total)

        units = _read_sheet(units_ws, UNIT_COLUMNS, counted) if units_ws is not None else None
        done = units_ws.max_row or 0 if units_ws is not None else 0
        people = _read_sheet(people_ws, PEOPLE_COLUMNS, counted) if people_ws is not None else None
    finally:
        workbook.close()
    parsed = ParsedWorkbook(people=people, units=units)
    if people is None:
        parsed.problems.append(Problem(code="no_people_sheet"))
    return parsed


def _read_sheet(
    ws: Any, columns: tuple[Column, ...], progress: Callable[[int], None]
) -> ParsedSheet:
    sheet = ParsedSheet(title=ws.title)
    rows = ws.iter_rows(values_only=True)
    after_header = _find_header(sheet, rows, columns)
    if after_header is None:
        return sheet
    indexes = [(key, cell.index) for key, cell in sheet.columns.items()]
    number = sheet.header_row
    for values in itertools.chain(after_header, rows):
        number += 1
        if number % 250 == 0:
            progress(number)
        row = {key: values[i] if i < len(values) else None for key, i in indexes}
        if all(_blank(v) for k, v in row.items() if k not in ("stt", "note")):
            continue
        if header_key(row.get("stt")) in EXAMPLE_MARKERS:
            continue
        sheet.rows.append(SheetRow(number=number, values=row))
    progress(number)
    return sheet


def _find_header(
    sheet: ParsedSheet, rows: Iterator[tuple[Any, ...]], columns: tuple[Column, ...]
) -> list[tuple[Any, ...]] | None:
    """Take the first of the top rows that names the required columns (a title block of a few
    rows above the table is usual). Report unknown, doubled and missing columns. Returns the
    rows read past the header (to be read as data), or ``None`` when no header was found."""
    synonyms = _synonym_table(columns)
    required = {c.key for c in columns if c.required}
    seen: list[tuple[Any, ...]] = []
    best_index, best_score = -1, 0
    for values in rows:
        seen.append(values)
        keys = {synonyms.get(header_key(v)) for v in values if not _blank(v)} - {None}
        score = len(keys) + (100 if required <= keys else 0)
        if score > best_score:
            best_index, best_score = len(seen) - 1, score
        if required <= keys or len(seen) >= HEADER_SEARCH_ROWS:
            break
    if all(_blank(v) for values in seen for v in values):
        return None  # an empty sheet: nothing to read, nothing wrong
    if best_index < 0 or best_score < 2:
        sheet.problems.append(
            Problem(
                code="no_header",
                sheet=sheet.title,
                params={"columns": ", ".join(f"«{c.label}»" for c in columns if c.required)},
            )
        )
        return None
    sheet.header_row = best_index + 1
    values = seen[best_index]
    labels = {c.key: c.label for c in columns}
    for index, text in enumerate(values):
        if _blank(text):
            continue
        letter = get_column_letter(index + 1)
        shown = display_value(text)
        key = synonyms.get(header_key(text))
        where = {"sheet": sheet.title, "row": sheet.header_row, "column": letter}
        if key is None:
            sheet.problems.append(
                Problem(
                    code="unknown_column",
                    header=shown,
                    value=shown,
                    params={"known": ", ".join(f"«{c.label}»" for c in columns)},
                    **where,
                )
            )
        elif key in sheet.columns:
            first = sheet.columns[key]
            sheet.problems.append(
                Problem(
                    code="duplicate_column",
                    header=shown,
                    value=shown,
                    params={"first": first.letter, "label": labels[key]},
                    **where,
                )
            )
        else:
            sheet.columns[key] = HeaderCell(letter=letter, index=index, text=shown)
    for column in columns:
        if column.required and column.key not in sheet.columns:
            sheet.problems.append(
                Problem(
                    code="missing_column",
                    sheet=sheet.title,
                    row=sheet.header_row,
                    params={"label": column.label},
                )
            )
    return seen[best_index + 1 :]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------------------------------
# Cell values
# ------------------------------------------------------------------------------------------


class BadValue(Exception):
    """A cell value that cannot be read; ``code`` names the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def text_value(value: Any) -> str:
    """A text cell in the one stored form (NFC, new tone placement, single spaces); numbers
    typed into a text column («1234» kept as a number by Excel) come back without «.0»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return display_value(value)
    return normalize_vi(str(value))


_DATE = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
EARLIEST_YEAR = 1890


def date_value(value: Any, *, today: dt.date) -> dt.date | None:
    """A date from an Excel date cell or from text in dd/mm/yyyy (also dd-mm-yyyy and
    dd.mm.yyyy). Two-digit years are refused: «01/02/45» may be 1945 or 2045."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float):
        # A bare number: a year alone («1965») or a date serial that lost its format.
        raise BadValue("not_a_date")
    else:
        text = str(value).strip()
        iso = _ISO_DATE.match(text)
        match = _DATE.match(text)
        if iso:
            year, month, day_of_month = (int(g) for g in iso.groups())
        elif match:
            if len(match.group(4)) != 4:
                raise BadValue("two_digit_year")
            day_of_month, month, year = int(match.group(1)), int(match.group(3)), int(match[4])
        else:
            raise BadValue("not_a_date")
        try:
            day = dt.date(year, month, day_of_month)
        except ValueError:
            raise BadValue("no_such_date") from None
    if day.year < EARLIEST_YEAR:
        raise BadValue("date_too_early")
    if day > today:
        raise BadValue("date_in_future")
    return day


_YES = frozenset({"co", "x", "1", "yes", "y", "true", "dang vien", "dv", "phai"})
_NO = frozenset({"khong", "0", "no", "n", "false", "k", "quan chung", "ko"})


def yes_no_value(value: Any) -> bool | None:
    """«Có»/«Không» (and x, 1/0, yes/no); ``None`` when the cell is blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    key = header_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise BadValue("bad_yes_no")


_MALE = frozenset({"nam", "male", "m", "trai"})
_FEMALE = frozenset({"nu", "female", "f", "gai"})


def gender_value(value: Any) -> str:
    """«Nam» → ``male``, «Nữ» → ``female``, blank → ``""``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    key = header_key(value)
    if key in _MALE:
        return "male"
    if key in _FEMALE:
        return "female"
    raise BadValue("bad_gender")

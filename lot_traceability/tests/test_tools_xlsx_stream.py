# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests of tools/xlsx_stream.py (pure Python, no Odoo): a sheet written through
StreamWorksheet is, byte for byte, the sheet xlsxwriter's own Worksheet writes from the same
cells, for any text, number, date and format, in constant-memory mode and not."""
import datetime
import io
import zipfile

from hypothesis import given, settings, strategies as st
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from ..tools.xlsx_stream import StreamWorksheet

TEXTS = st.one_of(
    st.text(max_size=40),
    # What xlsxwriter escapes or marks, mixed into plain text.
    st.lists(st.sampled_from(["LOT-1", " ", "\t", "\n", "\r", "&", "<", ">", '"', "'",
                              "_x0041_", "_x00", "\x01", "\x1f", "\x7f", "\uFFFE", "\uFFFF",
                              "\u00a0", "\u2028", "é", "<r>", "</r>", "=1+1", ""]),
             max_size=6).map("".join))
NUMBERS = st.one_of(st.integers(-10 ** 15, 10 ** 15),
                    st.floats(allow_nan=False, allow_infinity=False))
DATES = st.datetimes(min_value=datetime.datetime(1900, 3, 1),
                     max_value=datetime.datetime(9999, 12, 31))
CELLS = st.lists(st.lists(st.one_of(TEXTS, NUMBERS, DATES, st.none(), st.booleans()),
                          min_size=1, max_size=6), min_size=1, max_size=12)


def _sheet_xml(worksheet_class, rows, constant_memory, styled):
    """The XML of the first sheet of a workbook holding ``rows``."""
    buffer = io.BytesIO()
    # (not "in_memory": xlsxwriter turns constant-memory mode off with it)
    workbook = Workbook(buffer, {"constant_memory": constant_memory,
                                 "strings_to_formulas": False, "strings_to_numbers": False,
                                 "strings_to_urls": False})
    sheet = workbook.add_worksheet("Lots", worksheet_class=worksheet_class)
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    if styled:
        # A column's and a row's format, which a cell without its own takes.
        sheet.set_column(1, 1, 20, bold)
        sheet.set_column(2, 2, 12)
        sheet.set_row(2, None, workbook.add_format({"italic": True}))
    sheet.freeze_panes(1, 0)
    for index, row in enumerate(rows):
        # Odd rows right to left: a row's cells are written in column order all the same.
        cells = list(enumerate(row))
        for col, value in (cells[::-1] if index % 2 else cells):
            if isinstance(value, bool):
                sheet.write_boolean(index, col, value)
            elif value is None:
                sheet.write_blank(index, col, None, bold if styled and col == 3 else None)
            elif isinstance(value, str):
                sheet.write_string(index, col, value, bold if index == 0 else None)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(index, col, value, date)
            else:
                sheet.write_number(index, col, value, bold if styled and col == 4 else None)
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


@settings(max_examples=150, deadline=None)
@given(rows=CELLS, constant_memory=st.booleans(), styled=st.booleans())
def test_sheet_is_xlsxwriters_byte_for_byte(rows, constant_memory, styled):
    ours = _sheet_xml(StreamWorksheet, rows, constant_memory, styled)
    assert ours == _sheet_xml(Worksheet, rows, constant_memory, styled)


def _values_xml(rows, constant_memory, stream):
    """The sheet XML of ``rows`` written by ``write_value`` (``stream``) or by xlsxwriter's
    public writers following the same rule."""
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"constant_memory": constant_memory,
                                 "strings_to_formulas": False, "strings_to_numbers": False,
                                 "strings_to_urls": False})
    sheet = workbook.add_worksheet(
        "Lots", worksheet_class=StreamWorksheet if stream else Worksheet)
    date = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for index, row in enumerate(rows):
        for col, value in enumerate(row):
            if stream:
                sheet.write_value(index, col, value, date)
            elif value is None or value is False or value == "":
                sheet.write_blank(index, col, None)
            elif isinstance(value, str):
                sheet.write_string(index, col, value)
            elif isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write_datetime(index, col, value, date)
            else:
                sheet.write_number(index, col, value)
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(st.one_of(TEXTS, NUMBERS, DATES, st.dates(), st.none(),
                                        st.just(False), st.just(True), st.just("")),
                              min_size=1, max_size=6), min_size=1, max_size=10),
       constant_memory=st.booleans())
def test_write_value_is_the_public_writers(rows, constant_memory):
    """write_value: nothing for None, False and "", text, dates with the date format, the
    rest as numbers, exactly as the public writers would write them."""
    assert _values_xml(rows, constant_memory, True) == _values_xml(rows, constant_memory, False)


def test_common_cells_take_the_direct_path_and_the_others_do_not():
    """Plain text, numbers and dates are written here; what xlsxwriter escapes is not (the
    equivalence above could not fail if every cell went to xlsxwriter)."""
    general = []

    class General(Worksheet):
        """Between StreamWorksheet and Worksheet: sees what goes to xlsxwriter's method."""
        def _write_cell(self, row, col, cell):
            general.append((type(cell).__name__, col))
            return super(General, self)._write_cell(row, col, cell)

    class Watched(StreamWorksheet, General):
        pass

    rows = [["LOT-0001", 3.5, datetime.datetime(2026, 12, 4, 10, 30), "A & B", " lead",
             "x\ny", "_x0041_", True]]
    xml = _sheet_xml(Watched, rows, True, False)
    assert general == [("String", 3), ("String", 4), ("String", 5), ("String", 6),
                       ("Boolean", 7)]
    assert b'<c r="A1" s="1" t="inlineStr"><is><t>LOT-0001</t></is></c>' in xml
    assert xml == _sheet_xml(Worksheet, rows, True, False)

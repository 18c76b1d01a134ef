# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An xlsxwriter worksheet that writes the common cells of a streamed sheet faster.

Pure Python, no Odoo import. In ``constant_memory`` mode xlsxwriter writes each row's cells
to the sheet's XML as the next row starts, one ``Worksheet._write_cell`` per cell; for the
exports' hundreds of thousands of rows that inner loop is most of their time (issue 16's
profiles: 50 to 70%), because every cell goes through the general path: attributes built as
a list and escaped one by one, a string's control characters, non-characters and edge
whitespace searched by four regular expressions, then its XML special characters by a fifth.

:class:`StreamWorksheet` (``workbook.add_worksheet(name, worksheet_class=StreamWorksheet)``,
xlsxwriter's own extension point) writes the two cells that make almost every row itself, in
the very bytes xlsxwriter writes: a number or a date, and an in-line string that holds none
of the characters that need escaping or care; a finished row goes to the file in one write.
Any other cell (such a string, a formula, a
boolean, a blank with its format, a rich string, or any cell of a sheet that is not in
constant-memory mode) goes to xlsxwriter's own method, so the sheet's XML is the same byte
for byte; tests/test_tools_xlsx_stream.py writes the same cells both ways (any text, any
number, formats of cells, rows and columns) and compares the XML.
"""
import functools
import re

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import (
    Worksheet,
    cell_datetime_tuple,
    cell_number_tuple,
    cell_string_tuple,
)

#: Anything in a string that xlsxwriter escapes or marks (``_x....``-style sequences,
#: control characters, the non-characters U+FFFE/U+FFFF, XML's special characters, a
#: newline, a leading or trailing white space that needs ``xml:space="preserve"``): such a
#: string is written by xlsxwriter itself.
_NEEDS_CARE = re.compile('[\x00-\x1f"&<>\uFFFE\uFFFF]|_x[0-9a-fA-F]{4}_|^\\s|\\s\\Z')
_NUMBERS = (cell_number_tuple, cell_datetime_tuple)


class StreamWorksheet(Worksheet):
    """A worksheet whose numbers, dates and plain in-line strings are written directly."""

    def write_value(self, row, col, value, date_format=None):
        """The exports' one way of writing a value (row and column as numbers): nothing for
        None, False or an empty string; text as text (never a formula, number or URL); a
        date or datetime with ``date_format``; anything else as a number. The work is
        xlsxwriter's own (its writers without the A1-notation wrapper of the public ones,
        a call and a ``try`` per cell). Returns xlsxwriter's status: 0, -1 outside the
        sheet, -2 text cut to 32,767 characters."""
        if value is None or value is False or value == "":
            return 0
        if isinstance(value, str):
            return self._write_string(row, col, value)
        if hasattr(value, "year"):
            return self._write_datetime(row, col, value, date_format)
        return self._write_number(row, col, value)

    def _write_single_row(self, current_row_num=0):
        """Constant-memory mode: the finished row's XML in one write, its common cells made
        here. A row with its own attributes or comments goes to xlsxwriter."""
        row_num = self.previous_row
        cells = self.table.get(row_num)
        if not cells or row_num in self.set_rows or row_num in self.comments:
            return super(StreamWorksheet, self)._write_single_row(current_row_num)
        self.previous_row = current_row_num
        self._write_row(row_num, None)
        parts = []
        for col in sorted(cells):
            cell = cells[col]
            text = self._get_cell_xml(row_num, col, cell)
            if text is None:
                # xlsxwriter writes it: what is made so far goes first
                self.fh.write("".join(parts))
                parts = []
                super(StreamWorksheet, self)._write_cell(row_num, col, cell)
            else:
                parts.append(text)
        parts.append("</row>")
        self.fh.write("".join(parts))
        self.table.clear()

    def _write_cell(self, row, col, cell):
        text = self._get_cell_xml(row, col, cell)
        if text is None:
            super(StreamWorksheet, self)._write_cell(row, col, cell)
        else:
            self.fh.write(text)

    def _get_cell_xml(self, row, col, cell):
        """The XML of a number, a date or a plain in-line string; None for any other cell."""
        kind = type(cell)
        if kind is cell_string_tuple:
            if not self.constant_memory or _NEEDS_CARE.search(cell.string):
                return None
            template = '<c r="%s%d"%s t="inlineStr"><is><t>%s</t></is></c>'
            value = cell.string
        elif kind is cell_number_tuple or kind is cell_datetime_tuple:
            template = '<c r="%s%d"%s><v>%.16G</v></c>'
            value = cell.number
        else:
            return None
        cell_format = cell.format
        if cell_format:
            style = ' s="%d"' % cell_format._get_xf_index()
        elif not self.set_rows and not self.col_info:
            style = ""
        else:
            style = self._get_row_col_style(row, col)
        return template % (_column_name(col), row + 1, style, value)

    def _get_row_col_style(self, row, col):
        """The ``s`` attribute of a cell without its own format, as xlsxwriter chooses it:
        its row's format, else its column's, else none."""
        row_info = self.set_rows.get(row)
        if row_info and row_info[1]:
            return ' s="%d"' % row_info[1]._get_xf_index()
        col_info = self.col_info.get(col)
        if col_info and col_info[1] is not None:
            return ' s="%d"' % col_info[1]._get_xf_index()
        return ""


@functools.lru_cache(maxsize=None)
def _column_name(col):
    """``A`` for column 0 (xlsxwriter's names: its reference of row 0, without the row)."""
    return xl_rowcol_to_cell_fast(0, col)[:-1]

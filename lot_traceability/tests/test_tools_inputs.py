# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests of tools/inputs.py, the addon's input rules (pure Python, no Odoo)."""
import datetime
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from ..tools import inputs, serials


def error_of(check, *args, **kwargs):
    with pytest.raises(inputs.InputError) as info:
        check(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    return info.value


# ----------------------------------------------------------------- codes

def test_code_normalised_and_trimmed():
    assert inputs.clean_code("  Cafe\u0301-01 ", "Lot") == "Caf\xe9-01"


@pytest.mark.parametrize("value, code, character", [
    ("LOT\u202e1", "control_character", "U+202E"),   # right-to-left override
    ("LOT\u200b1", "control_character", "U+200B"),   # zero width space (format)
    ("LOT\x001", "control_character", "U+0000"),
    ("LOT\n1", "control_character", "U+000A"),
    ("LOT\x1d1", "control_character", "U+001D"),
])
def test_code_refuses_control_and_format_characters(value, code, character):
    error = error_of(inputs.clean_code, value, "Lot")
    assert (error.code, error.params["character"]) == (code, character)
    assert error.params["field"] == "Lot" and "Lot" in str(error) and character in str(error)


@pytest.mark.parametrize("value", ["", "   ", "\u3000"])
def test_code_refuses_blank(value):
    assert error_of(inputs.clean_code, value, "Lot").code == "blank"


def test_code_length_limit_after_normalisation():
    assert inputs.clean_code("A" * 64) == "A" * 64
    error = error_of(inputs.clean_code, "A" * 10000, "Lot")
    assert error.code == "too_long" and error.params["length"] == 10000
    assert len(str(error)) < 200, "the message shows a cut value"
    # 64 decomposed characters are 64 composed ones: the limit counts after NFC.
    assert inputs.clean_code("e\u0301" * 64) == "\xe9" * 64


@pytest.mark.parametrize("value", [None, 12, 1.5, ["A"], b"A"])
def test_code_refuses_non_text(value):
    assert error_of(inputs.clean_code, value, "Lot").code == "invalid_type"


def test_affix_may_be_empty_and_keeps_spaces():
    assert inputs.clean_code("", "Prefix", affix=True) == ""
    assert inputs.clean_code(" B-", "Prefix", affix=True) == " B-"
    assert error_of(inputs.clean_code, "B\u202e", "Prefix", affix=True).code == \
        "control_character"


def test_serials_share_the_code_rules():
    """Bulk Serial Entry refuses what the code validator refuses (one rule)."""
    assert serials.MAX_LENGTH == inputs.MAX_CODE_LENGTH
    assert serials.refused_character is inputs.refused_character


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_code_accepts_exactly_the_valid_codes(text):
    """Any text: either a clean code that passes again unchanged, or a stable error."""
    try:
        clean = inputs.clean_code(text, "Lot")
    except inputs.InputError as error:
        assert error.code in ("blank", "control_character", "too_long")
        normal = unicodedata.normalize("NFC", text).strip()
        assert not normal or inputs.refused_character(normal) or len(normal) > 64
        return
    assert clean == unicodedata.normalize("NFC", clean) and clean.strip() == clean
    assert 0 < len(clean) <= inputs.MAX_CODE_LENGTH
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs") for c in clean)
    assert inputs.clean_code(clean, "Lot") == clean


# ----------------------------------------------------------------- texts

def test_text_refuses_nul_and_long_names():
    assert inputs.clean_text("a\tb\x1dc", "Scan", multiline=False) == "a\tb\x1dc"
    assert error_of(inputs.clean_text, "a\x00b", "Name").params["character"] == "U+0000"
    assert error_of(inputs.clean_text, "x" * 2800, "Name", multiline=False).code == "too_long"
    assert inputs.clean_text("x" * 100000, "Note") == "x" * 100000


# ----------------------------------------------------------------- numbers

@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "nan", "1e309",
                                   "Infinity"])
def test_number_refuses_non_finite(value):
    assert error_of(inputs.clean_number, value, "Quantity").code == "not_finite"


@pytest.mark.parametrize("value", [1e300, -1e12, 10 ** 20])
def test_number_refuses_what_no_quantity_means(value):
    error = error_of(inputs.clean_number, value, "Quantity")
    assert error.code == "out_of_range" and "Quantity" in str(error)


@pytest.mark.parametrize("value, expected", [(2, 2.0), (2.5, 2.5), ("2,5", 2.5), ("-3", -3.0)])
def test_number_reads_numbers(value, expected):
    assert inputs.clean_number(value, "Quantity") == expected


@pytest.mark.parametrize("value", ["abc", True, None, [1], {}])
def test_number_refuses_non_numbers(value):
    assert error_of(inputs.clean_number, value, "Quantity").code == "invalid_type"


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_number_is_finite_and_bounded(value):
    try:
        number = inputs.clean_number(value, "Quantity")
    except inputs.InputError as error:
        assert error.code in ("not_finite", "out_of_range")
        return
    assert abs(number) < inputs.MAX_QUANTITY


def test_integers_fit_postgresql_integer():
    assert inputs.clean_integer(2 ** 31 - 1) == 2 ** 31 - 1
    assert inputs.clean_integer(3.0) == 3
    for value in (2 ** 31, -2 ** 31 - 1, 10 ** 30):
        assert error_of(inputs.clean_integer, value, "Digits").code == "out_of_range"
    for value in ("12", 1.5, True, None, float("nan")):
        assert error_of(inputs.clean_integer, value, "Digits").code == "invalid_type"


def test_ids():
    assert inputs.clean_ids(5) == [5]
    assert inputs.clean_ids([3, 1, 3]) == [3, 1]
    for value in ([0], [-1], [2 ** 31], ["1"], "1", None, [True]):
        assert error_of(inputs.clean_ids, value, "lot_ids").params["field"] == "lot_ids"


def test_choice():
    assert inputs.clean_choice("upstream", ("upstream", "downstream")) == "upstream"
    for value in ("sideways", None, ["upstream"], {}):
        assert error_of(inputs.clean_choice, value, ("upstream",), "direction").code == \
            "unknown_choice"


# ----------------------------------------------------------------- dates

def test_dates_real_and_in_range():
    assert inputs.clean_date("2024-02-29") == "2024-02-29"
    assert inputs.clean_date("2024-02-29 10:00:00") == "2024-02-29"
    assert inputs.clean_date("2024-02-29", with_time=True) == "2024-02-29 00:00:00"
    assert inputs.clean_date(datetime.date(2030, 1, 2)) == "2030-01-02"
    error = error_of(inputs.clean_date, "2024-02-30", "Expiry Date")
    assert error.code == "invalid_date" and "Expiry Date" in str(error) \
        and "2024-02-30" in str(error)
    for value in ("0001-01-01", "9999-12-31"):
        assert error_of(inputs.clean_date, value, "From").code == "out_of_range"
    for value in ("tomorrow", "2024-13-01", "", 20240101, "2024-01-01 25:00:00"):
        assert error_of(inputs.clean_date, value, "From", with_time=True).code in (
            "invalid_date", "invalid_type")


@settings(max_examples=200, deadline=None)
@given(st.dates())
def test_every_date_in_range_round_trips(day):
    if inputs.DATE_MIN <= day <= inputs.DATE_MAX:
        assert inputs.clean_date(day.isoformat()) == day.isoformat()
    else:
        assert error_of(inputs.clean_date, day.isoformat()).code == "out_of_range"

import pytest

from lvzhi.core.text import (
    chinese_number,
    mask_id_number,
    mask_phone,
    normalize_code,
    pinyin_full,
    pinyin_initials,
)


@pytest.mark.parametrize(
    ("name", "initials", "full"),
    [("张三", "zs", "zhangsan"), ("曾小红", "zxh", "zengxiaohong"), ("单雄信", "sxx", "shanxiongxin"),
     ("欧阳明", "oym", "ouyangming"), ("", "", "")],
)  # fmt: skip
def test_pinyin_of_names(name, initials, full):
    assert pinyin_initials(name) == initials
    assert pinyin_full(name) == full


@pytest.mark.parametrize(("number", "text"), [(1, "一"), (4, "四"), (10, "十"), (14, "十四"), (16, "十六"),
                                              (20, "二十"), (35, "三十五"), (100, "一百"), (104, "一百零四"),
                                              (115, "一百一十五")])  # fmt: skip
def test_chinese_number(number, text):
    assert chinese_number(number) == text


def test_masking_and_normalising():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_id_number("350102199001011234") == "350***********1234"
    assert normalize_code(" １６００１ ") == "16001"
    assert normalize_code("35010219900101123x") == "35010219900101123X"


@pytest.mark.parametrize(
    ("raw", "phone"),
    [("13912345678", "13912345678"), ("+86 139 1234 5678", "13912345678"), ("0591-87654321", "0591-87654321"),
     ("(0591)87654321", "059187654321"), ("12345", None), ("2345678901", None)],
)  # fmt: skip
def test_normalize_phone(raw, phone):
    from lvzhi.core.text import normalize_phone

    assert normalize_phone(raw) == phone


def test_normalize_id_number():
    from lvzhi.core.text import normalize_id_number

    assert normalize_id_number("35010219900101123x") == "35010219900101123X"
    assert normalize_id_number("3501021990010112") is None

from io import BytesIO

from openpyxl import load_workbook

from lvzhi.core.excel import workbook_bytes


def test_text_that_looks_like_a_formula_stays_text():
    content = workbook_bytes(
        "名册", ["姓名", "备注"], [["张三", '=HYPERLINK("http://evil.example","点我")'], ["李四", 3]]
    )

    sheet = load_workbook(BytesIO(content)).active
    cell = sheet["B2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil.example","点我")'
    assert cell.quotePrefix is True
    assert sheet["B3"].value == 3
    assert [c.value for c in sheet[1]] == ["姓名", "备注"]

import pytest

from assistance.creditcode import CreditCodeError, check_character, normalize_credit_code


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("91110000600037341L", "91110000600037341L"),
        (" 9111 0000-6000 3734 1l ", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
    ],
)
def test_valid_codes_normalise(raw: str, expected: str) -> None:
    assert normalize_credit_code(raw) == expected


def test_check_character_values() -> None:
    assert check_character("91350100M000100Y4") == "3"
    assert check_character("91110000600037341") == "L"
    assert check_character("91330200MA2AJ0XX0") == "M"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("91350100M000100Y44", "统一社会信用代码校验位不符，请核对是否抄错"),
        ("91350100M000100Y4", "统一社会信用代码应为18位，现为17位"),
        ("91350100M0001O0Y43", "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V；第3–8位是行政区划代码）"),
        ("913501A0M000100Y43", "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V；第3–8位是行政区划代码）"),
    ],
)
def test_invalid_codes_say_why(raw: str, message: str) -> None:
    with pytest.raises(CreditCodeError) as exc:
        normalize_credit_code(raw)
    assert exc.value.message == message

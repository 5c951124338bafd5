"""Chinese text helpers: pinyin for search, normalised codes, masking of personal data."""

import re
import unicodedata

from pypinyin import lazy_pinyin

# Surnames read differently from the character's common reading (曾 is "zeng" as a surname,
# "ceng" elsewhere): staff type "zxh" for 曾小红.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha", "朴": "piao",
    "乐": "yue", "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao", "繁": "po", "秘": "bi",
    "黑": "he", "种": "chong", "员": "yun", "召": "shao", "洗": "xian", "隗": "wei", "尉": "yu",
    "褚": "chu", "卜": "bu", "华": "hua", "任": "ren", "过": "guo", "宓": "fu", "亓": "qi",
}  # fmt: skip


def _name_syllables(name: str) -> list[str]:
    name = name.strip()
    if not name:
        return []
    if name[0] in SURNAME_READINGS:
        return [SURNAME_READINGS[name[0]], *lazy_pinyin(name[1:], errors="ignore")]
    return lazy_pinyin(name, errors="ignore")


def pinyin_full(name: str) -> str:
    """``张三`` → ``zhangsan``; a person's name, so the surname takes its surname reading."""
    return "".join(_name_syllables(name)).lower()


def pinyin_initials(name: str) -> str:
    """``张三`` → ``zs``: what staff type to find a deputy quickly."""
    return "".join(syllable[0] for syllable in _name_syllables(name) if syllable).lower()


def normalize_code(value: str) -> str:
    """Normalise a code (card number, ID number): full-width digits and letters to ASCII, trimmed.

    Only for codes: NFKC on prose would turn Chinese punctuation into ASCII.
    """
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 8 else "****"


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 7, 4) + value[-4:] if len(value) > 8 else "********"


def mask_email(value: str) -> str:
    if not value or "@" not in value:
        return ""
    local, _, domain = value.partition("@")
    return local[:1] + "***@" + domain


def mask_text(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "…" if len(value) > 3 else "***"


CHINESE_NUMERALS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """Ordinals as congresses write them: 16 → 十六, 4 → 四, 20 → 二十, 104 → 一百零四."""
    if number < 0:
        raise ValueError(number)
    if number < 10:
        return CHINESE_NUMERALS[number]
    if number < 20:
        return "十" + (CHINESE_NUMERALS[number % 10] if number % 10 else "")
    if number < 100:
        tens, units = divmod(number, 10)
        return CHINESE_NUMERALS[tens] + "十" + (CHINESE_NUMERALS[units] if units else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return CHINESE_NUMERALS[hundreds] + "百"
    if rest < 10:
        return CHINESE_NUMERALS[hundreds] + "百零" + CHINESE_NUMERALS[rest]
    return (
        CHINESE_NUMERALS[hundreds]
        + "百"
        + (chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest))
    )


ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def normalize_id_number(value: str) -> str | None:
    """An ID number's canonical form (18 characters, upper-case X), or None if malformed."""
    id_number = normalize_code(value)
    return id_number if ID_NUMBER.match(id_number) else None


def normalize_phone(value: str) -> str | None:
    """A mobile number as 11 digits, or a landline with its area code (``0591-87654321``);
    None if it is neither. The roster import, the forms and the API all accept the same."""
    phone = re.sub(r"[\s()（）]", "", normalize_code(value))
    mobile = MOBILE.match(phone.replace("-", ""))
    if mobile:
        return mobile.group(1)
    return phone if LANDLINE.match(phone) else None

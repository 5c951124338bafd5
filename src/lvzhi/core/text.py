"""Chinese text helpers: pinyin for search, normalised codes, masking of personal data."""

import unicodedata

from pypinyin import Style, lazy_pinyin


def pinyin_full(name: str) -> str:
    """``张三`` → ``zhangsan``."""
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


def pinyin_initials(name: str) -> str:
    """``张三`` → ``zs``: what staff type to find a deputy quickly."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


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
    return CHINESE_NUMERALS[hundreds] + "百" + (chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest))

"""Comparing markup written in Python with the template it replaced."""

import re


def same_html(a: str, b: str) -> bool:
    """Equal but for whitespace between and inside tags."""

    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", s)).strip()

    return norm(a) == norm(b)

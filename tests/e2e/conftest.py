"""Browser tests: the fixtures (browser, page, phone_page) come from tests/support/browser.py."""

from tests.support.browser import PHONE, log_in

__all__ = ["PHONE", "log_in"]

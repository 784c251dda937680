"""Password rules as the NCSC advises, with refusals that say what to do instead.

Long enough, not on the list of common passwords, not only numbers, not like the person's own
details; no composition rules (they make passwords harder to remember, not to guess).
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class LongEnough(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Your password must have at least %(min_length)d character. Try three random "
            "words: they are easy to remember and hard to guess.",
            "Your password must have at least %(min_length)d characters. Try three random "
            "words: they are easy to remember and hard to guess.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("Use at least %(min_length)d characters, for example three random words.") % {
            "min_length": self.min_length
        }


class NotCommon(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _(
            "This password is often used, so it is easy to guess. Choose another one, for "
            "example three random words."
        )

    def get_help_text(self) -> str:
        return _("Do not use a password that many people use.")


class NotOnlyNumbers(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _(
            "Your password must be not only numbers: numbers alone are quick to guess. Use "
            "words, for example three random words."
        )

    def get_help_text(self) -> str:
        return _("Use words, not only numbers.")


class NotLikeYourDetails(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _(
            "Your password is too like your %(verbose_name)s. Choose one that does not use "
            "your name, username or email address."
        )

    def get_help_text(self) -> str:
        return _("Do not use your name, username or email address in your password.")

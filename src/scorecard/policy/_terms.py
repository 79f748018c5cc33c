"""Terms of a grade: payment terms, security, review frequency."""

from __future__ import annotations

from typing import Any

import attrs

from scorecard._core import artifact as _json
from scorecard._core.fields import integer, optional, to_integer
from scorecard.policy._spec import labeled, name_field, names_field, to_names

__all__ = ["Terms"]


@attrs.frozen
class Terms:
    """Terms of an approved (or referred) applicant of one grade.

    Parameters
    ----------
    payment_terms : str
        Label, e.g. ``"net 60"``, ``"net 30"``, ``"cash in advance"``, ``"36 monthly
        installments"``.
    payment_days : int or None
        Days to pay (``60`` for net 60), for systems that need a number; None when it does not
        apply (installment loans, cash in advance).
    security : tuple of str
        Required security or risk transfer, e.g. ``("guarantee",)``, ``("letter_of_credit",)``,
        ``("credit_insurance",)``; empty for unsecured.
    review_months : int
        Months until the next credit review (>= 1).

    Examples
    --------
    >>> Terms("net 30", payment_days=30, security=["credit_insurance"], review_months=6)
    Terms(payment_terms='net 30', payment_days=30, security=('credit_insurance',), review_months=6)
    >>> Terms("net 30", review_months=0)
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: Terms.review_months: expected an integer >= 1, found 0
    """

    payment_terms: str = attrs.field(validator=name_field())
    payment_days: int | None = attrs.field(
        default=None, converter=to_integer, validator=labeled(optional(integer(ge=0)))
    )
    security: tuple[str, ...] = attrs.field(default=(), converter=to_names, validator=names_field())
    review_months: int = attrs.field(
        default=12, converter=to_integer, validator=labeled(integer(ge=1))
    )

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "payment_terms": self.payment_terms,
            "payment_days": self.payment_days,
            "security": list(self.security),
            "review_months": self.review_months,
        }

    @classmethod
    def from_dict(cls, d: Any) -> Terms:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d)
        payment_terms = o.string("payment_terms")
        payment_days = o.optional_integer("payment_days")
        security = o.strings("security")
        review_months = o.integer("review_months")
        with _json.within():
            return cls(
                payment_terms,
                payment_days=payment_days,
                security=security,
                review_months=review_months,
            )

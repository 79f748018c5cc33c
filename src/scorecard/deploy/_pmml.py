"""A card as a PMML 4.4 ``Scorecard`` model, with reason codes and their baselines.

One ``Characteristic`` per characteristic of the card and one ``Attribute`` per bin, with
the bin's integer points as ``partialScore`` and its reason code; ``initialScore`` holds the
base points.  The predicates follow Python's value rule (:mod:`scorecard.deploy._rules`),
written so that their order does not matter except for the first match of a special code:

* numeric: ``isMissing``; each special code ``equal``; each regular bin its interval
  ``[lo, hi)``, the outer ones bounded by the largest finite double, so an infinite value
  matches no attribute;
* categorical: ``isMissing``; each bin the set of its levels (``SimpleSetPredicate``, or an
  ``or`` of ``equal`` predicates when a level holds a double quote or a backslash, which
  engines unescape differently inside an ``Array``); unseen levels ``isNotMissing``, last.

A bin the card refuses (``None`` points) gets no attribute: a value that falls there
matches none, and a PMML engine returns no score for it, as Python raises.  Reason codes
use ``reasonCodeAlgorithm="pointsBelow"`` with the card's baselines (``"max"``,
``"neutral"`` or ``"mean"``, :meth:`Scorecard.reason_codes
<scorecard.Scorecard.reason_codes>`).  Output fields: the score, its PD on the card's
scaling (``1 / (1 + exp((score - offset) / factor))``), optionally the grade of a
:class:`~scorecard.GradeScale` and the top reason codes.

Python breaks a tie between two shortfalls by card order; PMML leaves ties to the engine.
So the exported baseline of the ``j``-th characteristic (from 0) is lowered by
``(j + 1) * 1e-6`` points: a tie becomes a strict order that favours the earlier
characteristic, and since points are whole numbers no other order changes (nor does a
shortfall of 0 become a reason).  PMML also ranks reasons by the shortfall summed per
*code*: when two characteristics share a code their shortfalls add up in PMML, while Python
ranks characteristics.  With one code per characteristic (the default: the
characteristic's name) they agree.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from scorecard._model.reasons import BASELINES, Baseline
from scorecard._model.scorecard import Scorecard
from scorecard._version import __version__
from scorecard.deploy._rules import Branches, branches
from scorecard.exceptions import SpecificationError
from scorecard.policy._grades import GradeScale

__all__ = ["to_pmml"]

NAMESPACE = "http://www.dmg.org/PMML-4_4"
_MAX = "1.7976931348623157E308"
#: baseline lowered per characteristic, in card order, so that ties rank as in Python
TIE_STEP = 1e-6
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str, what: str) -> str:
    bad = _XML_INVALID.search(value)
    if bad:
        raise SpecificationError(
            f"{what}: expected text that XML 1.0 can hold, found {value!r} (control "
            f"character {bad.group()!r})"
        )
    return value


def _num(v: float) -> str:
    return repr(float(v))


def _simple(parent: ET.Element, field: str, op: str, value: str | None = None) -> None:
    attrs = {"field": field, "operator": op}
    if value is not None:
        attrs["value"] = value
    ET.SubElement(parent, "SimplePredicate", attrs)


def _interval(parent: ET.Element, field: str, lo: str, hi: str, hi_op: str) -> None:
    both = ET.SubElement(parent, "CompoundPredicate", {"booleanOperator": "and"})
    _simple(both, field, "greaterOrEqual", lo)
    _simple(both, field, hi_op, hi)


def _levels(parent: ET.Element, field: str, levels: tuple[str, ...]) -> None:
    if len(levels) == 1:
        _simple(parent, field, "equal", levels[0])
    elif any('"' in v or "\\" in v for v in levels):
        either = ET.SubElement(parent, "CompoundPredicate", {"booleanOperator": "or"})
        for v in levels:
            _simple(either, field, "equal", v)
    else:
        pred = ET.SubElement(
            parent, "SimpleSetPredicate", {"field": field, "booleanOperator": "isIn"}
        )
        array = ET.SubElement(pred, "Array", {"n": str(len(levels)), "type": "string"})
        array.text = " ".join(f'"{v}"' for v in levels)


def _attributes(b: Branches) -> list[tuple[int, ET.Element]]:
    """(bin, predicate holder) per attribute, in order; refused bins are left out."""
    out: list[tuple[int, ET.Element]] = []

    def attribute(j: int) -> ET.Element:
        holder = ET.Element("Attribute")
        out.append((j, holder))
        return holder

    field = b.name
    _simple(attribute(b.missing), field, "isMissing")
    if b.kind == "numeric":
        for code, j in b.specials:
            _simple(attribute(j), field, "equal", _num(code))
        bounds = [f"-{_MAX}", *(_num(c) for c in b.cuts), _MAX]
        for j in b.regular:
            last = j == b.regular[-1]
            op = "lessOrEqual" if last else "lessThan"
            _interval(attribute(j), field, bounds[j], bounds[j + 1], op)
    else:
        for j, levels in b.levels:
            _levels(attribute(j), field, levels)
        _simple(attribute(-1), field, "isNotMissing")
    return [(j, el) for j, el in out if b.points[j] is not None]


def to_pmml(
    card: Scorecard,
    *,
    baseline: Baseline = "max",
    grades: GradeScale | None = None,
    reasons: int = 3,
    model_name: str = "scorecard",
) -> str:
    """The card as a PMML 4.4 document (a ``Scorecard`` model), as text.

    Parameters
    ----------
    card : Scorecard
    baseline : {"max", "neutral", "mean"}
        Reason-code baselines, as :meth:`Scorecard.reason_codes
        <scorecard.Scorecard.reason_codes>`.
    grades : GradeScale, optional
        Adds a ``grade`` output field (a score on a cut-off gets the better grade).
    reasons : int
        Number of reason-code output fields ``reason_1`` ... (0 for none).
    model_name : str
        The model's ``modelName``.

    Returns
    -------
    str
        The document (UTF-8 XML).  Output fields: ``score``, ``pd``, ``grade`` (with
        ``grades``) and ``reason_1`` ... ``reason_<reasons>``.

    Raises
    ------
    SpecificationError
        An unknown baseline, a negative number of reasons, an output field named like a
        characteristic, or a name or level that XML cannot hold.

    Examples
    --------
    >>> import pandas as pd
    >>> from scorecard import BinningSpec, Scorecard, bin_features
    >>> df = pd.DataFrame({"x": [1.0, 2, 3, 4] * 50, "bad": [1, 1, 0, 0] * 50})
    >>> card = Scorecard.from_model(bin_features(df, "bad", spec=BinningSpec(
    ...     optimize=False, n_fine=2)), {"x": -0.5}, intercept=-1.0)
    >>> doc = to_pmml(card, reasons=1)
    >>> 'partialScore="439"' in doc and 'baselineScore="591.999999"' in doc
    True
    >>> start = doc.index("<Characteristic ")
    >>> print(doc[start:doc.index("</Characteristic>")].strip())  # doctest: +NORMALIZE_WHITESPACE
    <Characteristic name="x" reasonCode="x" baselineScore="591.999999">
      <Attribute partialScore="516" reasonCode="x">
        <SimplePredicate field="x" operator="isMissing" />
      </Attribute>
      <Attribute partialScore="439" reasonCode="x">
        <CompoundPredicate booleanOperator="and">
          <SimplePredicate field="x" operator="greaterOrEqual" value="-1.7976931348623157E308" />
          <SimplePredicate field="x" operator="lessThan" value="3.0" />
        </CompoundPredicate>
      </Attribute>
      <Attribute partialScore="592" reasonCode="x">
        <CompoundPredicate booleanOperator="and">
          <SimplePredicate field="x" operator="greaterOrEqual" value="3.0" />
          <SimplePredicate field="x" operator="lessOrEqual" value="1.7976931348623157E308" />
        </CompoundPredicate>
      </Attribute>
    """
    if baseline not in BASELINES:
        raise SpecificationError(f"baseline: expected one of {BASELINES}, found {baseline!r}")
    if isinstance(reasons, bool) or not isinstance(reasons, int) or reasons < 0:
        raise SpecificationError(f"reasons: expected an integer >= 0, found {reasons!r}")
    rules = branches(card)
    outputs = ["score", "pd", *(["grade"] if grades is not None else [])]
    outputs += [f"reason_{i}" for i in range(1, reasons + 1)]
    clash = sorted(set(outputs) & set(card.names))
    if clash:
        raise SpecificationError(
            f"to_pmml: expected characteristics not named like the output fields, found {clash}"
        )
    for b in rules:
        _text(b.name, "characteristic name")
        for _, levels in b.levels:
            for v in levels:
                _text(v, f"level of {b.name!r}")

    root = ET.Element("PMML", {"xmlns": NAMESPACE, "version": "4.4"})
    header = ET.SubElement(root, "Header", {"description": _text(card.summary(), "summary")})
    ET.SubElement(header, "Application", {"name": "scorecard", "version": __version__})
    dictionary = ET.SubElement(root, "DataDictionary", {"numberOfFields": str(len(rules))})
    for b in rules:
        numeric = b.kind == "numeric"
        ET.SubElement(
            dictionary,
            "DataField",
            {
                "name": b.name,
                "optype": "continuous" if numeric else "categorical",
                "dataType": "double" if numeric else "string",
            },
        )
    model = ET.SubElement(
        root,
        "Scorecard",
        {
            "modelName": _text(model_name, "model_name"),
            "functionName": "regression",
            "useReasonCodes": "true" if reasons else "false",
            "reasonCodeAlgorithm": "pointsBelow",
            "initialScore": str(int(card.base_points)),
            "baselineMethod": baseline,
        },
    )
    schema = ET.SubElement(model, "MiningSchema")
    for b in rules:
        ET.SubElement(
            schema,
            "MiningField",
            {
                "name": b.name,
                "usageType": "active",
                "invalidValueTreatment": "asIs",
                "missingValueTreatment": "asIs",
            },
        )
    _outputs(ET.SubElement(model, "Output"), card, grades, reasons)
    chars = ET.SubElement(model, "Characteristics")
    catalog = card.reason_catalog
    base = card._baselines(baseline)  # the baselines Scorecard.reason_codes compares with
    for j, (b, value) in enumerate(zip(rules, base, strict=True)):
        code = catalog.lookup(b.name)[0]
        char = ET.SubElement(
            chars,
            "Characteristic",
            {
                "name": b.name,
                "reasonCode": _text(code, "reason code"),
                "baselineScore": repr(float(value) - (j + 1) * TIE_STEP),
            },
        )
        for j, holder in _attributes(b):
            points = b.points[j]
            assert points is not None
            label = b.labels[j]
            holder.attrib = {
                "partialScore": str(int(points)),
                "reasonCode": _text(catalog.lookup(b.name, label)[0], "reason code"),
            }
            char.append(holder)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _outputs(output: ET.Element, card: Scorecard, grades: GradeScale | None, reasons: int) -> None:
    def field(name: str, feature: str, data_type: str, **extra: str) -> ET.Element:
        optype = "categorical" if data_type == "string" else "continuous"
        attrs = {"name": name, "feature": feature, "dataType": data_type, "optype": optype}
        return ET.SubElement(output, "OutputField", {**attrs, **extra})

    field("score", "predictedValue", "double")
    s = card.scaling

    def apply(parent: ET.Element, function: str) -> ET.Element:
        return ET.SubElement(parent, "Apply", {"function": function})

    def constant(parent: ET.Element, v: float) -> None:
        ET.SubElement(parent, "Constant", {"dataType": "double"}).text = repr(float(v))

    # 1 / (1 + exp((score - offset) / factor)): the order of Scaling.pd_from_score
    ratio = apply(field("pd", "transformedValue", "double"), "/")
    constant(ratio, 1.0)
    plus = apply(ratio, "+")
    constant(plus, 1.0)
    z = apply(apply(plus, "exp"), "/")
    diff = apply(z, "-")
    ET.SubElement(diff, "FieldRef", {"field": "score"})
    constant(diff, s.offset)
    constant(z, s.factor)
    if grades is not None:
        disc = ET.SubElement(
            field("grade", "transformedValue", "string"), "Discretize", {"field": "score"}
        )
        upper = math.inf
        for g in grades.grades:
            item = ET.SubElement(disc, "DiscretizeBin", {"binValue": _text(g.name, "grade")})
            margins = {"closure": "closedOpen"}
            if math.isfinite(g.min_score):
                margins["leftMargin"] = repr(float(g.min_score))
            if math.isfinite(upper):
                margins["rightMargin"] = repr(float(upper))
            ET.SubElement(item, "Interval", margins)
            upper = g.min_score
    for i in range(1, reasons + 1):
        field(f"reason_{i}", "reasonCode", "string", rank=str(i))

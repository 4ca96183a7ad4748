"""The editor's wording for a project's fields: one help text (or label) per value.

`core.forms.fields` builds the editor's rows from the lecture's vocabulary; the
sentences shown beside them, which explain each impact lens, cost driver and
general field in the lecture's words, live here so the field tables read as
structure and the prose can be revised without touching them.
"""

from __future__ import annotations

from typing import Final

IMPACT_HELP: Final = {
    "cheap_prediction": (
        "Cheap prediction: is prediction central to a decision here? Where cheap, "
        "good prediction changes a decision, ML has high impact."
    ),
    "product_friction": (
        "Product friction: is there a part of the product experience that hurts, "
        "that a prediction could remove?"
    ),
    "automation": (
        "Automation: would ML replace a complicated manual or rule-based process ('software 2.0')?"
    ),
    "industry_precedent": (
        "Industry precedent: what do others in the industry already do with ML here?"
    ),
}

DRIVER_HELP: Final = {
    "data_availability": (
        "Data availability, the first cost driver: how hard is data to acquire, how "
        "expensive to label, how much is needed, how stable is it, what security does "
        "it need? 5 = plenty of cheap, stable data."
    ),
    "accuracy_requirement": (
        "Accuracy requirement, the second cost driver: how costly are wrong predictions, "
        "how often must the system be right, what are the ethical stakes? Cost grows "
        "super-linearly, roughly 10x for every extra nine (90% -> 99% -> 99.9%). "
        "5 = a modest requirement. Give this score or an accuracy target, not both; "
        "empty clears it."
    ),
    "problem_difficulty": (
        "Problem difficulty, the third cost driver: is it well defined, is there "
        "published work, what compute does it need, can a human do it? Hard when the "
        "output is complex, reliability is required or generalisation is required. "
        "5 = easy."
    ),
}

RANGE_HELP: Final = (
    "How sure is the team? The lowest and highest plausible score, typed as e.g. 2-4; "
    "it must contain the score itself. Empty input clears it."
)

CHECKLIST_LABELS: Final = {
    "need_ml": "Sure we need ML?",
    "success_criteria": "Success criteria agreed",
    "ethics": "Ethics considered",
    "literature_review": "Literature reviewed",
    "labelled_benchmark": "Labelled benchmark built",
    "rule_based_baseline": "Rule-based MVP tried",
    "really_need_ml": "Really sure we need ML?",
}
"""Short row labels for the checklist items; the full wording is the help."""

GENERAL_HELP: Final = {
    "title": "What the project is called: one line, shown in every view.",
    "owner": "Who answers for this project.",
    "archetype": (
        "The product archetype. software-2.0 augments an automated process; "
        "human-in-the-loop has a person review every output; autonomous has no person "
        "in the loop. Autonomous systems are high impact and low feasibility: adding a "
        "human in the loop is the standard way to make them feasible."
    ),
    "tags": "Labels for sorting and searching, separated by commas, e.g. nlp, q3.",
    "summary": "What the project would do, and for whom, in a few sentences.",
    "success_criteria": (
        "Success criteria defined with all of the stakeholders: what must be true for "
        "this project to count as a success?"
    ),
    "notes": "Anything else worth keeping with the project.",
}

TARGET_HELP: Final = (
    "The accuracy the system must reach, e.g. 0.99 or 99%, as an alternative to the "
    "score: the score then follows from the portfolio's cost per extra nine. Give a "
    "target or a score, not both; empty input clears it."
)

OTHER_NOTE_HELP: Final = "A note kept from another archetype's questions; empty input removes it."

STRATEGY_HELP: Final = (
    "How the metrics combine into one number to optimise. 'thresholds' (the usual way) "
    "holds n-1 metrics to thresholds and optimises the n-th; 'weighted' ranks models "
    "by a weighted average of the metrics."
)

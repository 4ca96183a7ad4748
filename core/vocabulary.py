"""The lecture's vocabulary: its lenses, cost drivers, archetypes and questions, as data.

These tables are the words of the Full Stack Deep Learning lecture on ML
projects: the four impact lenses, the three cost drivers with their
sub-questions, the three product archetypes with their key questions, the
feasibility checklist and the data-flywheel questions. They are kept apart from
`core.models` because they are data, not models: the models validate against
some of them (`IMPACT_LENSES`, `Archetype`), while scoring, the lifecycle
gate, the consistency checks and the editor read them to weigh, ask and
explain. This module imports nothing from the project, so every other module
may depend on it without a cycle.
"""

from __future__ import annotations

from enum import StrEnum

IMPACT_LENSES = ("cheap_prediction", "product_friction", "automation", "industry_precedent")
"""The four lenses of impact, in the lecture's order."""


FEASIBILITY_DRIVERS = ("data_availability", "accuracy_requirement", "problem_difficulty")
"""The three cost drivers, most important first."""

RATED_KEYS = IMPACT_LENSES + FEASIBILITY_DRIVERS
"""What a person may rate on a project: each lens and each cost driver, 1-5."""

FEASIBILITY_QUESTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "data_availability": (
        ("data_acquisition", "How hard is it to acquire data?"),
        ("labelling_cost", "How expensive is data labelling?"),
        ("data_volume", "How much data will be needed?"),
        ("data_stability", "How stable is the data?"),
        ("data_security", "What are the data security requirements?"),
    ),
    "accuracy_requirement": (
        ("cost_of_errors", "How costly are wrong predictions?"),
        ("required_frequency", "How frequently does the system need to be right to be useful?"),
        ("ethical_implications", "What are the ethical implications?"),
    ),
    "problem_difficulty": (
        ("well_defined", "Is the problem well defined?"),
        ("published_work", "Is there good published work on similar problems?"),
        ("compute", "What are the computing requirements?"),
        ("human_can_do", "Can a human do it?"),
    ),
}
"""The lecture's sub-questions per cost driver, as (note key, question)."""


class Archetype(StrEnum):
    """The lecture's three product archetypes."""

    SOFTWARE_2_0 = "software-2.0"
    HUMAN_IN_THE_LOOP = "human-in-the-loop"
    AUTONOMOUS = "autonomous"


ARCHETYPE_QUESTIONS: dict[Archetype, tuple[tuple[str, str], ...]] = {
    Archetype.SOFTWARE_2_0: (
        ("improves_performance", "Do your models truly improve performance?"),
        ("business_value", "Does performance improvement generate business value?"),
        ("drives_flywheel", "Do performance improvements lead to a data flywheel?"),
    ),
    Archetype.HUMAN_IN_THE_LOOP: (
        ("good_enough", "How good does the system need to be to be useful?"),
        ("enough_data", "How can you collect enough data to make it good?"),
    ),
    Archetype.AUTONOMOUS: (
        ("acceptable_failure_rate", "What is an acceptable failure rate for the system?"),
        ("failure_rate_guarantee", "How can you guarantee that it won't exceed the failure rate?"),
        ("labelling_cost", "How inexpensively can you label data from the system?"),
    ),
}
"""Each archetype's key questions, as (note key, question)."""


CHECKLIST_ITEMS: tuple[tuple[str, str], ...] = (
    ("need_ml", "Are you sure that you need ML at all?"),
    ("success_criteria", "Success criteria defined with all of the stakeholders"),
    ("ethics", "The ethics of using ML considered"),
    ("literature_review", "Literature review done"),
    ("labelled_benchmark", "A labelled benchmark dataset built"),
    ("rule_based_baseline", "A minimal product with manual rules tried"),
    ("really_need_ml", "Are you really sure that you need ML at all?"),
)
"""The feasibility checklist, gate on leaving planning, as (key, wording)."""


FLYWHEEL_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("data_loop", "Is there a data loop?"),
    ("more_data_better_model", "Does more data make a better model?"),
    ("better_model_better_product", "Does a better model make the product better?"),
)
"""The three data-flywheel questions."""

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


class BackReason(StrEnum):
    """Why a project went back to an earlier stage: the lecture's canonical reasons, or `other`.

    Each code names one of the reasons the lecture gives for a back-edge of the
    lifecycle (see `BACK_REASONS` for its words and the edges it applies to);
    `other` is any reason the lecture does not list, told in the free text. The
    values are what the file stores (`reason_code = "labels-unreliable"`), so
    they never change once released.
    """

    DATA_TOO_HARD_TO_GET = "data-too-hard-to-get"
    EASIER_TO_LABEL_OTHER_TASK = "easier-to-label-other-task"
    MORE_DATA_NEEDED = "more-data-needed"
    LABELS_UNRELIABLE = "labels-unreliable"
    TASK_TOO_HARD = "task-too-hard"
    REQUIREMENTS_TRADE_OFF = "requirements-trade-off"
    FAILS_IN_THE_LAB = "fails-in-the-lab"
    ACCURACY_MUST_IMPROVE = "accuracy-must-improve"
    TRAIN_PRODUCTION_MISMATCH = "train-production-mismatch"
    HARD_CASES_TO_MINE = "hard-cases-to-mine"
    METRIC_DOES_NOT_DRIVE_BEHAVIOUR = "metric-does-not-drive-behaviour"
    REAL_WORLD_PERFORMANCE_POOR = "real-world-performance-poor"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The reason in the lecture's words, e.g. "labels unreliable"."""
        return BACK_REASONS[self][0]

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        """The back-edges (from stage, to stage) this reason applies to; `other` has them all."""
        return BACK_REASONS[self][1]


_BACK_EDGES = (
    ("data", "planning"),
    ("training", "data"),
    ("training", "planning"),
    ("deployment", "training"),
    ("deployment", "data"),
    ("deployment", "planning"),
)

BACK_REASONS: dict[BackReason, tuple[str, tuple[tuple[str, str], ...]]] = {
    # Data collection and labelling: "too hard to get the data, or it might be
    # easier to label for a different task": back to planning.
    BackReason.DATA_TOO_HARD_TO_GET: ("data too hard to get", (("data", "planning"),)),
    BackReason.EASIER_TO_LABEL_OTHER_TASK: (
        "easier to label a different task",
        (("data", "planning"),),
    ),
    # Training and debugging: "need to collect more data or labeling is
    # unreliable" (back to data); "the task is too challenging and there is a
    # tradeoff between project requirements" (back to planning).
    BackReason.MORE_DATA_NEEDED: ("more data needed", (("training", "data"),)),
    BackReason.LABELS_UNRELIABLE: ("labels unreliable", (("training", "data"),)),
    BackReason.TASK_TOO_HARD: ("task too hard", (("training", "planning"),)),
    BackReason.REQUIREMENTS_TRADE_OFF: ("requirements trade off", (("training", "planning"),)),
    # Deployment and testing: "the model doesn't work well in the lab, keep
    # improving its accuracy" (back to training); "mismatch between training
    # and production data, collect more data and mine hard cases" (back to
    # data); "the metric doesn't drive downstream user behavior, performance in
    # the real world isn't great" (back to planning).
    BackReason.FAILS_IN_THE_LAB: ("fails in the lab", (("deployment", "training"),)),
    BackReason.ACCURACY_MUST_IMPROVE: ("accuracy must improve", (("deployment", "training"),)),
    BackReason.TRAIN_PRODUCTION_MISMATCH: (
        "train/production data mismatch",
        (("deployment", "data"),),
    ),
    BackReason.HARD_CASES_TO_MINE: ("hard cases to mine", (("deployment", "data"),)),
    BackReason.METRIC_DOES_NOT_DRIVE_BEHAVIOUR: (
        "metric does not drive user behaviour",
        (("deployment", "planning"),),
    ),
    BackReason.REAL_WORLD_PERFORMANCE_POOR: (
        "real-world performance poor",
        (("deployment", "planning"),),
    ),
    BackReason.OTHER: ("other", _BACK_EDGES),
}
"""Each back-edge reason: its words (as the lecture says them) and the edges it applies to."""


def back_reasons_for(from_stage: str, to_stage: str) -> tuple[BackReason, ...]:
    """The reasons valid on the back-edge `from_stage` -> `to_stage`, the lecture's first and
    `other` last; () when that pair is not a back-edge. Stages are given by value."""
    edge = (str(from_stage), str(to_stage))
    return tuple(code for code in BackReason if edge in code.edges)


def infer_back_reason(from_stage: str, to_stage: str, text: str) -> BackReason:
    """The code a back move's free text stands for, else `other`.

    The text stands for a canonical reason on that edge when it is the reason's
    words, or starts with them followed by a colon ("Labels unreliable: the
    vendors disagreed..."); case, spacing and a final full stop do not matter.
    This is how history written before reason codes existed gets its codes.
    """
    head = text.split(":", 1)[0]
    words = " ".join(head.split()).rstrip(".").casefold()
    for code in back_reasons_for(from_stage, to_stage):
        if code is not BackReason.OTHER and code.label.casefold() == words:
            return code
    return BackReason.OTHER

"""Back moves' reason codes in the file: old files migrate on load, saves write the codes."""

from __future__ import annotations

import pytest

from core.vocabulary import BackReason
from portfolio.errors import LoadError
from portfolio.load import loads
from portfolio.save import dumps

OLD = """schema = 1

[[projects]]
id = "churn"
title = "Churn"
stage = "data"

[[projects.history]]
at = 2026-01-02T09:00:00Z
from = "planning"
to = "data"
by = "ann"
kind = "forward"

[[projects.history]]
at = 2026-01-03T09:00:00Z
from = "data"
to = "training"
by = "ann"
kind = "forward"

[[projects.history]]
at = 2026-01-04T09:00:00Z
from = "training"
to = "data"
by = "ann"
kind = "back"
reason = "Labels unreliable: the vendors disagreed on 14% of totals"

[[projects.history]]
at = 2026-01-05T09:00:00Z
from = "data"
to = "training"
by = "ann"
kind = "forward"

[[projects.history]]
at = 2026-01-06T09:00:00Z
from = "training"
to = "data"
by = "bo"
kind = "back"
reason = "the vendor went bust"
"""


def test_a_file_without_codes_loads_with_them_and_saves_them() -> None:
    history = loads(OLD).projects[0].history
    assert [t.reason_code for t in history] == [
        None,
        None,
        BackReason.LABELS_UNRELIABLE,
        None,
        BackReason.OTHER,
    ]
    saved = dumps(loads(OLD))
    assert saved.count("reason_code") == 2
    assert 'kind = "back"\nreason_code = "labels-unreliable"\nreason = "Labels' in saved
    assert 'reason_code = "other"\nreason = "the vendor went bust"' in saved
    assert dumps(loads(saved)) == saved


def test_a_code_that_does_not_fit_its_move_is_an_error_at_its_line() -> None:
    text = OLD.replace(
        'kind = "back"\nreason = "the vendor',
        'kind = "back"\nreason_code = "task-too-hard"\nreason = "the vendor',
    )
    with pytest.raises(LoadError) as caught:
        loads(text, "p.toml")
    message = str(caught.value)
    line = text.splitlines().index('reason_code = "task-too-hard"') + 1
    assert f"p.toml:{line}:" in message
    assert "'task-too-hard' is not a reason for going back from training to data" in message


def test_a_code_on_a_forward_move_is_an_error() -> None:
    text = OLD.replace('kind = "forward"\n', 'kind = "forward"\nreason_code = "other"\n', 1)
    with pytest.raises(LoadError, match="only a back move has a reason_code"):
        loads(text, "p.toml")

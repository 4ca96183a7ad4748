"""Notes on metrics and candidate models are editable in their forms (issue 14, finding 8)."""

from __future__ import annotations

from core.forms.items import item_data, item_fields, item_texts
from core.models import CandidateModel, Metric


def test_metric_and_model_forms_edit_notes() -> None:
    assert "notes" in [spec.path for spec in item_fields("metrics")]
    assert "notes" in [spec.path for spec in item_fields("models")]
    metric = Metric(name="f1", notes="macro average")
    texts = item_texts("metrics", metric)
    assert texts["notes"] == "macro average"
    data = item_data("metrics", texts | {"notes": "micro average"}, metric)
    assert Metric.model_validate(data).notes == "micro average"
    model = CandidateModel(name="gbm")
    data = item_data("models", item_texts("models", model) | {"notes": "500 trees"}, model)
    assert CandidateModel.model_validate(data).notes == "500 trees"

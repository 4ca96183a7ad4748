"""Pilot tests of the metric panel: what it shows for each kind of project, and that it scrolls."""

from __future__ import annotations

from collections.abc import Callable

import hypothesis
from apps.panel_app import (
    HOSTILE_MODEL,
    HOSTILE_TITLE,
    WIP_TITLE,
    PanelApp,
    make_app,
    make_portfolio,
)
from hypothesis import strategies as st
from strategies import projects, settings
from textual.pilot import Pilot

from core.models import Project, Settings
from tui.widgets.panel import NO_METRICS, NO_PROJECT, MetricPanel, panel_lines

SnapCompare = Callable[..., bool]


def rendered(panel: MetricPanel) -> list[str]:
    """Every line the panel draws, read back from `render_line` (scrolled to the top)."""
    assert panel.scroll_offset.y == 0
    return [panel.render_line(y).text.rstrip() for y in range(panel.virtual_size.height)]


def project(project_id: str) -> Project:
    """A project of the hand-made portfolio."""
    found = make_portfolio().project(project_id)
    assert found is not None
    return found


async def shown(app: PanelApp, pilot: Pilot[None]) -> tuple[MetricPanel, str]:
    """The panel and its rendered text once the app has laid it out."""
    await pilot.pause()
    panel = app.query_one(MetricPanel)
    return panel, "\n".join(rendered(panel))


async def test_thresholds_winner_and_why_not() -> None:
    app = make_app("churn")
    async with app.run_test(size=(100, 60)) as pilot:
        _, text = await shown(app, pilot)
    assert "Optimise: auc (maximize)" in text
    assert "latency_ms ≤ 200 ms (absolute)" in text
    assert "f1 ≥ 0.82 (baseline 'rules' + 0.02)" in text
    assert "\n★ gbm       0.88  ✓ 120       ✓ 0.85\n    ★ winner\n" in text
    assert "✓ 120" in text
    assert "✗ 240" in text
    assert "✗ fails latency_ms: 240 > 200" in text
    assert "✗ fails f1: 0.8 < 0.82" in text


async def test_baseline_ladder_gap_and_chart() -> None:
    app = make_app("churn")
    async with app.run_test(size=(100, 60)) as pilot:
        _, text = await shown(app, pilot)
    lines = text.splitlines()
    ladder = [line for line in lines if "tightest" in line and line.startswith("◆")]
    assert ladder[0].startswith("◆ paper 2023")
    assert "published · external  ◆ tightest" in ladder[0]
    # The diagnosis is about the winner gbm (0.88), not deep-net (0.93), which fails latency.
    assert "Diagnosis · auc  winner against the tightest baseline" in text
    assert "winner gbm 0.88: −0.02 behind tightest 'paper 2023'" in text
    assert "deep-net 0.93" not in text.split("Diagnosis · auc")[1].split("Chart")[0]
    # latency_ms is satisficing: its ladder is context, with no verdict.
    latency = text.split("Baselines · latency_ms")[1].split("Baselines · f1")[0]
    assert "context only: this metric is judged by its threshold" in latency
    assert "underfitting" not in text
    assert "Chart · auc  maximize: longer is better" in text
    deep_net = next(line for line in lines if line.startswith("■ deep-net"))
    rules = next(line for line in lines if line.startswith("□ rules"))
    assert deep_net.count("█") > rules.count("█") > 0
    assert deep_net.endswith("0.93")


async def test_overfitting_hint_and_hostile_names_shown_literally() -> None:
    app = make_app("triage")
    async with app.run_test(size=(100, 40)) as pilot:
        panel, text = await shown(app, pilot)
        assert WIP_TITLE in text
        assert HOSTILE_MODEL in text
        # bias 0.92 - 0.98 = -0.06, variance 0.98 - 0.85 = 0.13 > 0.05 * 0.92 = 0.046
        assert "winner bert 0.85 (train 0.98): −0.07 behind tightest 'nurses'" in text
        assert "avoidable bias −0.06 · variance +0.13 · tolerance 0.046" in text
        assert "⚠ overfitting: validation falls short of training (variance)" in text
        row = next(y for y, line in enumerate(rendered(panel)) if HOSTILE_MODEL in line)
        await pilot.click(MetricPanel, offset=(4, row))
        await pilot.pause()
        assert app.is_running


async def test_weighted_strategy_and_underfitting() -> None:
    app = make_app("pricing")
    async with app.run_test(size=(100, 40)) as pilot:
        _, text = await shown(app, pilot)
    assert text.startswith(HOSTILE_TITLE)
    assert "Optimise: weighted score (higher is better)" in text
    assert "uplift × 2 (maximize)" in text
    assert "latency_ms × 0.01 (minimize)" in text
    assert "latency_ms ≤ 300 (absolute)" in text
    # Normalised, the uplift gain (0.06 -> 0.08 of a 0.05..0.12 span) outweighs 50 ms.
    assert "Weighted average  each metric scaled 0–1, best = 1" in text
    assert "★ gbm" in text
    assert "↳ lower weighted score than winner gbm" in text
    assert "winner gbm 0.08: −0.04 behind tightest 'analyst'" in text
    assert "⚠ behind the baseline; no training score to tell bias from variance" in text


async def test_minimised_objective_and_threshold_problem() -> None:
    app = make_app("eta")
    async with app.run_test(size=(100, 40)) as pilot:
        _, text = await shown(app, pilot)
    assert "Optimise: mae_min (minimize)" in text
    assert "coverage ≥ ? (baseline 'ghost')" in text
    assert "✗ baseline 'ghost' does not exist" in text
    assert "⚠ no model passes every threshold" in text
    assert "★" not in text.split("Candidate models")[1].split("Baselines")[0].replace(
        "★ winner", ""
    )
    assert "Chart · mae_min  minimize: shorter is better" in text
    assert "⚠ no model passes every threshold: diagnosing the best candidate on mae_min" in text
    assert "best candidate, not passing lightgbm 6.2: +0.8 ahead of tightest" in text


async def test_no_metrics_and_no_project() -> None:
    app = make_app("search")
    async with app.run_test(size=(100, 20)) as pilot:
        panel, text = await shown(app, pilot)
        assert NO_METRICS in text
        assert "Candidate models" not in text
        panel.show(None, app.portfolio.settings)
        await pilot.pause()
        assert rendered(panel) == [NO_PROJECT]


async def test_show_switches_projects_and_scrolls_back_to_top() -> None:
    app = make_app("churn")
    async with app.run_test(size=(100, 20)) as pilot:
        panel, before = await shown(app, pilot)
        await pilot.press("end")
        await pilot.pause()
        assert panel.scroll_offset.y > 0
        panel.show(project("triage"), app.portfolio.settings)
        await pilot.pause()
        assert panel.scroll_offset.y == 0
        after = "\n".join(rendered(panel))
    assert "Churn prediction" in before
    assert "Churn prediction" not in after
    assert after.startswith(WIP_TITLE)
    assert panel.virtual_size.height == len(panel.lines)


async def test_keys_scroll_and_stay_out_of_the_footer() -> None:
    app = make_app("churn")
    async with app.run_test(size=(100, 20)) as pilot:
        panel, _ = await shown(app, pilot)
        await pilot.press("j", "j")
        assert panel.scroll_offset.y == 2
        await pilot.press("k")
        assert panel.scroll_offset.y == 1
        await pilot.press("pagedown")
        assert panel.scroll_offset.y > 10
        await pilot.press("home")
        assert panel.scroll_offset.y == 0
    ids = {binding.id for binding in MetricPanel.BINDINGS if not isinstance(binding, tuple)}
    assert {"panel.down", "panel.up", "panel.page_down", "panel.page_up"} <= ids
    assert not any(getattr(b, "show", False) for b in MetricPanel.BINDINGS)


async def test_narrow_panel_wraps_reasons_and_crops_rows() -> None:
    app = make_app("churn")
    async with app.run_test(size=(40, 80)) as pilot:
        panel, text = await shown(app, pilot)
        width = panel.scrollable_content_region.width
        cells = {panel.render_line(y).cell_length for y in range(panel.virtual_size.height)}
    assert cells == {width}
    assert "✗ fails latency_ms: 240 > 200" in text
    assert "◆ paper 2023" in text
    assert "published · external · tightest" in text
    assert "■ deep-net" in text


async def test_marks_are_styled_apart() -> None:
    app = make_app("churn")
    async with app.run_test(size=(100, 40)) as pilot:
        panel, _ = await shown(app, pilot)
        lines = rendered(panel)
        row = panel.render_line(
            next(y for y, ln in enumerate(lines) if ln.startswith("  deep-net"))
        )
    styles = {seg.text.strip(): seg.style for seg in row if seg.text.strip()}
    assert styles["✗ 240"] != styles["✓ 0.88"]
    assert styles["✗ 240"] is not None


def test_snapshot_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app("churn"), terminal_size=(80, 24))


async def test_theme_change_restyles_without_rebuilding() -> None:
    app = make_app("churn")
    async with app.run_test(size=(100, 40)) as pilot:
        panel, _ = await shown(app, pilot)
        lines = panel.lines
        before = list(panel.render_line(0))
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        after = list(panel.render_line(0))
        assert panel.lines == lines
    assert [seg.text for seg in before] == [seg.text for seg in after]
    assert [seg.style for seg in before] != [seg.style for seg in after]


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(projects(), settings(), st.integers(min_value=1, max_value=130))
def test_any_valid_project_lays_out_at_any_width(
    any_project: Project, any_settings: Settings, width: int
) -> None:
    words = "".join(
        "".join(line.plain.split()) for line in panel_lines(any_project, any_settings, width)
    )
    assert ("Candidatemodels" in words) == bool(any_project.metrics)

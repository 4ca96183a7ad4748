"""The lifecycle keys: forward, back with a reason, outcomes and resume.

What is legal, which reasons the lecture offers and whether the checklist
gate applies all come from `core.rules.lifecycle`; this module only asks, opens the
matching dialog and turns the answer into a `MoveProject` edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.edits.changes import MoveProject
from core.models import Project, Stage, TransitionKind
from core.rules.lifecycle import (
    STAGE_TITLES,
    back_edge_reasons,
    checklist_gates,
    checklist_wording,
    default_resume_target,
    find_move,
    legal_targets,
    open_checklist_items,
)
from tui.dialogs import ConfirmDialog, MoveRequest, StageReasonDialog

if TYPE_CHECKING:
    from tui.dashboard.app import MlfolioApp


def targets_of(project: Project, kind: TransitionKind) -> tuple[Stage, ...]:
    """The stages this project may move to with a move of this kind."""
    found = []
    for stage in legal_targets(project.stage):
        move = find_move(project.stage, stage)
        if move is not None and move.kind is kind:
            found.append(stage)
    return tuple(found)


class LifecycleActions:
    """Opens the right dialog for each lifecycle key and applies the chosen move."""

    def __init__(self, app: MlfolioApp) -> None:
        self.app = app

    def _project(self) -> Project | None:
        return self.app.selected_project()

    def apply(self, request: MoveRequest, *, override: bool = False) -> bool:
        """Move the selected project as requested."""
        project = self._project()
        if project is None:
            return False
        edit = MoveProject(project.id, request.to, request.reason, override, request.reason_code)
        return self.app.apply_edit(edit)

    def _gated(self, project: Project, request: MoveRequest) -> None:
        """Apply a move out of planning (forward, or a resume past it), asking for an explicit
        override if items are open; the reason typed for the move goes with the override."""
        open_items = open_checklist_items(project)
        if not checklist_gates(project, request.to) or not open_items:
            self.apply(request)
            return
        wording = "\n".join(f"  ☐ {line}" for line in checklist_wording(open_items))
        body = (
            f"{len(open_items)} feasibility checklist item(s) are still open:\n{wording}\n\n"
            "Leave planning anyway? The override is recorded in the history."
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.apply(request, override=True)
            else:
                kept = f" (your reason was: {request.reason})" if request.reason else ""
                self.app.tell(f"not moved: the checklist is still open{kept}")

        self.app.push_screen(
            ConfirmDialog("Checklist open", body, "Override and move (y)"), answered
        )

    def forward(self) -> None:
        """Move forward one stage (the checklist gates leaving planning)."""
        project = self._project()
        if project is None:
            return
        targets = targets_of(project, TransitionKind.FORWARD)
        if not targets:
            hint = " (o ships it)" if project.stage is Stage.DEPLOYMENT else ""
            self.app.tell(f"{project.stage.value} has no next stage{hint}")
            return
        self._gated(project, MoveRequest(targets[0], ""))

    def back(self) -> None:
        """Send back to any earlier stage; the dialog insists on a reason."""
        project = self._project()
        if project is None:
            return
        targets = targets_of(project, TransitionKind.BACK)
        if not targets:
            self.app.tell(f"{project.stage.value} has no earlier stage to go back to")
            return
        reasons = {stage: back_edge_reasons(project.stage, stage) for stage in targets}
        dialog = StageReasonDialog(
            f"Send back: {project.title}",
            targets,
            reasons,
            reason_required=True,
            confirm_label="Send back",
        )
        self.app.push_screen(dialog, self._chosen)

    def outcome(self) -> None:
        """Park, kill or ship."""
        project = self._project()
        if project is None:
            return
        targets = targets_of(project, TransitionKind.OUTCOME)
        if not targets:
            self.app.tell(f"a {project.stage.value} project has no outcome to move to")
            return
        dialog = StageReasonDialog(
            f"Outcome: {project.title}",
            targets,
            {},
            reason_required=False,
            confirm_label="Move",
        )
        self.app.push_screen(dialog, self._chosen)

    def resume(self) -> None:
        """Resume a parked project, by default where it was parked from."""
        project = self._project()
        if project is None:
            return
        targets = targets_of(project, TransitionKind.RESUME)
        if not targets:
            self.app.tell("only a parked project can be resumed")
            return
        dialog = StageReasonDialog(
            f"Resume: {project.title}",
            targets,
            {},
            reason_required=False,
            confirm_label="Resume",
            default=default_resume_target(project),
        )
        self.app.push_screen(dialog, self._chosen)

    def _chosen(self, request: MoveRequest | None) -> None:
        project = self._project()
        if request is None or project is None:
            return
        self._gated(project, request)


__all__ = ["STAGE_TITLES", "LifecycleActions", "targets_of"]

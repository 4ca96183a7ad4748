"""Adding, duplicating, deleting and editing projects from the keyboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.edits.changes import AddProject, DuplicateProject, RemoveProject
from core.models import Project
from core.naming import free_id, slugify
from tui.dialogs import ConfirmDialog, TextPrompt

if TYPE_CHECKING:
    from tui.dashboard.app import MlfolioApp


class ProjectActions:
    """Turns the project keys into edits, asking first where a slip would hurt."""

    def __init__(self, app: MlfolioApp) -> None:
        self.app = app

    def _taken(self) -> set[str]:
        session = self.app.session
        assert session is not None
        return {p.id for p in session.portfolio.projects}

    def add(self) -> None:
        """Ask for a title and add a project in planning, selected and ready to edit."""

        def named(title: str | None) -> None:
            session = self.app.session
            if not title or session is None:
                return
            new_id = free_id(slugify(title), self._taken())
            project = Project(id=new_id, title=title, owner=session.user, created_at=session.now())
            if self.app.apply_edit(AddProject(project)):
                self.app.selected = new_id

        self.app.push_screen(
            TextPrompt("Add a project", "Title:", placeholder="e.g. Invoice OCR"), named
        )

    def duplicate(self) -> None:
        """Copy the selected project's assessment into a new project in planning."""
        project = self.app.selected_project()
        if project is None:
            return
        new_id = free_id(f"{project.id}-copy", self._taken())
        if self.app.apply_edit(DuplicateProject(project.id, new_id, f"{project.title} (copy)")):
            self.app.selected = new_id

    def delete(self) -> None:
        """Delete the selected project after an explicit yes (undo brings it back)."""
        project = self.app.selected_project()
        if project is None:
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.app.apply_edit(RemoveProject(project.id))

        body = (
            f"Delete {project.title} ({project.id}) and its history of "
            f"{len(project.history)} moves? u undoes it."
        )
        self.app.push_screen(ConfirmDialog("Delete project", body, "Delete (y)"), answered)

    def edit(self) -> None:
        """Open the project editor on the selected project."""
        project = self.app.selected_project()
        if project is None:
            return
        from tui.editor.screen import ProjectEditor

        self.app.push_screen(ProjectEditor(project.id))

"""Adding, duplicating, deleting and editing projects from the keyboard."""

from __future__ import annotations

from core.edits.changes import AddProject, DuplicateProject, RemoveProject
from core.models import Project
from core.naming import free_id, slugify
from tui.dialogs import ConfirmDialog, TextPrompt
from tui.host import Host


class ProjectActions:
    """Turns the project keys into edits, asking first where a slip would hurt."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def _taken(self) -> set[str]:
        session = self.host.session
        assert session is not None
        return {p.id for p in session.portfolio.projects}

    def add(self) -> None:
        """Ask for a title and add a project in planning, selected and ready to edit."""

        def named(title: str | None) -> None:
            session = self.host.session
            if not title or session is None:
                return
            new_id = free_id(slugify(title), self._taken())
            project = Project(id=new_id, title=title, owner=session.user, created_at=session.now())
            if self.host.apply_edit(AddProject(project)):
                self.host.selected = new_id

        self.host.push_screen(
            TextPrompt("Add a project", "Title:", placeholder="e.g. Invoice OCR"), named
        )

    def duplicate(self) -> None:
        """Copy the selected project's assessment into a new project in planning."""
        project = self.host.selected_project()
        if project is None:
            return
        new_id = free_id(f"{project.id}-copy", self._taken())
        if self.host.apply_edit(DuplicateProject(project.id, new_id, f"{project.title} (copy)")):
            self.host.selected = new_id

    def delete(self) -> None:
        """Delete the selected project after an explicit yes (undo brings it back)."""
        project = self.host.selected_project()
        if project is None:
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.host.apply_edit(RemoveProject(project.id))

        body = (
            f"Delete {project.title} ({project.id}) and its history of "
            f"{len(project.history)} moves? u undoes it."
        )
        self.host.push_screen(ConfirmDialog("Delete project", body, "Delete (y)"), answered)

    def edit(self) -> None:
        """Open the project editor on the selected project."""
        project = self.host.selected_project()
        if project is None:
            return
        from tui.editor.screen import ProjectEditor

        self.host.push_screen(ProjectEditor(project.id))

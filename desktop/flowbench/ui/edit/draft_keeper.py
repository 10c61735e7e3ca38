"""The Edit tab's dealings with the services: open, save, reload, start the next version,
and keep unsaved edits in a recovery file.

A save names the version and revision the edits started from; if the draft changed
elsewhere meanwhile the service refuses, and this says what happened and offers to
reload — it never overwrites. The flow's name is saved through ``rename_flow``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import FlowbenchError, StaleError
from flowbench.domain.roles import Permission
from flowbench.services import drafts, flows
from flowbench.services.context import Actor
from flowbench.ui.edit.flow_editor import EditBase, FlowEditor
from flowbench.ui.edit.recovery import RecoveryStore, RecoveryWriter
from flowbench.ui.edit.validation_marks import ValidationMarks
from flowbench.ui.session import SessionChange

if TYPE_CHECKING:
    from flowbench.ui.edit.edit_tab import EditTab


@dataclass(frozen=True)
class EditMode:
    read_only: bool
    reason: str | None = None            # shown in the banner
    next_version: int | None = None      # offers "Edit as Version N"
    placeholder: str | None = None       # no flow to show: this text instead


def workspace_location(session: object) -> str:
    """The open workspace's location, from the session or else the open database."""
    workspace = getattr(session, "workspace", None)
    location = getattr(workspace, "location", None)
    if location:
        return str(location)
    from flowbench.services.opening import current_workspace

    return current_workspace().location


def same_name(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


class DraftKeeper(QObject):
    def __init__(self, tab: EditTab, editor: FlowEditor, marks: ValidationMarks) -> None:
        super().__init__(tab)
        self._tab = tab
        self._editor = editor
        self._marks = marks
        self.recovery = RecoveryWriter(self._snapshot, self)

    @property
    def actor(self) -> Actor | None:
        return getattr(self._tab.session, "actor", None)

    # --- opening ---------------------------------------------------------------------------
    def show_flow(self, flow_id: int | None) -> None:
        tab, editor = self._tab, self._editor
        self.recovery.set_store(None)
        tab.show_changed_elsewhere(None)
        if flow_id is None:
            self._load_nothing("Select a flow in the list to edit it.")
            return
        try:
            content = drafts.open_flow(flow_id)
            segments = drafts.known_segments()
            attributes = drafts.known_attributes()
        except FlowbenchError as error:
            self._load_nothing(str(error))
            return
        mode = self._mode_for(content)
        self._marks.set_segments(segments, attributes)
        tab.apply_mode(mode)
        base = EditBase(flow_id, content.version, content.revision, content.is_draft,
                        content.flow_name)
        editor.load(base, content.flow_name, content.definition)
        tab.flow_form.set_segments(segments)
        roots = editor.definition.roots()
        tab.steps.select_step(roots[0].id if roots else None)
        self._marks.validate_now()
        try:
            self.recovery.set_store(RecoveryStore(workspace_location(tab.session)))
        except FlowbenchError:
            return
        if not mode.read_only:
            self._offer_recovery(base, content.definition)

    def _load_nothing(self, message: str) -> None:
        self._tab.apply_mode(EditMode(read_only=True, placeholder=message))
        self._editor.load(None, "", FlowDefinition())
        self._marks.validate_now()

    def _mode_for(self, content: drafts.FlowContent) -> EditMode:
        actor = self.actor
        if actor is None:
            return EditMode(read_only=True, reason="Sign in to edit flows.")
        if not actor.can(Permission.EDIT_DRAFT):
            return EditMode(read_only=True, reason=actor.why_not(Permission.EDIT_DRAFT))
        if not content.is_draft:
            return EditMode(read_only=True, next_version=content.version + 1,
                            reason=f"Version {content.version} is live; published versions "
                                   "never change. To change the flow, edit it as a new "
                                   "version.")
        return EditMode(read_only=False)

    def _offer_recovery(self, base: EditBase, stored: FlowDefinition) -> None:
        store = self.recovery.store
        kept = store.read(base.flow_id) if store else None
        if kept is None or store is None:
            return
        if kept.name == base.saved_name and kept.definition == stored:
            store.delete(base.flow_id)
            return
        text = (f"Flowbench kept edits to “{kept.name}” that were not saved "
                f"({kept.describe_age()}). Restore them?")
        if (kept.base_version, kept.base_revision) != (base.version, base.revision):
            text += (f"\n\nThey were made to Version {kept.base_version}, revision "
                     f"{kept.base_revision}; the flow is now at Version {base.version}, "
                     f"revision {base.revision}. Restoring puts your edits in place of "
                     "what was saved since, once you save.")
        # Cancel, the default, neither restores nor forgets: the edits are offered again
        choice = self._tab.prompts.choose(self._tab, "Recover unsaved edits?", text,
                                          ["&Restore Them", "&Discard Them"])
        if choice == 0:
            self._editor.replace_content(kept.name, kept.definition, "Recover unsaved edits")
        elif choice == 1:
            store.delete(base.flow_id)

    # --- saving ------------------------------------------------------------------------------
    def save(self) -> bool:
        editor, tab = self._editor, self._tab
        base, actor = editor.base, self.actor
        if base is None or editor.read_only or actor is None:
            return False
        if not editor.is_dirty():
            return True
        try:
            content = drafts.save_draft(actor, base.flow_id, editor.definition,
                                        expected_version=base.version,
                                        expected_revision=base.revision)
        except StaleError as error:
            self._offer_reload(str(error))
            return False
        except FlowbenchError as error:
            tab.prompts.inform(tab, "Not saved", str(error))
            return False
        saved_name = base.saved_name
        renamed = True
        if not same_name(editor.name, base.saved_name):
            try:
                saved_name = flows.rename_flow(actor, base.flow_id, editor.name).name
            except FlowbenchError as error:
                renamed = False
                tab.prompts.inform(tab, "Saved, but not renamed",
                                   f"The flow's steps were saved, but its name was not: "
                                   f"{error}")
        new_base = EditBase(base.flow_id, content.version, content.revision, True, saved_name)
        tab.show_changed_elsewhere(None)
        if renamed:
            editor.mark_saved(new_base)
            self.recovery.forget(base.flow_id)
        else:
            editor.rebase(new_base)  # the steps are saved, the name is not: still unsaved
        tab.saved.emit(base.flow_id)
        return renamed

    def _offer_reload(self, why: str) -> None:
        tab = self._tab
        text = (f"{why}\n\nYour edits were not saved, and nothing was overwritten. "
                "Reload the flow as it is now? Your unsaved edits will be lost; choose No "
                "to keep them on screen (they are also kept in the recovery file).")
        if tab.prompts.confirm(tab, "The flow changed elsewhere", text):
            self.discard()

    def discard(self) -> None:
        base = self._editor.base
        if base is None:
            return
        self.recovery.forget(base.flow_id)
        self.show_flow(base.flow_id)

    def start_next_version(self) -> None:
        base, actor, tab = self._editor.base, self.actor, self._tab
        if base is None or actor is None:
            return
        try:
            drafts.start_next_draft(actor, base.flow_id, expected_live=base.version)
            started = True
        except FlowbenchError as error:
            tab.prompts.inform(tab, "Could not start a new version", str(error))
            started = False
        self.show_flow(base.flow_id)
        tab.flow_form.name.setFocus()
        notify = getattr(tab.session, "notify", None)
        if started and notify is not None:  # the list, Versions, Publish… show the draft
            notify(SessionChange.for_flow(base.flow_id, origin=tab))

    # --- the session and recovery ---------------------------------------------------------------
    def session_changed(self, change: object = None) -> None:
        """Follow the session's announcement (``SessionChange``; None: anything changed).

        Signing in or out reloads (the mode depends on who is signed in). A change to
        other flows, or one this tab made itself, is ignored, so the undo history stays.
        When this flow changed elsewhere: without unsaved edits the tab reloads; with
        them it keeps them on screen and says so — saving then meets the stale check,
        which offers to reload, so nothing is overwritten either way.
        """
        base = self._editor.base
        if self.actor is None:
            self.show_flow(None)
            return
        if change is None or getattr(change, "session", False):
            if not self._editor.is_dirty():
                self.show_flow(base.flow_id if base else None)
            return
        if base is None or getattr(change, "origin", None) in (self, self._tab):
            return
        affects = getattr(change, "affects_flow", None)
        if affects is None or not affects(base.flow_id):
            return
        try:
            stored: drafts.FlowContent | None = drafts.open_flow(base.flow_id)
        except FlowbenchError:
            stored = None  # archived or gone: saving will say so
        if stored is not None and (stored.version, stored.revision, stored.is_draft) == (
                base.version, base.revision, base.is_draft) and same_name(
                stored.flow_name, base.saved_name):
            return  # e.g. an approval was asked for: nothing this tab shows changed
        if not self._editor.is_dirty():
            self.show_flow(base.flow_id)
            return
        self._tab.show_changed_elsewhere(self._elsewhere_text(stored))

    @staticmethod
    def _elsewhere_text(stored: drafts.FlowContent | None) -> str:
        if stored is None:
            now = "The flow is no longer available"
        elif stored.is_draft:
            now = (f"It is now at Version {stored.version}, revision {stored.revision}"
                   + (f" (by {stored.updated_by})" if stored.updated_by else ""))
        else:
            now = f"Version {stored.version} is now live and has no draft"
        return (f"This flow changed elsewhere while you were editing. {now}. Your unsaved "
                "edits are kept; saving will not overwrite the other change — it will "
                "offer to reload instead.")

    def edited(self) -> None:
        if self._editor.is_dirty():
            self.recovery.edited()
        elif self._editor.base is not None:
            self.recovery.forget(self._editor.base.flow_id)

    def _snapshot(self) -> tuple[int, str, FlowDefinition, int, int] | None:
        base = self._editor.base
        if base is None or not self._editor.is_dirty():
            return None
        return (base.flow_id, self._editor.name, self._editor.definition, base.version,
                base.revision)

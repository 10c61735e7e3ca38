"""What the main window shows to a signed-in member: the flow list on the left and the
selected flow's Edit, Publish, Versions and Activity tabs on the right.

The page is built the first time it is needed (sign-in), not with the window, and each
tab only when it is first shown or asked for: until then its place in the tab bar holds
an empty placeholder with the same title and icon, so the tab bar looks the same from
the start. Each tab's ``LazyView.get()`` builds it on demand (the window's
``edit_tab``, ``publish_tab``… properties go through it); ``built`` announces each one so
that the window can wire it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

from flowbench.ui.edit_corner import add_edit_corner
from flowbench.ui.icons import icon
from flowbench.ui.window_shell import ACTIVITY_TAB, EDIT_TAB, PUBLISH_TAB, VERSIONS_TAB

if TYPE_CHECKING:
    from flowbench.ui.activity.activity_tab import ActivityTab
    from flowbench.ui.dialogs.prompts import Prompts
    from flowbench.ui.edit.edit_tab import EditTab
    from flowbench.ui.flow_list import FlowListPanel
    from flowbench.ui.main_actions import MainActions
    from flowbench.ui.publish.publish_tab import PublishTab
    from flowbench.ui.session import AppSession
    from flowbench.ui.versions_tab import VersionsTab

TAB_TITLES = ((EDIT_TAB, "flow-edit", "E&dit"), (PUBLISH_TAB, "flow-publish", "&Publish"),
              (VERSIONS_TAB, "flow-versions", "&Versions"),
              (ACTIVITY_TAB, "flow-activity", "&Activity"))

View = TypeVar("View", bound=QWidget)


class LazyView(Generic[View]):
    """One tab's view: built by ``build`` and put in its tab when first asked for."""

    def __init__(self, tabs: FlowTabs, index: int, build: Callable[[], View]) -> None:
        self._tabs, self._index, self._build = tabs, index, build
        self.view: View | None = None
        tabs.views[index] = self

    def get(self) -> View:
        if self.view is None:
            self.view = self._build()
            self._tabs.put_in_place(self._index, self.view)
        return self.view


class FlowTabs(QTabWidget):
    """The tab widget whose tabs are built when first shown."""

    built = Signal(int, QWidget)  # the tab's index and its view, just put in place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flowTabs")
        self.setAccessibleName("The selected flow")
        self.setDocumentMode(True)
        self.tabBar().setAccessibleName("Views of the selected flow")
        self.views: dict[int, LazyView[Any]] = {}
        for index, icon_name, title in TAB_TITLES:
            placeholder = QWidget(self)
            placeholder.setObjectName("tabPlaceholder")
            self.insertTab(index, placeholder, icon(icon_name), title)
        self.currentChanged.connect(self._shown)

    def put_in_place(self, index: int, view: QWidget) -> None:
        """Swap the placeholder of tab ``index`` for its view (same title, icon, tip)."""
        placeholder = super().widget(index)
        current = self.currentIndex()
        blocked = self.blockSignals(True)  # the tab is swapped, not changed
        try:
            tip, text = self.tabToolTip(index), self.tabText(index)
            self.removeTab(index)
            self.insertTab(index, view, icon(TAB_TITLES[index][1]), text)
            self.setTabToolTip(index, tip)
            self.setCurrentIndex(current)
        finally:
            self.blockSignals(blocked)
        if placeholder is not None:
            placeholder.deleteLater()
        self.built.emit(index, view)

    def widget(self, index: int) -> QWidget | None:
        """The tab's view (built now if it was not yet), as ``QTabWidget.widget``."""
        if index in self.views:
            view: QWidget = self.views[index].get()
            return view
        return super().widget(index)

    def is_built(self, index: int) -> bool:
        return self.views[index].view is not None

    def _shown(self, index: int) -> None:
        if index in self.views:
            self.views[index].get()


class FlowPage(QSplitter):
    """The flow list beside the selected flow's tabs (``tabs``), with the Edit tab's
    buttons in the tab bar's corner (``edit_buttons``)."""

    def __init__(self, session: AppSession, prompts: Prompts, actions: MainActions,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        from flowbench.ui.flow_list import FlowListPanel

        self.setObjectName("mainSplitter")
        self.session, self.prompts = session, prompts
        self.flow_list: FlowListPanel = FlowListPanel(self)
        self.tabs = FlowTabs(self)
        tabs = self.tabs
        self.edit: LazyView[EditTab] = LazyView(tabs, EDIT_TAB, self._build_edit)
        self.publish: LazyView[PublishTab] = LazyView(tabs, PUBLISH_TAB, self._build_publish)
        self.versions: LazyView[VersionsTab] = LazyView(tabs, VERSIONS_TAB,
                                                        self._build_versions)
        self.activity: LazyView[ActivityTab] = LazyView(tabs, ACTIVITY_TAB,
                                                        self._build_activity)
        self.edit_buttons = add_edit_corner(self.tabs, EDIT_TAB, [
            (actions.save, "saveButton", "Save the flow"),
            (actions.revert, "revertButton", "Revert to the saved flow"),
            (actions.test_send, "testSendButton", "Test send the draft"),
            (actions.test_inbox, "testInboxButton", "Show the test inbox again")],
            icon_only=frozenset({"revertButton", "testInboxButton"}))
        self.addWidget(self.flow_list)
        self.addWidget(self.tabs)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([320, 880])  # at 1000 px the Edit tab keeps ~670 px
        self.setChildrenCollapsible(False)
        QWidget.setTabOrder(self.flow_list.search, self.flow_list.view)
        QWidget.setTabOrder(self.flow_list.view, self.tabs)

    def _build_edit(self) -> EditTab:
        from flowbench.ui.edit.edit_tab import EditTab

        tab = EditTab(self.session, self.tabs, prompts=self.prompts)
        tab.setAccessibleName("Edit the flow")
        return tab

    def _build_publish(self) -> PublishTab:
        from flowbench.ui.publish.publish_tab import PublishTab

        return PublishTab(self.session, self.prompts, self.tabs, edits=self.edit.get())

    def _build_versions(self) -> VersionsTab:
        from flowbench.ui.versions_tab import VersionsTab

        return VersionsTab(self.session, self.prompts, self.edit.get(), self.tabs)

    def _build_activity(self) -> ActivityTab:
        from flowbench.ui.activity.activity_tab import ActivityTab

        return ActivityTab(self.session, self.prompts, self.tabs)

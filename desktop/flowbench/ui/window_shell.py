"""The main window's frame: icon, the menu bar, the signed-out page, the status bar, and
its size and place on screen — all of it light, so the window is on screen at once (at
start, when a dialog comes first, the frame alone until that dialog is up: ``furnish``). The
menus' actions and shortcuts (``window.menu_actions``) come once the first windows have
painted; the windows it opens beside itself (Runtime, the admin windows, About) are
built, with their imports, when first asked for.

What a signed-in member works in — the flow list and the flow's tabs
(``ui/flow_page.py``) — is built the first time it is needed, and each tab the first
time it is shown: ``window.edit_tab``, ``window.publish_tab``, ``window.versions_tab``,
``window.activity_tab``, ``window.flow_list``, ``window.tabs`` and ``window.splitter``
are typed properties that build them on demand. ``MainWindow`` (``ui/main_window.py``)
adds what the window does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

# Qt.* only as QtCore.Qt.*, and not before the first paint: PySide6 builds the whole
# Qt namespace (~13 ms) on first use, and this module builds the first window
from PySide6 import QtCore
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from flowbench.resources import resource_path
from flowbench.ui.window_size import first_run_geometry, flow_list_width

if TYPE_CHECKING:
    from PySide6.QtWidgets import QToolButton

    from flowbench.ui.activity.activity_tab import ActivityTab
    from flowbench.ui.admin import AdminWindows
    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.dialogs.about import AboutDialog
    from flowbench.ui.dialogs.prompts import Prompts
    from flowbench.ui.edit.edit_tab import EditTab
    from flowbench.ui.flow_list import FlowListPanel
    from flowbench.ui.flow_page import FlowPage, FlowTabs, LazyView
    from flowbench.ui.main_actions import MainActions
    from flowbench.ui.publish.publish_tab import PublishTab
    from flowbench.ui.runtime.runtime_window import RuntimeWindow
    from flowbench.ui.session import AppSession
    from flowbench.ui.versions_tab import VersionsTab

APP_NAME = "Flowbench"
# No Alt key for View: every letter of it is taken in the window (Versions, Edit,
# Workspace, Trigger…); each of its entries has its own shortcut.
MENU_TITLES = ("&File", "&Edit", "View", "&Workspace", "&Runtime", "&Help")
View = TypeVar("View", bound=QWidget)


def top_menus(window: QMainWindow) -> list[QMenu]:
    """The menu bar's menus, empty: their titles are on screen from the first paint, their
    actions (``MainActions``) come once it is done."""
    menus = [window.menuBar().addMenu(title) for title in MENU_TITLES]
    menus[MENU_TITLES.index("View")].setObjectName("viewMenu")
    return menus


class TabOf(Generic[View]):
    """``window.edit_tab`` and its siblings: the flow page's tab, built (with the page)
    the first time it is asked for (``LazyView.get``)."""

    def __init__(self, which: Callable[[FlowPage], LazyView[View]]) -> None:
        self._which = which

    def __get__(self, window: WindowShell, _owner: object = None) -> View:
        return self._which(window.page).get()

EDIT_TAB, PUBLISH_TAB, VERSIONS_TAB, ACTIVITY_TAB = range(4)  # the flow's tabs, in order


class WindowShell(QMainWindow):
    def __init__(self, session: AppSession, settings: AppSettings, prompts: Prompts,
                 parent: QWidget | None = None, *, furnished: bool = True) -> None:
        """``furnished=False``: only the frame — its size and place, so a dialog can be
        centred on it — until ``furnish``: the start shows its first dialog over the
        window before it builds what the window holds (~5 ms the dialog need not wait
        for)."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.session, self.settings, self.prompts = session, settings, prompts
        self._menus: list[QMenu] = []
        self._actions: MainActions | None = None
        self._page: FlowPage | None = None
        self._waiting_cursor = False
        session.writer_waiting.connect(self._writer_waiting)
        self._restore_geometry()
        if furnished:
            self.furnish()

    def furnish(self) -> None:
        """What the window holds from the first paint: icon, the menu bar's titles, the
        signed-out page and the status bar (once; the first ask builds them)."""
        if self._menus:
            return
        from flowbench.ui.signed_out_page import SignedOutPage  # (after a first dialog)

        self.setWindowIcon(QIcon(str(resource_path("icons/flowbench.svg"))))
        self._menus = top_menus(self)
        self.pages = QStackedWidget(self)
        self.signed_out = SignedOutPage(self.pages)  # (made in place: reparenting costs)
        self.pages.addWidget(self.signed_out)
        self.setCentralWidget(self.pages)
        self._build_status_bar()
        self._furnished()

    def _furnished(self) -> None:
        """Show the session in what ``furnish`` just built (``MainWindow`` does)."""

    # --- the menus' actions, once the first windows are up -------------------------------------
    @property
    def menu_actions(self) -> MainActions:
        """The menus' actions and shortcuts, built at the first ask: the start asks once the
        first windows have painted (``complete_menus``), ~6 ms they need not wait for."""
        if self._actions is None:
            from flowbench.ui.main_actions import MainActions

            self.furnish()
            self._actions = MainActions(self, self._menus)
            self._actions_built(self._actions)
        return self._actions

    def complete_menus(self) -> None:
        self.menu_actions  # noqa: B018 (built on this first ask)

    def menus_complete(self) -> bool:
        return self._actions is not None

    def _actions_built(self, actions: MainActions) -> None:
        """Wire the new actions (``MainWindow`` adds its own)."""
        actions.show_flow_list.setChecked(self.settings.flow_list_shown)
        self._connect_side_windows(actions)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.member_label = QLabel(self)
        self.member_label.setAccessibleName("Signed-in member")
        self.role_label = QLabel(self)
        self.role_label.setAccessibleName("Role")
        self.workspace_label = QLabel(self)
        self.workspace_label.setAccessibleName("Workspace")
        for label in (self.member_label, self.role_label, self.workspace_label):
            bar.addPermanentWidget(label)

    # --- the windows beside it, built on first use ------------------------------------------
    def _connect_side_windows(self, actions: MainActions) -> None:
        actions.about.triggered.connect(self.show_about)
        actions.members_settings.triggered.connect(lambda: self.admin.open_members())
        actions.audit_log.triggered.connect(lambda: self.admin.open_audit_log())
        actions.change_password.triggered.connect(lambda: self.admin.open_change_password())
        actions.runtime_window.triggered.connect(lambda: self._runtime_page(events=False))
        actions.send_event.triggered.connect(lambda: self._runtime_page(True, "event"))
        actions.advance_clock.triggered.connect(lambda: self._runtime_page(True, "clock"))

    @cached_property
    def admin(self) -> AdminWindows:
        from flowbench.ui.admin import AdminWindows

        admin = AdminWindows(self.session, self.prompts, self)
        admin.message.connect(self.show_message)
        return admin

    def show_runtime(self, page: int, focus: str = "") -> RuntimeWindow | None:
        """The Runtime window (one, kept while signed in) on ``page``."""
        if not self.session.signed_in:
            return None
        window: RuntimeWindow | None = getattr(self, "runtime_window", None)
        if window is None:
            from flowbench.ui.runtime.runtime_window import RuntimeWindow

            window = RuntimeWindow(self.session, self.prompts, self)
            window.destroyed.connect(lambda _obj=None: setattr(self, "runtime_window", None))
            window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
            self.runtime_window = window
        window.show_page(page)
        window.events.focus(focus)
        return window

    def _runtime_page(self, events: bool, focus: str = "") -> None:
        """Runtime → Customers and Segments, Send Event or Advance Clock."""
        from flowbench.ui.runtime.runtime_window import CUSTOMERS, EVENTS

        self.show_runtime(EVENTS if events else CUSTOMERS, focus)

    def show_about(self) -> AboutDialog:
        from flowbench.ui.dialogs.about import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- the flow page, built on first use ---------------------------------------------------
    @property
    def page(self) -> FlowPage:
        """The flow list and the flow's tabs (built now if this is the first ask)."""
        if self._page is None:
            from flowbench.ui.flow_page import FlowPage

            page = FlowPage(self.session, self.prompts, self.menu_actions, self)
            self._page = page
            self.pages.addWidget(page)
            splitter = self.settings.splitter_state
            if splitter is not None:
                page.restoreState(splitter)
            elif self._first_sizes is not None:
                page.setSizes(list(self._first_sizes))
            page.flow_list.setVisible(self.menu_actions.show_flow_list.isChecked())
            page.tabs.built.connect(self._tab_built)
            self._page_built(page)
            page.edit.get()  # the tab in front: built (and wired) with the page
        return self._page

    def page_built(self) -> bool:
        return self._page is not None

    def _page_built(self, page: FlowPage) -> None:
        """Wire the page just built (``MainWindow`` does)."""

    def _tab_built(self, index: int, view: QWidget) -> None:
        """Wire a tab just built (``MainWindow`` does)."""

    @property
    def splitter(self) -> FlowPage:
        return self.page

    @property
    def flow_list(self) -> FlowListPanel:
        return self.page.flow_list

    @property
    def tabs(self) -> FlowTabs:
        return self.page.tabs

    @property
    def edit_buttons(self) -> dict[str, QToolButton]:
        return self.page.edit_buttons

    edit_tab: TabOf[EditTab] = TabOf(lambda page: page.edit)
    publish_tab: TabOf[PublishTab] = TabOf(lambda page: page.publish)
    versions_tab: TabOf[VersionsTab] = TabOf(lambda page: page.versions)
    activity_tab: TabOf[ActivityTab] = TabOf(lambda page: page.activity)

    # --- size and place ----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        self._first_sizes: tuple[int, int] | None = None
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.fit_to_screen()
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)

    def fit_to_screen(self) -> None:
        """The first run's size: about 80% of the screen's free area, centred, with the
        flow list wide enough for whole names."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1200, 760)
            return
        geometry = first_run_geometry(screen.availableGeometry())
        self.setGeometry(geometry)
        list_width = flow_list_width(geometry.width())
        self._first_sizes = (list_width, geometry.width() - list_width)
        if self._page is not None:
            self._page.setSizes(list(self._first_sizes))

    def save_geometry(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        if self._page is not None:
            self.settings.splitter_state = self._page.saveState()
        if self._actions is not None:
            self.settings.flow_list_shown = self._actions.show_flow_list.isChecked()
        self.settings.sync()

    def show_flow_list(self, shown: bool) -> None:
        """View → Flow List (Ctrl+B): hidden, the selected flow gets the whole window."""
        if shown != self.menu_actions.show_flow_list.isChecked():
            self.menu_actions.show_flow_list.setChecked(shown)  # comes back here
            return
        if self._page is None:
            return  # the page follows the action when it is built
        flow_list = self._page.flow_list
        flow_list.setVisible(shown)
        focus = QApplication.focusWidget()
        if not shown and focus is not None and flow_list.isAncestorOf(focus):
            self._page.tabs.setFocus()

    def find_flow(self) -> None:
        """Edit → Find Flow: the search box, showing the flow list if it was hidden."""
        self.show_flow_list(True)
        self.flow_list.focus_search()

    def _writer_waiting(self, sentence: str) -> None:
        """A write from this window waits for a long write — another Flowbench's, or
        this one's publish on a worker; a publish to many customers holds a workspace
        file's lock while it runs: the status bar
        says what it waits for, under a busy cursor — painted now, as the wait holds
        this thread — until it is over ("")."""
        bar = self.statusBar()
        if sentence:
            if not self._waiting_cursor:
                QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
                self._waiting_cursor = True
            message = f"Waiting to write to the workspace. {sentence}"
            bar.setToolTip(message)  # all of it, where the window is too narrow
            bar.showMessage(message)
            bar.repaint()
        elif self._waiting_cursor:
            QApplication.restoreOverrideCursor()
            self._waiting_cursor = False
            bar.clearMessage()
            bar.setToolTip("")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

"""The Runtime window: the workspace's local runtime, where flows are rehearsed —
Customers (and their cards), Segments, Events & Clock. Viewers see everything; the
controls that would change data are disabled and say why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.runtime.customers_page import CustomersPage
from flowbench.ui.runtime.events_clock_page import EventsClockPage
from flowbench.ui.runtime.rehearsal import rehearsal_refusal
from flowbench.ui.runtime.segments_page import SegmentsPage
from flowbench.ui.session import AppSession, SessionChange

CUSTOMERS, SEGMENTS, EVENTS = range(3)


class RuntimeWindow(QMainWindow):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.prompts = session, prompts
        self.setObjectName("runtimeWindow")
        self.setWindowTitle("Runtime — Customers, Segments, Events")
        self.setAccessibleName("Runtime")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.customers = CustomersPage(session, prompts, self)
        self.segments = SegmentsPage(session, prompts, self)
        self.events = EventsClockPage(session, prompts, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("runtimeTabs")
        self.tabs.setAccessibleName("Runtime views")
        self.tabs.tabBar().setAccessibleName("Runtime pages")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.customers, "&Customers")
        self.tabs.addTab(self.segments, "Se&gments")
        self.tabs.addTab(self.events, "Events && C&lock")
        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setAccessibleName("Why this window is read-only")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #FFF4CE; color: #5C4400; padding: 6px 10px;")
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.read_only = QLabel(self)
        self.read_only.setAccessibleName("Read-only")
        self.statusBar().addPermanentWidget(self.read_only)
        self.pages = (self.customers, self.segments, self.events)
        for page in self.pages:
            # a page says what its action did in its own outcome line; the status bar
            # does not repeat it (a message shows once, the next one replaces it)
            page.runtime_changed.connect(lambda p=page: self._refresh_others(p))
        for number in range(3):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number + 1}"), self)
            shortcut.activated.connect(lambda n=number: self.tabs.setCurrentIndex(n))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._find_customer)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(self.close)
        self.tabs.currentChanged.connect(self._tab_shown)
        session.changed.connect(self._session_changed)
        self.resize(1000, 650)
        self.refresh()

    def show_page(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.show()
        self.raise_()
        self.activateWindow()

    def refresh(self) -> None:
        """Permissions and every page read again."""
        reason = rehearsal_refusal(self.session)
        self.read_only.setText("Read-only" if reason else "")
        self.read_only.setToolTip(reason or "")
        self.banner.setText(f"Read-only. {reason} You can look at everything here."
                            if reason else "")
        self.banner.setVisible(reason is not None)
        for page in self.pages:
            page.update_permissions()
        self.customers.reload()
        self.segments.reload()
        self.events.reload()

    def _refresh_others(self, origin: QWidget) -> None:
        if origin is not self.segments:
            self.segments.reload()
        if origin is not self.events:
            self.events.reload()
        if origin is not self.customers:
            self.customers.reload()

    def _find_customer(self) -> None:
        self.tabs.setCurrentIndex(CUSTOMERS)
        self.customers.search.setFocus()
        self.customers.search.selectAll()

    def _tab_shown(self, index: int) -> None:
        page = self.pages[index] if 0 <= index < len(self.pages) else None
        if page is self.segments:
            self.segments.reload()
        elif page is self.events:
            self.events.reload()
            chosen = self.customers.current_customer()
            if chosen is not None and not self.events.customer.text().strip():
                self.events.customer.setText(chosen.id)

    def _session_changed(self, change: SessionChange) -> None:
        if change.session:
            if not self.session.signed_in and self.close():
                return
            self.refresh()  # still open (work in progress): nothing may change any more
        elif change.origin not in self.pages and (change.flow_ids or change.flows):
            self._refresh_others(self)  # e.g. a publish started instances and cards

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for page in self.pages:
            task = page.task
            if task is not None and task.running:
                event.ignore()
                self.statusBar().showMessage("Wait until the work in progress finishes.",
                                             6000)
                return
        event.accept()

"""Customers: search and scroll through them (a page at a time), import a CSV file, and
for the selected customer edit attributes, mark a test account and see and act on
their cards."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from flowbench.domain.errors import FlowbenchError, InvalidInput
from flowbench.domain.wording import count_of
from flowbench.services.context import Actor
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime.customers import CustomerImport, CustomerInfo
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.icons import icon
from flowbench.ui.runtime.customer_detail import CustomerDetail
from flowbench.ui.runtime.customer_model import (
    ATTRIBUTES,
    ID,
    TEST,
    CustomerTableModel,
    FirstPage,
    first_page,
)
from flowbench.ui.runtime.rehearsal import RuntimePage, rehearsal_refusal, run_rehearsal
from flowbench.ui.session import AppSession
from flowbench.ui.tasks import Task, TaskControl

CSV_FILTER = "CSV files (*.csv);;All files (*)"
CARD_LIMIT = 100


def read_and_import(actor: Actor, path: Path, control: TaskControl) -> CustomerImport:
    control.report(f"Reading {path.name}…")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Could not read {path.name}: {exc.strerror or exc}. "
                           "Nothing was imported.") from None
    control.report(f"Importing the customers of {path.name}…")
    return runtime_customers.import_customers_csv(actor, data, path.name)


class CustomersPage(RuntimePage):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, parent)
        self.search_task: Task | None = None
        self._generation = 0
        self.model = CustomerTableModel(self)
        self._build()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.import_button.clicked.connect(self.import_csv)
        self.add_button.clicked.connect(self.add_customer)
        self.test_box.clicked.connect(self._test_clicked)
        self.attributes.save_requested.connect(self._save_attributes)
        self.cards.pressed.connect(self._press)
        self.cards.acted.connect(self._act)

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search customer ids…")
        self.search.setAccessibleName("Search customers")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of customers")
        self.import_button = QPushButton(icon("import-flow"), "&Import CSV…", self)
        self.import_button.setAccessibleName("Import customers from a CSV file")
        self.import_button.setToolTip("A header row with an 'id' column, an optional 'test' "
                                      "column and attribute columns; a bad row refuses the "
                                      "whole file")
        self.add_button = QPushButton(icon("new-flow"), "Add C&ustomer…", self)
        self.add_button.setAccessibleName("Add a customer")
        self.add_button.setToolTip("Add one customer by id")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addSpacing(12)
        top.addWidget(self.add_button)
        top.addWidget(self.import_button)

        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.view.setObjectName("customerTable")
        self.view.setAccessibleName("Customers")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ID, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ID, 100)
        header.resizeSection(TEST, 44)
        header.resizeSection(ATTRIBUTES, 200)  # whole in the panel beside; segment names read
        header.setStretchLastSection(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

        self.detail = CustomerDetail(self)
        self.customer_title, self.test_box = self.detail.title, self.detail.test_box
        self.attributes, self.cards = self.detail.attributes, self.detail.cards
        self.cards_box = self.detail.cards_box

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([480, 460])
        split.setChildrenCollapsible(False)
        self.result = QLabel(self)
        self.result.setAccessibleName("Outcome")
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.result)
        self._show_customer(None)

    # --- following the session --------------------------------------------------------------
    def update_permissions(self) -> None:
        reason = rehearsal_refusal(self.session, "change the runtime's customers")
        self.gate([self.import_button, self.add_button], reason)
        self.attributes.set_editable(reason is None, reason)
        self._show_customer(self.current_customer())

    def reload(self) -> None:
        """Re-read the first page (keeping the selected customer when still listed). A
        search scans every id, so it reads on a worker thread; the last one typed wins."""
        search = self.search.text().strip()
        self._generation += 1
        if not search:
            try:
                self._show_page(first_page(""))
            except FlowbenchError as error:
                self.result.setText(str(error))
            return
        generation = self._generation
        self.count.setText("Searching…")
        task = Task(lambda _control: first_page(search))

        def found(page: FirstPage) -> None:
            if isValid(self) and generation == self._generation:  # still shown, still asked
                self._show_page(page)

        def failed(error: object) -> None:
            if isValid(self) and generation == self._generation:
                self.count.setText("")
                self.result.setText(str(error))

        task.succeeded.connect(found)
        task.failed.connect(failed)
        self.search_task = task.start()

    def _show_page(self, page: FirstPage) -> None:
        selected = self.current_customer()
        self.model.apply(page)
        total = f"{page.total:,}{'+' if page.capped else ''}"
        noun = "customer" if page.total == 1 else "customers"
        self.count.setText(f"{total} {noun}" + (" match" if page.search else ""))
        row = self.model.row_of(selected.id) if selected else None
        if row is not None:
            self.view.selectRow(row)
        self._show_customer(self.model.customer_at(row) if row is not None else None)

    def current_customer(self) -> CustomerInfo | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.customer_at(rows[0].row()) if rows else None

    def select_customer(self, external_id: str) -> bool:
        row = self.model.row_of(external_id)
        if row is None:
            self.search.blockSignals(True)
            self.search.setText(external_id)
            self.search.blockSignals(False)
            self._generation += 1
            try:
                self._show_page(first_page(external_id))
            except FlowbenchError as error:
                self.result.setText(str(error))
            row = self.model.row_of(external_id)
        if row is None:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        info = self.current_customer()
        if info is not None:  # read again: it may have changed since the page was read
            with suppress(FlowbenchError):  # gone: the row stays until the next reload
                self.model.refresh_customer(info.id)
            info = self.current_customer()
        self._show_customer(info)

    def _show_customer(self, info: CustomerInfo | None) -> None:
        self.detail.show_customer(info, rehearsal_refusal(self.session))
        if info is not None:
            self.show_cards(info.id)

    def show_cards(self, external_id: str) -> None:
        try:
            cards = runtime_cards.list_cards(customer=external_id, limit=CARD_LIMIT)
            buttons = runtime_cards.card_buttons([card.id for card in cards])
        except FlowbenchError as error:
            cards, buttons = [], {}
            self.result.setText(str(error))
        self.detail.show_cards(cards, buttons, rehearsal_refusal(self.session),
                               f"{external_id} has no cards yet.", CARD_LIMIT)
        try:
            pushes = runtime_cards.list_pushes(customer=external_id, limit=CARD_LIMIT)
        except FlowbenchError:
            pushes = []
        self.detail.show_pushes(pushes)

    # --- changing customers -------------------------------------------------------------------
    def import_csv(self) -> Task | None:
        if rehearsal_refusal(self.session) is not None or (
                self.task is not None and self.task.running):
            return None
        path = self.prompts.choose_open_file(self, "Import Customers", CSV_FILTER)
        if path is None:
            return None
        self.task = run_rehearsal(
            self, self.prompts, "Importing customers",
            lambda actor, control: read_and_import(actor, path, control),
            self._imported, self.session.actor, "Customers not imported")
        return self.task

    def _imported(self, result: Any) -> None:
        self._done(f"Imported: {result.describe()}", None)
        self.reload()

    def add_customer(self) -> None:
        actor = self.session.actor
        if actor is None or rehearsal_refusal(self.session) is not None:
            return
        name = self.prompts.ask_text(self, "Add Customer", "Id of the new customer:")
        if name is None or not name.strip():
            return
        try:
            runtime_customers.get_customer_info(name)
        except FlowbenchError:
            pass  # not there yet: add it
        else:
            self.select_customer(name.strip())
            self.result.setText(f"“{name.strip()}” is already a customer.")
            return
        if self._apply(lambda: runtime_customers.set_customer(actor, name, ["test=no"]),
                       "Customer not added", f"Added “{name.strip()}”."):
            self.search.clear()
            self._search_timer.stop()
            self.reload()
            self.select_customer(name.strip())

    def _test_clicked(self, checked: bool) -> None:
        info, actor = self.current_customer(), self.session.actor
        if info is None or actor is None:
            return
        flag = "yes" if checked else "no"
        said = "is now a test account" if checked else "is no longer a test account"
        if not self._apply(lambda: runtime_customers.set_customer(actor, info.id,
                                                                  [f"test={flag}"]),
                           "Test flag not changed", f"“{info.id}” {said}."):
            self.test_box.setChecked(info.is_test)
        self._refresh(info.id)

    def _save_attributes(self, words: list[str]) -> None:
        info, actor = self.current_customer(), self.session.actor
        if info is None or actor is None:
            return
        self._apply(lambda: runtime_customers.set_customer(actor, info.id, words),
                    "Attributes not saved", f"Saved the attributes of “{info.id}”.")
        self._refresh(info.id)

    def _press(self, card_id: int, index: int) -> None:
        actor = self.session.actor
        if actor is not None:
            self._act_with(lambda: runtime_cards.press_button(actor, card_id, index))

    def _act(self, card_id: int, action: str) -> None:
        actor = self.session.actor
        if actor is not None:
            self._act_with(lambda: runtime_cards.act_on_card(actor, card_id, action))

    def _act_with(self, call: Any) -> None:
        info = self.current_customer()
        try:
            card = call()
        except FlowbenchError as error:
            self.prompts.error(self, "Card unchanged", str(error))
        else:
            self._done(f"“{card.title}” is now {card.status}.", [card.flow])
        if info is not None:
            self.show_cards(info.id)

    def _apply(self, call: Any, error_title: str, success: str) -> bool:
        try:
            result = call()
        except FlowbenchError as error:
            self.prompts.error(self, error_title, str(error))
            return False
        extra = "" if not isinstance(result, CustomerImport) else " ".join(
            [f"{n:,} entered ‘{s}’." for s, n in sorted(result.entered.items())]
            + [f"{n:,} left ‘{s}’." for s, n in sorted(result.left.items())]
            + ([f"Started {count_of(result.started, 'flow instance')}."] if result.started else []))
        self._done(f"{success} {extra}".strip(), None)
        return True

    def _refresh(self, external_id: str) -> None:
        try:
            self.model.refresh_customer(external_id)
        except FlowbenchError:
            self.reload()
        self._show_customer(self.current_customer())

    def _done(self, text: str, flows: list[str] | None) -> None:
        self.result.setText(text)
        self.message.emit(text)
        self.runtime_moved(flows)

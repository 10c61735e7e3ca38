"""Customers as a table read a page at a time: a workspace may hold a million of them,
so the view asks for more rows (``fetchMore``) only as the member scrolls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime.customers import CustomerInfo
from flowbench.ui.models.table_model import Index, RecordTableModel

ID, TEST, ATTRIBUTES, SEGMENTS = range(4)
HEADERS = ("Customer", "Test", "Attributes", "Segments")
PAGE = 200
COUNT_CAP = 100_000  # a search counts its matches up to here ("100,000+")


def attributes_text(attributes: dict[str, Any]) -> str:
    return "  ".join(f"{key}={value}" for key, value in sorted(attributes.items()))


@dataclass(frozen=True)
class FirstPage:
    search: str
    rows: list[CustomerInfo]
    total: int
    capped: bool  # the total is a lower bound ("100,000+")


def first_page(search: str, page: int = PAGE) -> FirstPage:
    """Read the first page and the count (service calls only: fine on a worker thread)."""
    search = search.strip()
    rows = runtime_customers.page_customers(search=search or None, limit=page)
    if search:
        total = runtime_customers.count_customers(search=search, cap=COUNT_CAP)
        return FirstPage(search, rows, total, total >= COUNT_CAP)
    return FirstPage(search, rows, runtime_customers.count_customers(), False)


class CustomerTableModel(RecordTableModel[CustomerInfo]):
    HEADERS = HEADERS

    def __init__(self, parent: Any = None, page: int = PAGE) -> None:
        super().__init__(parent)
        self._search = ""
        self._more = False
        self._page = page
        self.total = 0
        self.total_capped = False

    # --- filling ---------------------------------------------------------------------------
    def load(self, search: str = "") -> None:
        """The first page of the customers whose id contains ``search``, and their count."""
        self.apply(first_page(search, self._page))

    def apply(self, page: FirstPage) -> None:
        """Show a first page read elsewhere (e.g. on a worker thread)."""
        self._search = page.search
        self._more = len(page.rows) == self._page
        self.set_records(page.rows)
        self.total, self.total_capped = page.total, page.capped

    @property
    def search(self) -> str:
        return self._search

    def refresh_customer(self, external_id: str) -> None:
        """Re-read one customer's row (after its attributes or flag changed)."""
        row = self.row_of(external_id)
        if row is None:
            return
        self._records[row] = runtime_customers.get_customer_info(external_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    customer_at = RecordTableModel.record_at

    def row_of(self, external_id: str) -> int | None:
        for row, info in enumerate(self._records):
            if info.id == external_id:
                return row
        return None

    @property
    def loaded(self) -> int:
        return len(self._records)

    # --- fetching more as the view scrolls --------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or not self._more or not self._records:
            return
        found = runtime_customers.page_customers(search=self._search or None,
                                                 after=self._records[-1].id, limit=self._page)
        self._more = len(found) == self._page
        if not found:
            return
        start = len(self._records)
        self.beginInsertRows(QModelIndex(), start, start + len(found) - 1)
        self._records.extend(found)
        self.endInsertRows()

    # --- QAbstractTableModel ---------------------------------------------------------------
    def cell(self, info: CustomerInfo, index: Index, role: int) -> Any:
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ID:
                return info.id
            if column == TEST:
                return "Test" if info.is_test else ""
            if column == ATTRIBUTES:
                return attributes_text(info.attributes)
            if column == SEGMENTS:
                return ", ".join(info.segments)
        if role == Qt.ItemDataRole.ToolTipRole and column in (ATTRIBUTES, SEGMENTS):
            return "\n".join(f"{k} = {v}" for k, v in sorted(info.attributes.items())) \
                if column == ATTRIBUTES else "\n".join(info.segments)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == TEST:
            return "test account" if info.is_test else "customer"
        return None

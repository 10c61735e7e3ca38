"""The Edit tab at the window sizes people use: at 1000×650 nothing is clipped (the
diagram goes under the step's form), at 1400×900 tree, form and diagram sit side by
side; in both, the flow's Name field is wide enough to read a name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import flows
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace

pytestmark = pytest.mark.ui
NAME = "Trial onboarding for new enterprise customers"
CARD = Step("card_1", "send_card", title="Welcome to your trial", body="Start here",
            buttons=(Button("Start", "submit"),), expires_after="P7D")


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


@pytest.fixture
def signed_in(shell: Any, made_workspace: Callable[..., Path]) -> Any:
    location = made_workspace()
    open_workspace(location)
    try:
        flows.create_flow(sign_in("owner@example.com", "correct horse 1"), NAME,
                          FlowDefinition(trigger=Trigger("api_event", event="trial.started"),
                                         steps=(CARD,)))
    finally:
        close_workspace()
    shell.start(location)
    shell.sign_in()
    shell.click_flow(NAME)
    shell.window.edit_tab.steps.select_step("card_1")
    return shell


@pytest.mark.parametrize("size", [(1000, 650), (1400, 900)])
def test_nothing_is_clipped_and_the_name_is_readable(signed_in: Any,
                                                     size: tuple[int, int]) -> None:
    window = signed_in.window
    window.resize(*size)
    settle()
    tab = window.edit_tab
    form = tab.form_scroll

    assert form.horizontalScrollBar().maximum() == 0, "the step's form scrolls sideways"
    assert form.viewport().width() >= tab.step_form.minimumSizeHint().width()
    name = tab.flow_form.name
    assert name.width() >= name.fontMetrics().averageCharWidth() * 24
    assert name.cursorPosition() == 0  # a long name shows its beginning
    assert tab.diagram.isVisible() and tab.diagram.width() >= 150
    assert tab.diagram.height() >= 120
    if size[0] < 1200:
        assert tab.narrow and tab.diagram.parentWidget() is tab.middle  # under the form
    else:
        assert not tab.narrow and tab.diagram.parentWidget() is tab.splitter  # beside it


def test_shrinking_the_window_rearranges_rather_than_squeezing_the_flow_list(
        signed_in: Any) -> None:
    window = signed_in.window
    window.resize(1400, 900)
    settle()
    list_width = window.flow_list.width()
    window.resize(1000, 650)
    settle()

    assert window.edit_tab.narrow
    assert abs(window.flow_list.width() - list_width) <= 4
    assert window.edit_tab.form_scroll.horizontalScrollBar().maximum() == 0
    window.resize(1400, 900)
    settle()
    assert not window.edit_tab.narrow


def test_banners_and_selected_icons_read_in_the_dark_scheme(
        signed_in: Any, dark_scheme: Callable[[bool], None]) -> None:
    tab = signed_in.window.edit_tab
    try:
        dark_scheme(True)
        settle()
        tab.show_changed_elsewhere("This flow changed elsewhere while you were editing.")
        settle()
        banner = tab.elsewhere_banner.grab().toImage()
        assert banner.pixelColor(3, 3).lightness() < 100  # a dark banner, not a pale one
        assert "#F6CBC4" in tab.styleSheet()  # with light text

        # the selected step's icon turns white on the selection, not blue on blue
        tree = tab.steps.tree
        index = tab.steps.model.index_of("card_1")
        assert tree.selectionModel().isSelected(index)
        rect = tree.visualRect(index)
        image = tree.viewport().grab(rect).toImage()
        icon_width = 20  # the icon (16 px + margin); the row's white text starts after it
        assert any(image.pixelColor(x, y).lightness() > 240
                   for x in range(icon_width) for y in range(image.height())), \
            "no white icon on the selected row"
    finally:
        tab.show_changed_elsewhere(None)
        dark_scheme(False)
        settle()
    assert tab.elsewhere_banner.isHidden()
    assert "#FFF4D6" in tab.styleSheet()  # back to the light banners

"""A publish plan in words: the summary's rich text, the previous versions' figures and
the sentence saying why publishing is blocked (shared by the tab and the dialog)."""

from __future__ import annotations

from html import escape

from flowbench.domain.publish_plan import BlockerKind, PublishPlan

MUTED = "#5f6673"
MAX_COMPACT_STEPS = 8  # the dialog lists this many steps at most
TABLE = "border-collapse: collapse;"
CELL = "padding: 3px 14px 3px 0; vertical-align: top;"
NUMBER = "padding: 3px 0 3px 18px; text-align: right;"


def names(items: list[str]) -> str:
    """'Legal', 'Legal and Marketing', 'Legal, Marketing and Support'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def why_blocked(plan: PublishPlan) -> str:
    """Why Publish… is unavailable, in sentences; "" when nothing blocks."""
    sentences: list[str] = []
    kinds = {b.kind for b in plan.blockers}
    for blocker in plan.blockers:
        if blocker.kind in (BlockerKind.PERMISSION, BlockerKind.NOTHING_TO_PUBLISH):
            sentences.append(blocker.message)
    errors = sum(1 for b in plan.blockers if b.kind == BlockerKind.VALIDATION)
    if errors:
        sentences.append(f"Fix the {plural(errors, 'validation error')} listed above first.")
    if BlockerKind.APPROVAL in kinds:
        waiting = f"Waiting for approval from {names(plan.approvals_missing)}."
        if plan.can_publish_with_override:
            waiting += " You may publish without it in an emergency, giving a reason."
        sentences.append(waiting)
    return " ".join(sentences)


def _row(label: str, value: str, muted: str) -> str:
    return (f"<tr><td style='{CELL} color: {muted};'>{escape(label)}</td>"
            f"<td style='{CELL}'>{value}</td></tr>")


INDENT_PX = 16  # a level deeper
HANG_PX = 12  # a wrapped line goes on under the text, not under the bullet


def _bullets(lines: list[str]) -> str:
    """One block each; steps indented by depth (two spaces a level) get an arrow, and a
    line that wraps keeps its indent (a hanging indent under the text)."""
    out = []
    for line in lines:
        depth = (len(line) - len(line.lstrip(" "))) // 2
        text = line.strip()
        if text.startswith(PATH_HEADINGS):  # "If the card is submitted:", "Otherwise:"
            out.append(f"<div style='margin-left: {INDENT_PX * depth}px;'>"
                       f"<i>{escape(text)}</i></div>")
            continue
        mark = "•" if depth == 0 else "↳"
        out.append(f"<div style='margin-left: {INDENT_PX * depth + HANG_PX}px; "
                   f"text-indent: -{HANG_PX}px;'>{mark}&nbsp;{escape(text)}</div>")
    return "".join(out)


PATH_HEADINGS = ("If the card is ", "Otherwise:", "If yes:", "If no:", "On no path:")


def when(edited_at: str | None) -> str:
    return (edited_at or "")[:16]  # '2026-12-03 07:14' — seconds add nothing here


def summary_html(plan: PublishPlan, *, compact: bool = False, muted: str = MUTED) -> str:
    """Key details: the version, what is live now, trigger, steps, changes, editor."""
    if plan.version is None:
        return f"<p style='color: {muted};'>There is no draft to publish.</p>"
    live = (f"Version {plan.live_version} (it becomes a previous version)"
            if plan.live_version is not None else "none yet — this is the first publish")
    rows = [_row("Version", f"<b>Version {plan.version}</b> (draft, revision {plan.revision})",
                 muted),
            _row("Live now", escape(live), muted),
            _row("Trigger", escape(plan.trigger), muted)]
    steps = plan.steps[:MAX_COMPACT_STEPS] if compact else plan.steps
    more = len(plan.steps) - len(steps)
    rows.append(_row("Steps", (_bullets(steps) or "none")
                     + (f"<div><i>… and {more} more</i></div>" if more else ""), muted))
    rows.append(_row("What changed", _bullets(plan.changes), muted))
    if plan.edited_by:
        rows.append(_row("Edited by", escape(f"{plan.edited_by}, {when(plan.edited_at)} UTC"),
                         muted))
    return f"<table style='{TABLE}'>{''.join(rows)}</table>"


def previous_html(plan: PublishPlan, muted: str = MUTED) -> str:
    """The published versions with running instances or open cards (the live one marked
    "(live)": publishing the draft makes it an earlier version), with their counts."""
    if not plan.previous_versions:
        return (f"<p style='color: {muted};'>No published version has running instances "
                "or open cards.</p>")
    head = (f"<tr><th style='{CELL} text-align: left;'>Version</th>"
            f"<th style='{NUMBER}'>Running instances</th>"
            f"<th style='{NUMBER}'>Open cards</th></tr>")
    body = "".join(
        f"<tr><td style='{CELL}'>Version {v.version}"
        f"{' (live)' if v.version == plan.live_version else ''}</td>"
        f"<td style='{NUMBER}'>{v.running_instances:,}</td>"
        f"<td style='{NUMBER}'>{v.open_cards:,}</td></tr>" for v in plan.previous_versions)
    total = ""
    if len(plan.previous_versions) > 1:
        total = (f"<tr><td style='{CELL}'><b>All</b></td>"
                 f"<td style='{NUMBER}'><b>{plan.running_previous:,}</b></td>"
                 f"<td style='{NUMBER}'><b>{plan.open_cards_previous:,}</b></td></tr>")
    return f"<table style='{TABLE}'>{head}{body}{total}</table>"


def segment_sentence(plan: PublishPlan) -> str:
    if plan.segment is None:
        return ""
    segment = plan.segment
    verb = "is" if segment.members == 1 else "are"
    return (f"{plural(segment.members, 'customer')} {verb} in “{segment.name}” now; "
            f"{segment.already_running:,} of them already "
            f"{'runs' if segment.already_running == 1 else 'run'} this flow.")

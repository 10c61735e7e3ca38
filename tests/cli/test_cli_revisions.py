"""No draft content is ever lost: every import is a kept revision, listed by
``flowbench revisions NAME [--json]`` and exported by ``flows export NAME --revision R``."""

from __future__ import annotations

from flowbench.domain.flow_file import parse_flow_file


def titles_of_revisions(run, name: str) -> list[str]:
    kept = run("revisions", name, "--json").json()
    return [parse_flow_file(run("flows", "export", name, "--revision",
                                str(r["revision"])).out).definition.steps[0].title
            for r in kept]


def test_imports_by_two_members_keep_every_revision(run, flow_file) -> None:
    assert run("flows", "import", str(flow_file(title="Ed's first")), as_="editor").code == 0
    assert run("flows", "import", str(flow_file(title="Ed's second")), as_="editor").code == 0
    over = run("flows", "import", str(flow_file(title="Olive's file")), as_="owner")
    assert over.code == 0, over
    assert "The revision it replaced (2, saved by Ed moments ago) is kept" in over.out
    kept = run("revisions", "Welcome series", "--json").json()
    assert [(r["version"], r["revision"], r["saved_by"]) for r in kept] == [
        (1, 1, "Ed"), (1, 2, "Ed"), (1, 3, "Olive")]
    assert all(len(r["content_hash"]) == 64 and r["saved_at"][:2] == "20" for r in kept)
    assert titles_of_revisions(run, "Welcome series") == ["Ed's first", "Ed's second",
                                                          "Olive's file"]
    table = run("revisions", "Welcome series").out.splitlines()
    assert table[0].split() == ["VERSION", "REVISION", "SAVED", "BY", "SAVED", "AT",
                                "CONTENT", "HASH"]
    assert [line.split()[:3] for line in table[1:]] == [["1", "1", "Ed"], ["1", "2", "Ed"],
                                                        ["1", "3", "Olive"]]


def test_an_import_over_my_own_revision_says_nothing_more(run, flow_file) -> None:
    run("flows", "import", str(flow_file(title="One")), as_="editor")
    again = run("flows", "import", str(flow_file(title="Two")), as_="editor")
    assert again.code == 0 and "is kept" not in again.out


def test_the_next_draft_keeps_its_own_revisions(run, flow_file) -> None:
    run("flows", "import", str(flow_file(title="Version one")), as_="editor")
    assert run("publish", "Welcome series", as_="publisher").code == 0
    run("flows", "import", str(flow_file(title="Version two")), as_="editor")
    run("flows", "import", str(flow_file(title="Version two, again")), as_="editor")
    kept = run("revisions", "Welcome series", "--json").json()
    assert {r["version"] for r in kept} == {2}
    assert titles_of_revisions(run, "Welcome series")[-2:] == ["Version two",
                                                               "Version two, again"]


def test_unknown_revisions_and_flows_without_a_draft_are_refused(run, flow_file,
                                                                 refused) -> None:
    run("flows", "import", str(flow_file()), as_="editor")
    refused(run("flows", "export", "Welcome series", "--revision", "9"),
            "has no revision 9 (it is at revision 1)")
    assert run("flows", "export", "Welcome series", "--revision", "1",
               "--version", "1").code == 2
    assert run("publish", "Welcome series", as_="publisher").code == 0
    refused(run("revisions", "Welcome series"), "'Welcome series' has no draft")

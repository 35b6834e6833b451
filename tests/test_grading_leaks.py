"""The key-material scan: hidden-test lines found in notebooks, JSON, highlighted HTML."""

from __future__ import annotations

import json

from grading_fixtures import make_course

from crmtrain.grading.safety.leaks import find_key_material, hidden_lines, scan


def test_hidden_lines_are_the_substantive_ones(tmp_path):
    course = make_course(tmp_path / "c", tmp_path / "ex")
    (nb,) = course.source_notebooks("initial")
    lines = hidden_lines(nb)
    assert "check('Q001', 'single', 'opt-kx72')" in lines
    assert not any(ln.startswith(("from ", "import ", "###")) for ln in lines)


def test_scan_sees_through_json_and_html(tmp_path):
    course = make_course(tmp_path / "c", tmp_path / "ex")
    out = tmp_path / "out"
    out.mkdir()
    (out / "clean.ipynb").write_text(json.dumps({"cells": [{"source": ["print('opt-kx72')\n"]}]}))
    assert find_key_material(course, "initial", [out]) == []
    (out / "leak.ipynb").write_text(json.dumps({"cells": [{"source": ["x = 1\n", "check('Q001', 'single', 'opt-kx72')"]}]}))
    (out / "feedback.html").write_text(
        '<span class="n">check</span><span class="p">(</span><span class="s1">&#39;Q003&#39;</span>'
        '<span class="p">,</span> <span class="s1">&#39;numeric&#39;</span><span class="p">,</span> '
        '<span class="mf">24.0</span><span class="p">,</span> <span class="n">tolerance</span>'
        '<span class="o">=</span><span class="mf">0.5</span><span class="p">)</span>')
    (out / "notes.txt").write_text("### BEGIN HIDDEN TESTS\n")
    hits = find_key_material(course, "initial", [out, tmp_path / "missing"])
    assert [h.split(":")[0].rsplit("/", 1)[1] for h in hits] == ["feedback.html", "leak.ipynb", "notes.txt"]


def test_scan_reports_each_needle(tmp_path):
    (tmp_path / "a.txt").write_text("alpha beta")
    assert scan([tmp_path], ["alpha", "gamma", "beta"]) == [
        f"{tmp_path / 'a.txt'}: contains 'alpha'", f"{tmp_path / 'a.txt'}: contains 'beta'"]


def test_a_drawn_slot_hides_each_candidate_key_and_a_case_slot_has_none(tmp_path):
    """The freight sample's follow-up draws one of two questions and re-asks two cases."""
    from crmtrain.notebooks.assessments import build_assessment
    from crmtrain.notebooks.cells import render
    from crmtrain.regulation.loader import load
    from crmtrain.samples import sample_path

    nb = tmp_path / "followup.ipynb"
    nb.write_text(render(build_assessment(load(sample_path("freight")), "followup", "crm-training")), encoding="utf-8")
    lines = hidden_lines(nb)
    assert "('fu-tech-01', 'single', 'a', {})," in lines and "('fu-tech-02', 'true_false', True, {})," in lines
    # A case's hidden test repeats the rules its answer cell shows: nothing in it is a key.
    assert not any("'rate-quote'" in ln or "check_case" in ln for ln in lines)
    released = tmp_path / "release"
    released.mkdir()
    source = json.loads(nb.read_text(encoding="utf-8"))
    source["cells"] = [c for c in source["cells"] if "BEGIN HIDDEN TESTS" not in "".join(c["source"])]
    (released / "followup.ipynb").write_text(json.dumps(source), encoding="utf-8")
    assert scan([released], lines) == []

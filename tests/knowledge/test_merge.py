"""The three-way merge of page content: what merges by itself, what clashes, and that no edit is lost."""

import copy

from knowledge.merge import MINE, OWN, THEIRS, Own, display_text, merge_text, read_resolutions, three_way
from tests.factories import heading, paragraph


def _page(*blocks, title="Wat de Woo vraagt", summary="Een korte samenvatting.", tags=("woo",), themes=(1,)):
    return {"title": title, "summary": summary, "tags": list(tags), "themes": list(themes), "body": list(blocks)}


def _base():
    return _page(
        heading("Inleiding", "h1"),
        paragraph("De Woo geldt voor iedereen. Een verzoek kan per e-mail. De termijn is vier weken.", "p1"),
        paragraph("Gemeenten publiceren actief.", "p2"),
        {"type": "quote", "value": {"text": "Openheid is de norm.", "attribution": "De minister"}, "id": "q1"},
    )


def _edit(page, block_id, value):
    page = copy.deepcopy(page)
    for block in page["body"]:
        if block["id"] == block_id:
            block["value"] = value
    return page


def _without(page, block_id):
    page = copy.deepcopy(page)
    page["body"] = [b for b in page["body"] if b["id"] != block_id]
    return page


def _ids(result):
    return [b["id"] for b in result.merged["body"]]


def _block(result, block_id):
    return next(b for b in result.merged["body"] if b["id"] == block_id)


def test_nothing_changed_in_the_meantime_gives_the_members_version():
    base = _base()
    mine = _edit(base, "p2", "<p>Gemeenten publiceren actief en tijdig.</p>")
    result = three_way(base, mine, copy.deepcopy(base))
    assert result.clean and not result.auto_merged
    assert result.merged == mine


def test_changes_to_separate_blocks_merge_and_say_so():
    base = _base()
    mine = _edit(base, "p2", "<p>Gemeenten publiceren actief en tijdig.</p>")
    theirs = _edit(base, "h1", {"text": "Waar het om gaat", "level": "h2"})
    result = three_way(base, mine, theirs)
    assert result.clean and result.auto_merged
    assert _block(result, "p2")["value"] == "<p>Gemeenten publiceren actief en tijdig.</p>"
    assert _block(result, "h1")["value"]["text"] == "Waar het om gaat"
    assert _ids(result) == ["h1", "p1", "p2", "q1"]


def test_different_sentences_of_one_paragraph_merge():
    base = _base()
    mine = _edit(
        base, "p1", "<p>De Woo geldt voor alle overheden. Een verzoek kan per e-mail. De termijn is vier weken.</p>"
    )
    theirs = _edit(
        base, "p1", "<p>De Woo geldt voor iedereen. Een verzoek kan per e-mail. De termijn is zes weken.</p>"
    )
    result = three_way(base, mine, theirs)
    assert result.clean and result.auto_merged
    assert (
        _block(result, "p1")["value"]
        == "<p>De Woo geldt voor alle overheden. Een verzoek kan per e-mail. De termijn is zes weken.</p>"
    )


def test_the_same_sentence_changed_differently_is_a_conflict_that_keeps_the_members_text():
    base = _base()
    mine_text = "<p>De Woo geldt voor iedereen. Een verzoek kan per e-mail of brief. De termijn is vier weken.</p>"
    theirs_text = "<p>De Woo geldt voor iedereen. Een verzoek kan ook mondeling. De termijn is vier weken.</p>"
    result = three_way(base, _edit(base, "p1", mine_text), _edit(base, "p1", theirs_text))
    assert not result.clean and not result.auto_merged
    [conflict] = result.conflicts
    assert conflict.key == "body.p1" and conflict.field == "body" and conflict.block_id == "p1"
    assert conflict.kind == "changed" and conflict.editable
    assert conflict.label == "Alinea"
    assert conflict.mine == mine_text and conflict.theirs == theirs_text
    assert conflict.base_text.startswith("De Woo geldt")
    assert ("ins", "e-mail of brief. ") in conflict.mine_segments
    assert any(kind == "ins" and "mondeling" in text for kind, text in conflict.theirs_segments)
    assert _block(result, "p1")["value"] == mine_text, "unresolved: the member's text stays"


def test_a_conflict_resolves_to_theirs_mine_or_the_members_own_text():
    base = _base()
    mine = _edit(base, "p1", "<p>Mijn versie.</p>")
    theirs = _edit(base, "p1", "<p>Hun versie.</p>")
    assert _block(three_way(base, mine, theirs, resolutions={"body.p1": THEIRS}), "p1")["value"] == "<p>Hun versie.</p>"
    assert _block(three_way(base, mine, theirs, resolutions={"body.p1": MINE}), "p1")["value"] == "<p>Mijn versie.</p>"
    own = three_way(base, mine, theirs, resolutions={"body.p1": Own("<p>Samen.</p>")})
    assert own.clean and _block(own, "p1")["value"] == "<p>Samen.</p>"


def test_identical_changes_on_both_sides_are_no_conflict():
    base = _base()
    same = _edit(base, "p2", "<p>Gemeenten publiceren alles actief.</p>")
    same["title"] = "Wat de Woo van je vraagt"
    result = three_way(base, same, copy.deepcopy(same))
    assert result.clean and result.auto_merged
    assert result.merged == same


def test_struct_blocks_merge_per_sub_field():
    base = _base()
    mine = _edit(
        base, "q1", {"text": "Openheid is de norm, geheimhouding de uitzondering.", "attribution": "De minister"}
    )
    theirs = _edit(base, "q1", {"text": "Openheid is de norm.", "attribution": "Minister van BZK"})
    result = three_way(base, mine, theirs)
    assert result.clean
    assert _block(result, "q1")["value"] == {
        "text": "Openheid is de norm, geheimhouding de uitzondering.",
        "attribution": "Minister van BZK",
    }


def test_the_same_sub_field_changed_differently_is_a_conflict_on_that_sub_field():
    base = _base()
    mine = _edit(base, "q1", {"text": "Openheid is de norm.", "attribution": "Minister A"})
    theirs = _edit(base, "q1", {"text": "Openheid is altijd de norm.", "attribution": "Minister B"})
    result = three_way(base, mine, theirs)
    [conflict] = result.conflicts
    assert conflict.key == "body.q1.attribution" and conflict.part == "attribution"
    assert conflict.label == "Citaat (Bron)"
    assert _block(result, "q1")["value"] == {"text": "Openheid is altijd de norm.", "attribution": "Minister A"}


def test_an_edited_block_the_other_side_deleted_is_a_conflict_and_the_edit_is_kept():
    base = _base()
    mine = _edit(base, "p2", "<p>Gemeenten publiceren actief, ook besluiten.</p>")
    result = three_way(base, mine, _without(base, "p2"))
    [conflict] = result.conflicts
    assert conflict.kind == "deleted_by_them" and conflict.key == "body.p2" and not conflict.editable
    assert conflict.theirs is None and conflict.mine["value"] == "<p>Gemeenten publiceren actief, ook besluiten.</p>"
    assert _ids(result) == ["h1", "p1", "p2", "q1"], "the edit is never dropped"
    dropped = three_way(base, mine, _without(base, "p2"), resolutions={"body.p2": THEIRS})
    assert dropped.clean and _ids(dropped) == ["h1", "p1", "q1"]


def test_deleting_a_block_the_other_side_edited_is_a_conflict_too():
    base = _base()
    theirs = _edit(base, "p2", "<p>Gemeenten publiceren actief, ook besluiten.</p>")
    result = three_way(base, _without(base, "p2"), theirs)
    [conflict] = result.conflicts
    assert conflict.kind == "deleted_by_me" and conflict.mine is None
    kept = three_way(base, _without(base, "p2"), theirs, resolutions={"body.p2": THEIRS})
    assert kept.clean and _ids(kept) == ["h1", "p1", "p2", "q1"]
    assert _block(kept, "p2")["value"] == "<p>Gemeenten publiceren actief, ook besluiten.</p>"


def test_deleting_an_unchanged_block_merges_with_an_edit_elsewhere():
    base = _base()
    theirs = _edit(base, "h1", {"text": "Kern", "level": "h2"})
    result = three_way(base, _without(base, "p2"), theirs)
    assert result.clean and result.auto_merged
    assert _ids(result) == ["h1", "p1", "q1"] and _block(result, "h1")["value"]["text"] == "Kern"


def test_blocks_added_at_the_same_place_are_both_kept_theirs_first():
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["body"].insert(2, paragraph("Mijn nieuwe alinea.", "m1"))
    mine["body"].insert(3, paragraph("Nog een van mij.", "m2"))
    theirs["body"].insert(2, paragraph("Hun nieuwe alinea.", "t1"))
    result = three_way(base, mine, theirs)
    assert result.clean and result.auto_merged
    assert _ids(result) == ["h1", "p1", "t1", "m1", "m2", "p2", "q1"]


def test_the_same_block_added_on_both_sides_is_kept_once():
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["body"].append(paragraph("Zie ook de Archiefwet.", "m1"))
    theirs["body"].append(paragraph("Zie ook de Archiefwet.", "t1"))
    result = three_way(base, mine, theirs)
    assert result.clean and _ids(result) == ["h1", "p1", "p2", "q1", "t1"]


def test_blocks_added_at_the_start_and_end():
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["body"].insert(0, paragraph("Vooraf.", "m0"))
    theirs["body"].append(paragraph("Achteraf.", "t9"))
    theirs["body"].insert(0, paragraph("Helemaal vooraf.", "t0"))
    assert _ids(three_way(base, mine, theirs)) == ["t0", "m0", "h1", "p1", "p2", "q1", "t9"]


def test_a_move_on_one_side_merges_with_an_edit_of_the_moved_block():
    base = _base()
    mine = copy.deepcopy(base)
    mine["body"] = [mine["body"][3], *mine["body"][:3]]
    theirs = _edit(base, "q1", {"text": "Openheid is de regel.", "attribution": "De minister"})
    result = three_way(base, mine, theirs)
    assert result.clean
    assert _ids(result) == ["q1", "h1", "p1", "p2"]
    assert _block(result, "q1")["value"]["text"] == "Openheid is de regel."


def test_moves_of_different_blocks_merge_when_they_do_not_cross():
    base = _page(*(paragraph(f"Alinea {n}.", f"b{n}") for n in range(6)))
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["body"][0], mine["body"][1] = mine["body"][1], mine["body"][0]
    theirs["body"][4], theirs["body"][5] = theirs["body"][5], theirs["body"][4]
    result = three_way(base, mine, theirs)
    assert result.clean and _ids(result) == ["b1", "b0", "b2", "b3", "b5", "b4"]


def test_the_same_blocks_reordered_differently_is_an_order_conflict():
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["body"] = [base["body"][i] for i in (2, 0, 1, 3)]
    theirs["body"] = [base["body"][i] for i in (0, 1, 3, 2)]
    theirs["body"].append(paragraph("Nieuw van hen.", "t1"))
    result = three_way(base, mine, theirs)
    [conflict] = result.conflicts
    assert conflict.kind == "order" and conflict.key == "body:order" and not conflict.editable
    assert _ids(result) == ["p2", "t1", "h1", "p1", "q1"], "unresolved: the member's order; theirs' new block kept"
    resolved = three_way(base, mine, theirs, resolutions={"body:order": THEIRS})
    assert resolved.clean and _ids(resolved) == ["h1", "p1", "q1", "p2", "t1"]


def test_title_changed_on_both_sides_is_a_conflict_one_side_is_not():
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["title"] = "Wat de Woo vraagt van gemeenten"
    theirs["title"] = "Wat de Wet open overheid vraagt"
    result = three_way(base, mine, theirs)
    [conflict] = result.conflicts
    assert conflict.key == "title" and conflict.field == "title" and conflict.label == "Titel"
    assert conflict.block_id is None and conflict.editable
    assert result.merged["title"] == "Wat de Woo vraagt van gemeenten"
    theirs["title"] = base["title"]
    theirs["summary"] = "Een andere samenvatting."
    clean = three_way(base, mine, theirs)
    assert clean.clean and clean.merged["title"] == mine["title"] and clean.merged["summary"] == theirs["summary"]


def test_tags_and_themes_merge_as_sets():
    base = _page(tags=["woo", "archief"], themes=[1, 2])
    mine = _page(tags=["woo", "archief", "gemeenten"], themes=[2])
    theirs = _page(tags=["woo"], themes=[1, 2, 3])
    result = three_way(base, mine, theirs)
    assert result.clean
    assert result.merged["tags"] == ["woo", "gemeenten"]
    assert result.merged["themes"] == [2, 3]


def test_text_added_at_the_same_place_on_both_sides_is_a_conflict():
    base = _page(summary="Eerste zin.")
    mine = _page(summary="Eerste zin. Mijn tweede zin.")
    theirs = _page(summary="Eerste zin. Hun tweede zin.")
    result = three_way(base, mine, theirs)
    [conflict] = result.conflicts
    assert conflict.key == "summary"


def test_unicode_text_merges_and_shows_intact():
    base = _page(
        paragraph("Één café aan de Coolsingel. “Openbaar” is de norm… Zie § 5.1 — € 0,00 🎉. Nog één zin.", "u")
    )
    mine = _edit(
        base,
        "u",
        "<p>Één café aan de Coolsingel in Rotterdam. “Openbaar” is de norm… Zie § 5.1 — € 0,00 🎉. Nog één zin.</p>",
    )
    theirs = _edit(
        base,
        "u",
        "<p>Één café aan de Coolsingel. “Openbaar” is de norm… Zie § 5.1 — € 0,00 🎉. Nog één zin, ñ ü.</p>",
    )
    result = three_way(base, mine, theirs)
    assert result.clean
    merged = result.merged["body"][0]["value"]
    assert merged.startswith(
        "<p>Één café aan de Coolsingel in Rotterdam. “Openbaar” is de norm… Zie § 5.1 — € 0,00 🎉."
    )
    assert merged.endswith("🎉. Nog één zin, ñ ü.</p>")
    clash = three_way(base, mine, _edit(base, "u", "<p>Één café aan de Blaak. “Openbaar” is de norm… Nog één zin.</p>"))
    [conflict] = clash.conflicts
    assert "Rotterdam" in conflict.mine_text and "Blaak" in conflict.theirs_text
    assert any(kind == "ins" and "Blaak" in text for kind, text in conflict.theirs_segments)


def test_rich_text_keeps_its_markup_and_never_merges_into_broken_tags():
    base = "<p>Eén. Twee.</p><p>Drie.</p>"
    assert merge_text(base, "<p>Eén. <b>Twee.</b></p><p>Drie.</p>", "<p>Eén. Twee.</p><p>Vier.</p>") == (
        "<p>Eén. <b>Twee.</b></p><p>Vier.</p>"
    )
    assert merge_text(base, "<p>Eén. Twee.</p><ul><li>Drie.</li></ul>", "<p>Eén. Twee. Drie.</p>") is None
    assert display_text("<p>Eén <b>vet</b>.</p><ul><li>punt</li></ul>") == "Eén\nvet\n.\npunt"


def test_decimal_points_and_abbreviations_do_not_split_into_clashing_units():
    assert merge_text(
        "Versie 2.5 is uit. Lees meer.", "Versie 2.5 is nu uit. Lees meer.", "Versie 2.5 is uit. Lees dit."
    ) == ("Versie 2.5 is nu uit. Lees dit.")


def test_a_new_block_on_one_side_and_an_emptied_body_on_the_other():
    base = _page(paragraph("Alleen deze.", "a"))
    mine = _page()
    theirs = _page(paragraph("Alleen deze.", "a"), paragraph("Erbij.", "b"))
    result = three_way(base, mine, theirs)
    assert result.clean and _ids(result) == ["b"]


def test_read_resolutions_turns_posted_choices_into_resolutions_and_asks_for_missing_ones():
    base = _base()
    mine, theirs = _edit(base, "p1", "<p>Mijn.</p>"), _edit(base, "p1", "<p>Hun.</p>")
    mine["title"], theirs["title"] = "Mijn titel", "Hun titel"
    mine = _edit(mine, "p2", "<p>Weg bij hen.</p>")
    theirs = _without(theirs, "p2")
    conflicts = three_way(base, mine, theirs).conflicts
    assert {c.key for c in conflicts} == {"title", "body.p1", "body.p2"}
    data = {
        "conflict-title": OWN,
        "conflict-title-tekst": "Onze titel",
        "conflict-body.p1": THEIRS,
        "conflict-body.p2": OWN,
    }
    resolutions, errors = read_resolutions(conflicts, data)
    assert resolutions == {"title": Own("Onze titel"), "body.p1": THEIRS}
    assert list(errors) == ["body.p2"], "a deleted block cannot be typed over"
    assert "Kies" in str(errors["body.p2"])
    resolutions["body.p2"] = MINE
    result = three_way(base, mine, theirs, resolutions=resolutions)
    assert result.clean
    assert result.merged["title"] == "Onze titel"
    assert _block(result, "p1")["value"] == "<p>Hun.</p>" and _block(result, "p2")["value"] == "<p>Weg bij hen.</p>"


def test_moves_that_cannot_both_hold_are_an_order_conflict():
    base = _page(*(paragraph(f"Alinea {n}.", f"b{n}") for n in "abcd"))
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["body"] = [base["body"][i] for i in (2, 0, 1, 3)]  # c to the front
    theirs["body"] = [base["body"][i] for i in (0, 1, 3, 2)]  # d before c
    result = three_way(base, mine, theirs)
    assert [c.kind for c in result.conflicts] == ["order"]
    assert [b["id"] for b in result.conflicts[0].theirs] == ["ba", "bb", "bd", "bc"]


def test_the_conflict_include_shows_both_sides_marked_and_offers_the_choices():
    from django.template.loader import render_to_string

    base = _base()
    mine = _edit(base, "p2", "<p>Gemeenten publiceren <b>alles</b> actief.</p>")
    theirs = _edit(base, "p2", "<p>Provincies publiceren actief.</p>")
    [conflict] = three_way(base, mine, theirs).conflicts
    html = render_to_string(
        "knowledge/includes/merge_conflict.html", {"conflict": conflict, "field_name": "conflict-body.p2"}
    )
    assert "Jouw versie" in html and "De versie die intussen is opgeslagen" in html
    assert '<ins><span class="visually-hidden">[toegevoegd:] </span>Provincies' in html
    assert '<del><span class="visually-hidden">[verwijderd:] </span>Gemeenten' in html
    for value in ("mine", "theirs", "own"):
        assert f'name="conflict-body.p2" value="{value}"' in html
    assert 'name="conflict-body.p2-tekst"' in html
    assert "&lt;p&gt;Gemeenten publiceren &lt;b&gt;alles&lt;/b&gt; actief.&lt;/p&gt;</textarea>" in html
    redisplay = render_to_string(
        "knowledge/includes/merge_conflict.html",
        {"conflict": conflict, "field_name": "c-x", "text": "Eigen tekst", "choice": "own", "error": "Kies iets."},
    )
    assert ">Eigen tekst</textarea>" in redisplay and 'value="own" checked' in redisplay
    assert 'aria-describedby="c-x-fout"' in redisplay and "Kies iets." in redisplay


def test_the_conflict_include_for_a_deleted_block_offers_no_own_text():
    from django.template.loader import render_to_string

    base = _base()
    mine = _edit(base, "p2", "<p>Gewijzigd.</p>")
    [conflict] = three_way(base, mine, _without(base, "p2")).conflicts
    html = render_to_string("knowledge/includes/merge_conflict.html", {"conflict": conflict, "field_name": "k"})
    assert "Dit blok is intussen verwijderd." in html and "Hun versie: het blok verwijderen" in html
    assert 'value="own"' not in html and "<textarea" not in html


def test_many_random_edits_to_different_sentences_always_merge_and_keep_every_edit():
    import random

    rng = random.Random(20261129)
    for _round in range(200):
        sentences = {(b, s): f"Zin {s} van blok {b}." for b in range(6) for s in range(3)}

        def body(texts, removed=()):
            return [paragraph(" ".join(texts[(b, s)] for s in range(3)), f"b{b}") for b in range(6) if b not in removed]

        spots = rng.sample(sorted(sentences), 8)
        mine_spots, theirs_spots = spots[:4], spots[4:]
        mine_texts, theirs_texts = dict(sentences), dict(sentences)
        for spot in mine_spots:
            mine_texts[spot] = f"Mijn zin {spot[1]} in blok {spot[0]}!"
        for spot in theirs_spots:
            theirs_texts[spot] = f"Hun zin {spot[1]} in blok {spot[0]}?"
        untouched = sorted(set(range(6)) - {b for b, _s in spots})
        removed = set(untouched[:1])
        result = three_way(_page(*body(sentences)), _page(*body(mine_texts, removed)), _page(*body(theirs_texts)))
        assert result.clean, (mine_spots, theirs_spots)
        merged = " ".join(b["value"] for b in result.merged["body"])
        for spot in mine_spots:
            assert mine_texts[spot] in merged
        for spot in theirs_spots:
            assert theirs_texts[spot] in merged
        assert [b["id"] for b in result.merged["body"]] == [f"b{b}" for b in range(6) if b not in removed]

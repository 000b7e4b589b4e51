"""Screen text without a desktop: phrases from words, boxes beside and below labels found in drawn pixels,
pseudo-nodes (roles, via, confidence, masked fields), OCR on a drawn image, and OCR text staying data."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from deskhand.backends.screen.fields import Box, find_boxes, shows_mask
from deskhand.backends.screen.ocr import TesseractOcr, TextBox, phrases
from deskhand.backends.screen.tree import ScreenRef, best_overlap, parse_ref, window_children
from deskhand.errors import LocatorTimeout
from deskhand.tree.match import positional_labels
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State
from deskhand.workflows.interpolate import compose
from deskhand.workflows.secret_text import SecretRef

GREY, WHITE, BORDER = (217, 217, 217), (255, 255, 255), (120, 120, 120)


def test_words_on_a_line_join_into_a_phrase_and_far_apart_ones_do_not() -> None:
    words = [
        ("Total:", Bounds(2, 6, 56, 12), 0.95, True),
        ("17", Bounds(74, 6, 17, 12), 0.94, False),  # a monospace gap: one phrase
        ("42.50", Bounds(170, 6, 47, 12), 0.97, False),  # another widget's text
    ]
    assert [p.text for p in phrases(words)] == ["Total: 17", "42.50"]
    assert phrases(words)[0].confidence == 0.94  # the least sure word


def form_image() -> tuple[Image.Image, list[TextBox]]:
    """Name with a field beside it, City with a field below it, Fruits with a list below it."""
    image = Image.new("RGB", (400, 260), GREY)
    draw = ImageDraw.Draw(image)
    for box in ((118, 8, 300, 32), (10, 78, 200, 102), (10, 150, 160, 240)):
        draw.rectangle(box, fill=WHITE, outline=BORDER)
    texts = [
        TextBox("Name", Bounds(12, 14, 40, 12), 0.96),
        TextBox("City", Bounds(12, 56, 30, 14), 0.96),
        TextBox("Fruits", Bounds(12, 134, 44, 12), 0.96),
        TextBox("Apple", Bounds(14, 156, 44, 14), 0.97),
    ]
    return image, texts


def test_boxes_are_found_beside_and_below_their_labels() -> None:
    image, texts = form_image()
    boxes = find_boxes(image, texts)
    assert [(b.inner, b.kind) for b in boxes] == [
        (Bounds(119, 9, 181, 23), "field"),
        (Bounds(11, 79, 189, 23), "field"),
        (Bounds(11, 151, 149, 89), "list"),
    ]


def test_pseudo_nodes_carry_roles_bounds_via_and_are_labelled_by_geometry() -> None:
    image, texts = form_image()
    nodes = window_children(0x42, Bounds(100, 50, 400, 260), "tk_form", texts, find_boxes(image, texts))
    window = Node("screen:window:0x42", Role.WINDOW, name="form", children=nodes)
    by_role = {(n.role, n.name or n.value or "") for n in nodes}
    assert (Role.LABEL, "Name") in by_role and (Role.LISTBOX, "") in by_role
    item = next(n for n in window.walk() if n.role == Role.LISTITEM)
    assert (item.name, item.bounds, item.attributes["via"], item.attributes["confidence"]) == (
        "Apple",
        Bounds(114, 206, 44, 14),
        "screen",
        "0.97",
    )
    labels = positional_labels(window)
    named = {labels[n.ref][0] for n in nodes if n.ref in labels}
    assert named == {"Name", "City", "Fruits"}


def test_a_field_showing_only_mask_characters_is_a_password_field() -> None:
    box = Box(Bounds(10, 10, 200, 22), "field", WHITE)
    shown = [TextBox("••••••", Bounds(14, 14, 60, 12), 0.6)]
    (field,) = window_children(1, Bounds(0, 0, 300, 100), "app", shown, [box])
    assert field.role == Role.TEXTBOX and State.PASSWORD in field.states


def test_a_screen_ref_round_trips_and_a_re_read_finds_the_box_again() -> None:
    ref = ScreenRef("field", 0x42, Bounds(119, 9, 181, 23))
    assert parse_ref(str(ref)) == ref
    moved = Node(str(ScreenRef("field", 0x42, Bounds(118, 9, 183, 24))), Role.TEXTBOX)
    assert best_overlap([moved], "field", ref.box or Bounds(0, 0, 0, 0)) is moved
    assert best_overlap([moved], "label", ref.box or Bounds(0, 0, 0, 0)) is None


def test_tesseract_reads_drawn_labels_and_caches_by_image() -> None:
    image = Image.new("RGB", (320, 80), WHITE)
    font = ImageFont.truetype("DejaVuSans.ttf", 16)
    ImageDraw.Draw(image).text((10, 10), "Submit order", fill=(0, 0, 0), font=font)
    engine = TesseractOcr()
    read = engine.read(image, timeout=10)
    assert [t.text for t in read] == ["Submit order"] and read[0].confidence > 0.8
    again = engine.read(image.copy(), timeout=10)
    assert again == read and engine.reads == 2  # two threshold passes the first time, none the second


def test_text_read_off_the_screen_is_data_never_a_secret_reference() -> None:
    """A value Read from the pixels is put in as literal text: a placeholder shown on screen is not expanded."""
    typed = compose("{shown}", {"shown": "{secret:password}"})
    assert str.__str__(typed) == "{secret:password}"
    assert not any(isinstance(part, SecretRef) for part in typed.parts)


def test_a_row_of_one_repeated_glyph_is_a_mask_and_words_are_not() -> None:
    font = ImageFont.truetype("DejaVuSans.ttf", 14)
    box = Box(Bounds(0, 0, 200, 24), "field", WHITE)
    masked, plain = Image.new("RGB", (200, 24), WHITE), Image.new("RGB", (200, 24), WHITE)
    ImageDraw.Draw(masked).text((4, 4), "••••••••", fill=(0, 0, 0), font=font)
    ImageDraw.Draw(plain).text((4, 4), "Ada Lovelace", fill=(0, 0, 0), font=font)
    assert shows_mask(masked, box) and not shows_mask(plain, box)


def test_an_ocr_read_never_outlasts_its_timeout() -> None:
    image = Image.new("RGB", (1280, 800), WHITE)
    draw = ImageDraw.Draw(image)
    for row in range(40):
        draw.text((10, row * 20), "Lorem ipsum dolor sit amet " * 6, fill=(0, 0, 0))
    with pytest.raises(LocatorTimeout):
        TesseractOcr().read(image, timeout=0.001)

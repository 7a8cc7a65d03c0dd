"""Evidence files in the browser, in Portuguese: the results centre of Defesa Social attaches a
signed memo and a photo to a progress note on /commitment/<id>, sees them listed and downloads
the memo back byte for byte; a program renamed .pdf is refused naming the file; the results
centre of Educação, who does not see the commitment, gets no file. Desktop (1440) and phone
(390) widths, no sideways scrolling on the phone. Writes, so it runs on a demo database of its
own."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from delivery.access import Viewer, can_see_commitment
from delivery.models import Commitment, EvidenceFile, Secretariat, User
from delivery.vocabulary import CommitmentState
from tests.browser.conftest import LiveApp, at_phone_width, screenshot, settle, sign_in

MEMO = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 3000
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40_000) + b"\xff\xd9"


@pytest.fixture(scope="module")
def app_in_portuguese(own_app: LiveApp) -> LiveApp:
    """The module's own demo app, its two results centres reading it in Portuguese."""
    with own_app.session_factory() as session, session.begin():
        for user in session.scalars(select(User).where(User.username.in_(["sds", "see"]))):
            user.language = "pt_BR"
    return own_app


def files(name: str, data: bytes, mime: str) -> dict[str, object]:
    return {"name": name, "mimeType": mime, "buffer": data}


def pick(page: Page, chosen: list[dict[str, object]]) -> None:
    """Pick files in the upload field (as the file picker or a phone's camera gives them)."""
    page.locator("#commitment-files input[type=file]").set_input_files(chosen)
    expect(page.locator("#commitment-files-chosen")).to_contain_text(str(chosen[-1]["name"]))


def test_a_secretariat_attaches_files_to_a_note_and_downloads_them(app_in_portuguese, page,
                                                                   backend, tmp_path: Path):
    own_app = app_in_portuguese
    with own_app.session_factory() as session:
        see = Viewer.of(session.scalars(select(User).where(User.username == "see")).one())
        number = next(c.id for c in session.scalars(
            select(Commitment).join(Secretariat, Commitment.owner_secretariat_id == Secretariat.id)
            .where(Secretariat.code == "SDS", Commitment.state == CommitmentState.OPEN)
            .order_by(Commitment.due_on)) if not can_see_commitment(session, see, c.id))
    sign_in(page, own_app, "sds", f"/commitment/{number}")
    page.wait_for_selector("#commitment-files")
    settle(page)
    expect(page.locator(".evidence-drop")).to_contain_text("Anexe arquivos")

    pick(page, [files("setup.pdf", b"MZ\x90\x00 a program", "application/pdf")])
    page.click("#commitment-add-note")
    expect(page.locator("#commitment-note-msg")).to_contain_text(
        "arquivo setup.pdf: o conteúdo não é um arquivo PDF")

    # Files too large together for one request are said so as they are picked (the request
    # would be refused whole, before any check could name a file): here as if the site took
    # only a thousand bytes a request.
    page.evaluate("document.getElementById('commitment-files-chosen').dataset.most = '1000'")
    pick(page, [files("obra.jpg", PHOTO, "image/jpeg")])
    expect(page.locator("#commitment-files-chosen")).to_contain_text(
        "Juntos, estes arquivos passam dos")
    page.evaluate("document.getElementById('commitment-files-chosen').dataset.most = "
                  "String(32 * 2 ** 20)")

    page.fill("#commitment-note", "Ofício assinado e foto da obra concluída.")
    pick(page, [files("Ofício 12-2023.pdf", MEMO, "application/pdf"),
                files("obra.jpg", PHOTO, "image/jpeg")])
    page.click("#commitment-add-note")
    listed = page.locator("#commitment-history .evidence-files li")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("Ofício 12-2023.pdf")
    expect(listed.nth(1)).to_contain_text("obra.jpg · 39 kB")
    settle(page)
    screenshot(page, "commitment-evidence-pt_BR-1440", backend)
    at_phone_width(page, "commitment-evidence-pt_BR", backend)

    with page.expect_download() as download:
        listed.first.locator("a").click()
    saved = tmp_path / "memo.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "Ofício 12-2023.pdf"
    assert saved.read_bytes() == MEMO
    page.problems.assert_none()

    with own_app.session_factory() as session:
        file_id = session.scalars(select(EvidenceFile.id).where(
            EvidenceFile.commitment_id == number, EvidenceFile.name == "obra.jpg")).one()
    href = f"{own_app.url}/commitment/{number}/evidence/{file_id}"
    assert page.request.get(href).body() == PHOTO
    page.context.clear_cookies()
    sign_in(page, own_app, "see", "/")
    refused = page.request.get(href)
    assert refused.status == 403 and refused.body() != PHOTO

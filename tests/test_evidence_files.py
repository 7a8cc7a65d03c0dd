"""Files attached to progress notes as evidence (delivery.evidence_files): limits, the type read
from the content, zip bombs, hostile names and garbage refused with a message naming the file;
what passes is stored with its note, never changed or deleted; notes written at once each keep
their own files."""

from __future__ import annotations

import base64
import hashlib
import io
import threading
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from delivery import commitment_followup as f
from delivery import evidence_files as e
from delivery.briefing import followup_pdf
from delivery.briefing.pack import meeting_pack
from delivery.models import Commitment, CommitmentUpdate, EvidenceFile
from tests.briefing.test_documents import pdf_text
from tests.test_commitment_followup import made, make_commitment  # noqa: F401

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + bytes(14)


def zipped(parts: dict[str, bytes], first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])  # stored, uncompressed
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx() -> bytes:
    book, buffer = Workbook(), io.BytesIO()
    book.active.append(["area", "patrols"])
    book.save(buffer)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODS = zipped({"content.xml": b"<office:document-content/>"},
             ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"))
ODT = zipped({"content.xml": b"<office:document-content/>"},
             ("mimetype", b"application/vnd.oasis.opendocument.text"))


def data_url(content: bytes, media: str = "application/octet-stream") -> str:
    return f"data:{media};base64," + base64.b64encode(content).decode()


@pytest.mark.parametrize(("name", "content", "media_type"), [
    ("memo.pdf", PDF, "application/pdf"), ("site.PNG", PNG, "image/png"),
    ("site.jpg", JPEG, "image/jpeg"), ("site.jpeg", JPEG, "image/jpeg"),
    ("site.webp", WEBP, "image/webp"),
    ("list.xlsx", xlsx(), e.OOXML + "spreadsheetml.sheet"),
    ("memo.docx", DOCX, e.OOXML + "wordprocessingml.document"),
    ("list.ods", ODS, e.ODF + "spreadsheet"), ("memo.odt", ODT, e.ODF + "text"),
    ("list.csv", "área;patrulhas\r\nCentro;5\n".encode("cp1252"), "text/csv"),
    ("note.txt", "Relatório entregue\tem março\n".encode(), "text/plain"),
])
def test_each_accepted_kind_passes_with_the_media_type_its_content_shows(name, content,
                                                                         media_type):
    checked = e.check(name, content)
    assert (checked.name, checked.media_type, checked.content) == (name, media_type, content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("memo.pdf", b"", "the file is empty"),
    ("memo.pdf", b"MZ\x90\x00 a program", "its content is not a PDF file"),
    ("site.png", JPEG, "its content is not a PNG file"),
    ("site.jpg", PDF, "its content is not a JPEG file"),
    ("site.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ", "its content is not a WebP file"),
    ("list.xlsx", PDF, "its content is not a XLSX file"),
    ("list.xlsx", DOCX, "it is not a real XLSX document"),
    ("memo.docx", zipped({"word/document.xml": b"x"}), "it is not a real DOCX document"),
    ("list.ods", ODT, "it is not a real ODS document"),
    ("list.ods", zipped({"content.xml": b"x"}), "it is not a real ODS document"),
    ("list.xlsx", b"PK\x03\x04" + bytes(60), "it is not a real XLSX document"),
    ("list.csv", b"a,b\n\x00\x00\x01\x02", "its content is not a CSV file"),
    ("note.txt", PNG, "its content is not a TXT file"),
    ("setup.exe", b"MZ\x90\x00", "only PDF, PNG, JPEG, WebP, XLSX, DOCX, ODS, ODT, CSV, TXT"),
    ("memo", PDF, "only PDF"), ("page.html", b"<script>alert(1)</script>", "only PDF"),
    ("image.svg", b"<svg onload='alert(1)'/>", "only PDF"),
])
def test_a_file_whose_content_is_not_what_it_claims_is_refused_naming_it(name, content,
                                                                         reason):
    with pytest.raises(e.EvidenceError) as refused:
        e.check(name, content)
    assert str(refused.value).startswith(f"file {e.safe_name(name)}: {reason}")


def test_the_size_limit_is_settable_and_said_in_the_message():
    small = e.Limits(max_file_bytes=1024)
    assert e.check("memo.pdf", PDF + bytes(900), small).media_type == "application/pdf"
    with pytest.raises(e.EvidenceError, match=r"^file memo.pdf: it is 2 kB; files of at most "
                                              r"1 kB are accepted"):
        e.check("memo.pdf", PDF + bytes(2000), small)
    big = data_url(PDF + bytes(3000))
    with pytest.raises(e.EvidenceError, match="files of at most 1 kB"):
        e.decode(big, "memo.pdf", small)  # refused from its length, before it is decoded
    assert e.Limits.of(type("S", (), {"evidence_max_file_mb": 3})).max_file_bytes == 3 * 2**20
    assert e.Limits().max_file_bytes == 10 * 2**20


def test_a_zip_bomb_is_refused_from_its_directory():
    ratio = zipped({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x",
                    "xl/worksheets/sheet1.xml": bytes(20 << 20)})
    assert len(ratio) < 100_000
    with pytest.raises(e.EvidenceError, match=r"^file list.xlsx: a part expands 1.0\d\d times"):
        e.check("list.xlsx", ratio)
    total = zipped({"[Content_Types].xml": b"x", "word/document.xml": b"x",
                    **{f"word/media/{i}.bin": bytes(21 << 20) for i in range(5)}})
    with pytest.raises(e.EvidenceError, match=r"^file memo.docx: it unpacks to 105 MB, more "
                                              r"than 100 MB: refused as a possible zip bomb"):
        e.check("memo.docx", total)


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\ana\\memo.pdf", "memo.pdf"),
    ("memo\u202efdp.exe", "memofdp.exe"), ("re\x00port\x1b[31m.pdf", "report[31m.pdf"),
    ("  ..memo  final.pdf.  ", "memo final.pdf"), ("a<b>:c|d?.pdf", "a_b__c_d_.pdf"),
    ("CON.pdf", "_CON.pdf"), ("\u200bzero\u200dwidth.pdf", "zerowidth.pdf"),
    ("x" * 500 + ".pdf", "x" * 116 + ".pdf"), ("", "file"), (None, "file"),
    (float("nan"), "file"), ("///", "file"),
    ("relatório de obras.pdf", "relatório de obras.pdf"),
])
def test_a_hostile_name_is_made_safe(given, kept):
    assert e.safe_name(given) == kept


def test_an_override_cannot_disguise_a_program_as_a_photo():
    with pytest.raises(e.EvidenceError, match=r"^file photogpj.exe: only PDF"):
        e.check("photo\u202egpj.exe", JPEG)


@pytest.mark.parametrize(("contents", "names", "message"), [
    (float("nan"), "memo.pdf", "upload could not be read"),
    ([data_url(PDF)], ["a.pdf", "b.pdf"], "^files: the upload could not be read"),
    ({"a": 1}, ["a.pdf"], "^files: the upload could not be read"),
    (["data:application/pdf;base64,!!!!"], ["memo.pdf"], "^file memo.pdf: the upload could not"),
    (["not a data url"], ["memo.pdf"], "^file memo.pdf: the upload could not be read"),
    ([None], [None], "^file file: the upload could not be read"),
    ([data_url(b"")], ["memo.pdf"], "^file memo.pdf: the file is empty"),
    ([data_url(PDF)] * 11, ["m.pdf"] * 11, "^files: at most 10 files a note"),
])
def test_garbage_from_the_browser_is_refused_with_a_message(contents, names, message):
    with pytest.raises(ValueError, match=message):
        e.check_uploads(contents, names)


def test_nothing_chosen_is_no_file_and_one_file_may_come_alone():
    assert e.check_uploads(None, None) == [] and e.check_uploads([], []) == []
    assert [u.name for u in e.check_uploads(data_url(PDF), "memo.pdf")] == ["memo.pdf"]


def test_a_note_may_be_files_alone_and_they_are_kept_with_it(db, made):  # noqa: F811
    uploads = e.check_uploads([data_url(PDF), data_url(JPEG)], ["memo.pdf", "site.jpg"])
    note = f.add_progress_note(db, made, "", files=uploads, by="sec")
    files = e.files_of(db, made.id)
    assert files[["update_id", "name", "media_type", "size", "recorded_by"]].values.tolist() == [
        [note.id, "memo.pdf", "application/pdf", len(PDF), "sec"],
        [note.id, "site.jpg", "image/jpeg", len(JPEG), "sec"]]
    assert "content" not in files.columns
    stored = e.file_of(db, made.id, int(files.file_id[0]))
    assert stored.content == PDF and stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert e.file_of(db, made.id + 1, int(files.file_id[0])) is None  # not through another
    assert e.file_of(db, made.id, 10**9) is None


def test_a_refused_file_stores_no_note(db, made):  # noqa: F811
    with pytest.raises(ValueError, match="^file"):
        f.add_progress_note(db, made, "Photos", by="sec",
                            files=e.check_uploads([data_url(PDF), data_url(PDF)],
                                                  ["memo.pdf", "site.png"]))
    assert db.scalar(select(func.count(CommitmentUpdate.id))) == 0


def test_a_stored_file_cannot_be_changed_or_deleted(db, made):  # noqa: F811
    f.add_progress_note(db, made, "Memo", files=[e.check("memo.pdf", PDF)], by="sec")
    for statement in (update(EvidenceFile).values(content=b"forged", name="x.pdf"),
                      delete(EvidenceFile)):
        with pytest.raises(DatabaseError, match="append-only"), db.begin_nested():
            db.execute(statement)
    assert db.scalar(select(EvidenceFile.content)) == PDF


def test_notes_with_files_written_at_once_each_keep_their_own(session_factory):
    with session_factory() as session, session.begin():
        number = make_commitment(session).id
    contents = {i: PDF + f"note {i}".encode() * (i + 1) for i in range(4)}
    errors: list[BaseException] = []
    start = threading.Barrier(len(contents))

    def write(i: int) -> None:
        try:
            upload = e.check(f"memo-{i}.pdf", contents[i])
            start.wait(timeout=10)
            with session_factory() as session, session.begin():
                f.add_progress_note(session, session.get(Commitment, number), f"note {i}",
                                    files=[upload], by=f"sec{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with session_factory() as session:
        rows = session.execute(select(EvidenceFile.name, EvidenceFile.content,
                                      EvidenceFile.recorded_by, CommitmentUpdate.text)
                               .join(CommitmentUpdate,
                                     EvidenceFile.update_id == CommitmentUpdate.id)).all()
    assert sorted((r.name, r.content, r.recorded_by, r.text) for r in rows) == [
        (f"memo-{i}.pdf", contents[i], f"sec{i}", f"note {i}") for i in contents]


def test_the_follow_up_note_counts_a_commitments_files_as_known_on_its_day(db, made):  # noqa: F811
    f.add_progress_note(db, made, "Memo and photo", by="sec",
                        files=[e.check("memo.pdf", PDF), e.check("site.jpg", JPEG)])
    recorded = db.scalar(select(EvidenceFile.recorded_at)).date()
    assert e.evidence_count(db, made.id, recorded) == 2
    assert e.evidence_count(db, made.id, date.fromordinal(recorded.toordinal() - 1)) == 0
    pack = meeting_pack(db, made.meeting_id, recorded)
    assert [c.evidence_files for c in pack.made] == [2]
    assert "2 evidence files" in pdf_text(followup_pdf(pack))[1]

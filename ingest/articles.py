"""Reading article files: text plus metadata, with a clear error for anything that is not text.

An article is a UTF-8 plain-text file. Its metadata (id, url, outlet, published, title,
licence) comes, in this order of precedence, from

1. a JSON sidecar beside it, ``NAME.meta.json``;
2. front matter at the top of the file: a ``---`` line, ``key: value`` lines, a ``---`` line;
3. a leading ``date YYYY-MM-DD`` line (archive metadata) for the publication date;
4. the file name without extension for the id.

Bad input (empty, binary, another encoding, HTML, absurd sizes) raises
:class:`ArticleInputError` naming the file and, where it helps, the line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from diplograph.ingest.facts import Article, FactFormatError

#: Larger files are refused: news articles are kilobytes, not megabytes.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
#: A text line this long is not prose (minified HTML, a data dump, a base64 blob).
MAX_LINE_CHARS = 100_000
META_KEYS = ("id", "url", "outlet", "published", "title", "licence")
_FRONT_MATTER_LINE = re.compile(r"^([a-z_]+):\s*(.*?)\s*$")
#: A document, or a fragment that opens with a tag no plain-text article starts with.
_HTML_START = re.compile(
    rb"^\s*(<!doctype\s+html|<!--|<\?xml|<(html|head|body|meta|title|link|script|style|div"
    rb"|p|article|section|main|header|span|table|h[1-6]|ul|ol|br|a|img|iframe)[\s>/])",
    re.I,
)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


class ArticleInputError(ValueError):
    """An article file that cannot be read as a plain-text article."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ArticleText:
    """An article's metadata and its text (front matter removed, offsets refer to this)."""

    article: Article
    text: str
    source: str


def article_id_from_name(name: str) -> str:
    """A safe article id from a file name: unsafe characters become '-'."""
    stem = _ID_UNSAFE.sub("-", name).strip("-._~") or "article"
    return stem[:200]


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode strict UTF-8 (a UTF-8 BOM is dropped) or explain why the bytes are not text."""
    if not data.strip():
        raise ArticleInputError(path, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleInputError(
            path, "the file is UTF-16; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
        )
    nul = data.find(b"\x00")  # anywhere: a NUL past the first page is still not text
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise ArticleInputError(path, "the file is binary (it contains NUL bytes), not text", line)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArticleInputError(
            path,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start});"
            " convert the file to UTF-8",
            line,
        ) from None
    if _HTML_START.match(data[:1024]):
        raise ArticleInputError(
            path, "the file is HTML or XML markup, not plain text; extract the article text first"
        )
    return text


def read_article(path: Path, *, published: str | None = None) -> ArticleText:
    """Read one article file with its metadata. ``published`` overrides any other source."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleInputError(
                path,
                f"the file has {size:,} bytes, more than the {MAX_ARTICLE_BYTES:,} an article may"
                " have; split it into articles",
            )
        data = path.read_bytes()
    except OSError as error:
        raise ArticleInputError(path, f"cannot read the file: {error.strerror}") from None
    text = decode_text(data, path)
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ArticleInputError(
                path,
                f"line {number} has {len(line):,} characters (more than {MAX_LINE_CHARS:,});"
                " this does not look like an article",
                number,
            )
    meta: dict[str, str] = {}
    text, front = _split_front_matter(text, path)
    meta.update(front)
    meta.update(_read_sidecar(path))
    if published is not None:
        meta["published"] = published
    if "published" not in meta:
        from diplograph.ingest.extract import publication_date_from_text

        found = publication_date_from_text(text)
        if found:
            meta["published"] = found
    meta.setdefault("id", article_id_from_name(path.stem))
    try:
        article = Article.from_dict({key: meta.get(key) for key in META_KEYS})
    except FactFormatError as error:
        raise ArticleInputError(path, f"bad metadata: {error.message}") from None
    return ArticleText(article=article, text=text, source=str(path))


def _split_front_matter(text: str, path: Path) -> tuple[str, dict[str, str]]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text, {}
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return "\n".join(lines[number:]), meta
        if not line.strip():
            continue
        match = _FRONT_MATTER_LINE.match(line)
        if not match or match.group(1) not in META_KEYS:
            raise ArticleInputError(
                path,
                f"front matter line must be 'key: value' with key in {', '.join(META_KEYS)}",
                number,
            )
        meta[match.group(1)] = match.group(2).strip("\"'")
    raise ArticleInputError(path, "front matter opened with '---' is never closed", 1)


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ArticleInputError(sidecar, f"metadata sidecar is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ArticleInputError(sidecar, "metadata sidecar must be a JSON object")
    unknown = sorted(set(data) - set(META_KEYS))
    if unknown:
        raise ArticleInputError(
            sidecar,
            f"unknown metadata key(s) {', '.join(unknown)}; allowed: {', '.join(META_KEYS)}",
        )
    return {key: value for key, value in data.items() if value is not None}

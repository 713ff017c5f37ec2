"""Typed errors a caller can catch. Every error rolefit raises derives from `RolefitError`."""

from __future__ import annotations


class RolefitError(Exception):
    """Base class of every error rolefit raises on purpose."""

    kind = "error"


class IngestError(RolefitError):
    """A document could not be turned into résumé text."""

    kind = "unreadable"

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class EmptyDocument(IngestError):
    """The document holds no text at all (empty file, whitespace only)."""

    kind = "empty"


class UnreadableDocument(IngestError):
    """The document is corrupt or truncated and its format's reader failed."""

    kind = "unreadable"


class EncryptedDocument(IngestError):
    """The document is password-protected."""

    kind = "encrypted"


class NoTextLayer(IngestError):
    """A PDF with pages but no extractable text (a scan or image-only PDF)."""

    kind = "no_text_layer"


class UnsupportedType(IngestError):
    """The content is of a type rolefit does not read (image, archive, binary)."""

    kind = "unsupported_type"


class DocumentTooLarge(IngestError):
    """The document exceeds a configured size limit."""

    kind = "too_large"


class UnsafeDocument(IngestError):
    """The document carries content that is refused for safety (an XML DTD or entity
    declarations inside a DOCX: external-entity or entity-expansion attacks)."""

    kind = "unsafe_content"


class UnsupportedLanguage(IngestError):
    """The text is not in a language the pipeline reads (it reads English résumés)."""

    kind = "unsupported_language"


class DocumentTimeout(IngestError):
    """Reading and scoring the document took longer than the configured time limit."""

    kind = "timeout"


class WorkerCrashed(IngestError):
    """The worker process reading the document died (a crash in a native reader, or memory)."""

    kind = "crashed"


class DataFileError(RolefitError):
    """A criteria, taxonomy or other data file is malformed."""

    kind = "data_file"

    def __init__(
        self, path: str, message: str, item: str | None = None, field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path, self.item, self.field, self.line = path, item, field, line
        where = path
        if line:
            where += f", line {line}"
        if item:
            where += f", item {item!r}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


class CriteriaError(DataFileError):
    """A criteria file does not match the criteria schema."""

    kind = "criteria"


class TaxonomyError(DataFileError):
    """A skills taxonomy file does not match its schema."""

    kind = "taxonomy"


class RedactionError(DataFileError):
    """The redaction vocabulary file does not match its schema."""

    kind = "redaction"


class ModelError(RolefitError):
    """A model artefact is missing, broken or does not match this installation."""

    kind = "model"


class ModelMismatch(ModelError):
    """A model artefact's hash or recorded versions do not match."""

    kind = "model_mismatch"

"""What leaves the system, and what comes back in: the case file.

One JSON document per person (``casefile``), defined by marshmallow schemas (``schemas``) from
which the published JSON Schema is generated (``jsonschema``). Documents are built and read as
streams in constant memory (``stream``, ``importer``), so 100,000 people cost no more memory than
1,000. Everything a document says is read from the catalogue and the classifications; nothing
here decides what a question means.

Building documents needs an app context: Norwegian labels of the catalogue's options are
translations, read with Flask-Babel.
"""
from .casefile import FORMAT, FORMAT_VERSION, build_case_file, stored_answers
from .importer import ImportCounts, Refusal, import_case_files
from .stream import exportable, iter_case_file_lines, iter_case_files, json_line

__all__ = [
    "FORMAT", "FORMAT_VERSION", "ImportCounts", "Refusal", "build_case_file", "exportable",
    "import_case_files", "iter_case_file_lines", "iter_case_files", "json_line",
    "stored_answers",
]

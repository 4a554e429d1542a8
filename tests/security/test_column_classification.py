"""Every column says whether it is personal; personal columns can only hold ciphertext."""
from __future__ import annotations

from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table

from selfreg.models import Base


def problems(metadata: MetaData) -> list[str]:
    """What is wrong with the classification of every column in ``metadata``."""
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            where = f"{table.name}.{column.name}"
            personal = column.info.get("personal")
            if not isinstance(personal, bool):
                found.append(f"{where}: info['personal'] must be True or False")
                continue
            binary = isinstance(column.type, LargeBinary)
            if personal and not binary:
                found.append(f"{where}: personal columns hold ciphertext, so must be LargeBinary")
            if column.info.get("keyed_hash"):
                if personal:
                    found.append(f"{where}: a keyed hash is not itself personal data")
                if not binary:
                    found.append(f"{where}: keyed hashes are bytes (LargeBinary)")
    return found


def test_every_column_is_classified():
    assert problems(Base.metadata) == []


def test_there_is_something_personal_to_protect():
    personal = [c for t in Base.metadata.tables.values() for c in t.columns if c.info["personal"]]
    assert personal, "no personal column at all: the classification is not being used"


def test_an_unclassified_column_fails():
    metadata = MetaData()
    Table(
        "example", metadata,
        Column("id", Integer, primary_key=True, info={"personal": False}),
        Column("nickname", String(50)),
        Column("note", String(50), info={"personal": True}),
        Column("lookup", String(32), info={"personal": False, "keyed_hash": True}),
        Column("flag", Integer, info={"personal": "yes"}),
    )
    assert problems(metadata) == [
        "example.nickname: info['personal'] must be True or False",
        "example.note: personal columns hold ciphertext, so must be LargeBinary",
        "example.lookup: keyed hashes are bytes (LargeBinary)",
        "example.flag: info['personal'] must be True or False",
    ]

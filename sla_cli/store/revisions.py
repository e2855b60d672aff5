"""The ledger's schema revisions, oldest first (the migrations in store/migrations/versions;
a test keeps the two equal). Apart from the engine, so the sqlite3 adapter can check a ledger's
revision without importing SQLAlchemy."""

REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
)
SCHEMA_HEAD = REVISIONS[-1]

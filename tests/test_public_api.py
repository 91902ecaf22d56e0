"""The public API is exactly `reseausync.__all__`: adding or removing a name is a
decision, so this test has to change with it (as httpx pins its own)."""

import reseausync


def test_public_names_are_pinned() -> None:
    assert sorted(reseausync.__all__) == sorted([
        "Address", "ConfigError", "Connector", "Interaction", "Labeled", "LockError",
        "MassRemovalError", "NoOptions", "Participant", "Photo", "PublishTarget",
        "ReadContext", "RegistryError", "Reject", "ReseausyncError", "RetriableError",
        "RunResult", "SourceError", "SourceRecord", "Unit", "UnitError", "UsageError",
        "WriteResult", "__version__", "import_paths", "make_connector", "open_store",
        "registry", "run_source",
    ])


def test_every_public_name_exists() -> None:
    for name in reseausync.__all__:
        assert hasattr(reseausync, name), name

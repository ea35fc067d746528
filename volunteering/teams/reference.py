"""volunteering.teams: idempotent reference data (called by ``volunteering/reference.py``)."""


def load() -> None:
    pass

"""volunteering.incidents: idempotent reference data (called by ``volunteering/reference.py``)."""


def load() -> None:
    pass

"""casework.petitions: idempotent reference data (called by ``casework/reference.py``)."""


def load() -> None:
    pass

"""trips.journeys: idempotent reference data (called by ``trips/reference.py``)."""


def load() -> None:
    pass

"""疗休养与体检: one module per part (journeys, checkups); each lists its models in ``__all__``."""

from trips.models.checkups import *  # noqa: F403
from trips.models.journeys import *  # noqa: F403

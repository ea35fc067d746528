"""帮扶与信访: one module per part (hardship, petitions); each lists its models in ``__all__``."""

from casework.models.hardship import *  # noqa: F403
from casework.models.petitions import *  # noqa: F403

"""志愿服务与应急: one module per part (teams, incidents, operations); each lists its models in ``__all__``."""

from volunteering.models.incidents import *  # noqa: F403
from volunteering.models.operations import *  # noqa: F403
from volunteering.models.teams import *  # noqa: F403

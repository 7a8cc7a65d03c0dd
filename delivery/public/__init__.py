"""What the public sees, without signing in: the goals analysts marked public (``Goal.is_public``)
with their status, trend and figures, each known by a slug of its name (never its internal
code), and the open data files of all of it. Nothing here reads a goal that is not public."""

from delivery.public.opendata import (
    DATASETS,
    DICTIONARY,
    open_dataset,
    open_figures,
    open_goals,
)
from delivery.public.portal import PublicGoal, public_goal, public_goals, slugify

__all__ = ["DATASETS", "DICTIONARY", "PublicGoal", "open_dataset", "open_figures", "open_goals",
           "public_goal", "public_goals", "slugify"]

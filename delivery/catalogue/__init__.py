"""The goal catalogue: every goal the person may see as one searchable, filterable, sortable
table (the home page's grid, its CSV and Excel downloads), and each person's saved views.

``query``: what a view asks for (``GoalQuery``), read from and written to a URL's query string.
``grid``: the catalogue frame from the database and the pure ``filter_goals`` that answers a
query. ``views``: saved views per person. Nothing here imports Dash.
"""

from delivery.catalogue.grid import GRID_COLUMNS, catalogue_frame, filter_goals
from delivery.catalogue.query import SORTABLE, GoalQuery
from delivery.catalogue.views import SavedViewError, delete_view, list_views, save_view

__all__ = [
    "GRID_COLUMNS", "SORTABLE", "GoalQuery", "SavedViewError", "catalogue_frame", "delete_view",
    "filter_goals", "list_views", "save_view",
]

"""The REST API's domain side (no Flask here): personal tokens, the rate limit, idempotent
pushes, and the queries and writes the endpoints call. ``dashboards/api/`` serves them."""

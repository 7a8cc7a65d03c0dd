"""Performance pacts and their budget side: negotiated targets against the goals' own
(``targets``), spending against physical progress and cost per unit of output (``budget``)."""

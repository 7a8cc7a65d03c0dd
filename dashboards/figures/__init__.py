"""Pure figure builders: plain data in, ``go.Figure`` out; no database, no callbacks."""

"""Start Delivery Tracker locally: create the SQLite database, load the demo if it is empty, serve.

Same as `delivery run`. For production use `delivery serve` and run
`delivery db upgrade` on deploy.
"""

from delivery.cli import main

if __name__ == "__main__":
    main(["run"])

"""hansei: postmortems for teams that run services against SLOs."""

__version__ = "0.1.0"

"""Peers outside hansei, one module each; the only code that makes outbound HTTP calls."""

"""The ``avochato`` logger (internal): set up when the first client is made, so that
``import avochato`` does not import ``logging``."""

import logging
import os


def setup() -> logging.Logger:
    """The package's logger: prints nothing by itself (a ``NullHandler``); with
    ``AVOCHATO_LOG=debug`` or ``info``, requests are logged to stderr (never the secret)."""
    logger = logging.getLogger("avochato")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    level = os.environ.get("AVOCHATO_LOG", "").strip().upper()
    if level in ("DEBUG", "INFO") and not any(getattr(h, "_avochato", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        handler._avochato = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(level)
    return logger

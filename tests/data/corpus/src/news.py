"""Part 1: sentences from public school news pages (source URL on each), see README."""
from __future__ import annotations

from .helpers import A, C, M, X

ITEMS: list = []

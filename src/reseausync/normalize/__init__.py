"""Normalizers: pure functions, no I/O, idempotent (f(f(x)) == f(x)).

They produce comparison forms only; the raw values stay in the stored records,
so a normalizer that folds too much never loses what the source said.
"""

from .companies import normalize_company
from .emails import normalize_email
from .names import NameParts, fold, split_name
from .nicknames import Nicknames
from .phones import normalize_phone
from .postal import normalize_postal
from .urls import normalize_linkedin

__all__ = [
    "NameParts", "Nicknames", "fold", "normalize_company", "normalize_email",
    "normalize_linkedin", "normalize_phone", "normalize_postal", "split_name",
]

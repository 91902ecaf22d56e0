"""Business-card transcriptions: OCR text or scanning-app JSON, one record per card.

Modules: text (OCR repair, card splitting), fields (emails, phones, web, postal
codes), words (vocabulary), layout (name / title / company), extract (one card's
text to fields), scan (scanning-app JSON), connector (the `cards` connector).
"""

from .connector import CardsConnector, CardsOptions
from .extract import CardFields, extract

__all__ = ["CardFields", "CardsConnector", "CardsOptions", "extract"]

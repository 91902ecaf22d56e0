"""LinkedIn data export connector (`reseausync import Basic_LinkedInDataExport_*.zip`)."""

from .connector import LinkedInConnector

__all__ = ["LinkedInConnector"]

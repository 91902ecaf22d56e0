"""CardDAV: pull address books from a server (the connector), publish back (client).

Modules, each with one job: `http` (session, retries, limits, redirects),
`xml` (safe multistatus parsing, request bodies), `client` (CardDAV operations),
`connector` (units, cursor, reading cards through the vCard parser).
"""

from .client import CardDavClient, SyncResult, SyncTokenRejected, SyncUnsupported
from .connector import CardDavConnector, CardDavOptions, make_http
from .http import Http, HttpStatusError

__all__ = ["CardDavClient", "CardDavConnector", "CardDavOptions", "Http", "HttpStatusError",
           "SyncResult", "SyncTokenRejected", "SyncUnsupported", "make_http"]

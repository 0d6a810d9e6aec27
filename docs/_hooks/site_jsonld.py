"""schema.org markup as JSON-LD blocks. The documents themselves (the front page's Dataset, a Claim
per statistic) are built by `morocco_migration_2017.export`, beside croissant.json and
annotations.jsonld, so that every machine-readable description of the package comes from one place.
"""

from __future__ import annotations

import json
from typing import Any


def script(document: dict[str, Any]) -> str:
    """A JSON-LD block for a page; '<' is escaped so no value can close the script element."""
    text = json.dumps(document, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>'

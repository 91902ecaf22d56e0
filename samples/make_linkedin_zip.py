"""Rebuild samples/Basic_LinkedInDataExport_11-20-2026.zip from samples/linkedin/.

Deterministic (fixed member dates, sorted names), so re-running it after editing
the folder gives a zip that changes only where the files changed.
Run: python samples/make_linkedin_zip.py
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE / "linkedin"
TARGET = HERE / "Basic_LinkedInDataExport_11-20-2026.zip"


def main() -> None:
    with zipfile.ZipFile(TARGET, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(FOLDER.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                info = zipfile.ZipInfo(path.name, date_time=(2026, 11, 20, 9, 30, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploads go to MEDIA_ROOT/imports/: keep them out of the developer's var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

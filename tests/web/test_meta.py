"""Link previews: every page names its canonical public URL (the `lang` only when the URL names
it) and its Open Graph locale, with the other interface languages as alternates."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from web.meta import OG_LOCALES


def meta(page: str, prop: str) -> list[str]:
    return re.findall(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', page)


def test_the_canonical_url_is_the_public_base_plus_the_path(client: TestClient) -> None:
    page = client.get("/initiative/village-welcome?utm_source=x").text
    assert meta(page, "og:url") == ["http://testserver/initiative/village-welcome"]
    assert '<link rel="canonical" href="http://testserver/initiative/village-welcome">' in page


@pytest.mark.parametrize(("lang", "locale"), sorted(OG_LOCALES.items()))
def test_a_language_in_the_url_is_kept_and_sets_the_locale(
    client: TestClient, lang: str, locale: str
) -> None:
    page = client.get(f"/browse?lang={lang}").text
    assert meta(page, "og:url") == [f"http://testserver/browse?lang={lang}"]
    assert meta(page, "og:locale") == [locale]
    assert sorted(meta(page, "og:locale:alternate")) == sorted(set(OG_LOCALES.values()) - {locale})


def test_a_language_from_the_browser_sets_the_locale_not_the_url(client: TestClient) -> None:
    page = client.get("/browse", headers={"Accept-Language": "it-IT,it;q=0.9"}).text
    assert meta(page, "og:locale") == ["it_IT"]
    assert meta(page, "og:url") == ["http://testserver/browse"]
    unknown = client.get("/browse?lang=xx").text  # not one of ours: not kept
    assert meta(unknown, "og:url") == ["http://testserver/browse"]

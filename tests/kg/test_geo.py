"""Country and region codes as people write them → the EU authority and NUTS IRIs."""

import pytest

from kg.geo import country_iri, is_nuts_code, nuts_iri

EU = "http://publications.europa.eu/resource/authority/country/"


def test_alpha2_alpha3_and_the_eu_spellings_map_to_one_iri() -> None:
    assert country_iri(" es ") == f"{EU}ESP"
    assert country_iri("ESP") == f"{EU}ESP"
    assert country_iri("EL") == country_iri("GR") == f"{EU}GRC"
    assert country_iri("UK") == country_iri("GB") == f"{EU}GBR"


def test_an_unknown_country_code_is_an_error() -> None:
    with pytest.raises(KeyError):
        country_iri("XX")


def test_nuts_codes_are_recognised_and_normalised() -> None:
    assert nuts_iri("es24") == "http://data.europa.eu/nuts/code/ES24"
    assert [is_nuts_code(c) for c in ("ES24", "itc4c", "ES", "E", "ES2411", "24ES")] == [
        True,
        True,
        False,  # a country: level 0 is given as a country code
        False,
        False,
        False,
    ]

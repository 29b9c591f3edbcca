"""Country codes: ISO 3166 alpha-2 as people write them → EU country authority IRIs (alpha-3)."""

from __future__ import annotations

from kg.namespaces import EU_COUNTRY, NUTS

ISO2_TO_ISO3 = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "CY": "CYP", "CZ": "CZE", "DE": "DEU", "DK": "DNK",
    "EE": "EST", "ES": "ESP", "FI": "FIN", "FR": "FRA", "GR": "GRC", "EL": "GRC", "HR": "HRV",
    "HU": "HUN", "IE": "IRL", "IT": "ITA", "LT": "LTU", "LU": "LUX", "LV": "LVA", "MT": "MLT",
    "NL": "NLD", "PL": "POL", "PT": "PRT", "RO": "ROU", "SE": "SWE", "SI": "SVN", "SK": "SVK",
    "NO": "NOR", "CH": "CHE", "UK": "GBR", "GB": "GBR", "TR": "TUR", "CA": "CAN", "IS": "ISL",
    "UA": "UKR", "RS": "SRB", "AL": "ALB", "BA": "BIH", "ME": "MNE", "MK": "MKD", "US": "USA",
    "MA": "MAR",
}  # fmt: skip
ISO3_TO_ISO2 = {v: k for k, v in ISO2_TO_ISO3.items() if k not in ("EL", "GB")}


def country_iri(code: str) -> str:
    """EU authority IRI for an alpha-2 (or alpha-3) code; raises KeyError for unknown codes."""
    code = code.strip().upper()
    iso3 = code if code in ISO3_TO_ISO2 else ISO2_TO_ISO3[code]
    return f"{EU_COUNTRY}{iso3}"


def nuts_iri(code: str) -> str:
    return f"{NUTS}{code.strip().upper()}"


#: the country parts of NUTS codes (EU, EFTA and candidate countries; Greece is EL, the United
#: Kingdom UK), as Eurostat's NUTS 2021 classification and statistical regions list them
NUTS_COUNTRIES = frozenset(
    {
        "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR",
        "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "ME", "MK", "MT", "NL", "NO", "PL", "PT",
        "RO", "RS", "SE", "SI", "SK", "TR", "UK",
    }
)  # fmt: skip


def is_nuts_code(code: str) -> bool:
    """`ES242`-like: a NUTS country part and up to three more letters or digits."""
    code = code.strip().upper()
    return 2 <= len(code) <= 5 and code[:2] in NUTS_COUNTRIES and code[2:].isalnum()

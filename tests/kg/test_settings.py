import re

import pytest
from pydantic import ValidationError

from kg.settings import PROJECT_ROOT, Settings


def test_from_env_reads_only_the_mapping() -> None:
    s = Settings.from_env({"KG_STORE": "memory", "KG_SPARQL_TIMEOUT": "2.5", "OTHER": "x"})
    assert s.in_memory
    assert s.sparql_timeout == 2.5


def test_bad_value_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings.from_env({"KG_PORT": "not-a-port"})


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    documented = set(re.findall(r"`(KG_[A-Z_]+)`", readme))
    expected = {f"KG_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set()
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no help text"


def test_the_base_follows_the_servers_address_unless_given() -> None:
    """A server on another port links to itself (canonical URLs, oEmbed, record IRIs), not to
    port 8000; a deployment's own base wins."""
    assert Settings.from_env({}).base == "http://127.0.0.1:8000/"
    assert Settings.from_env({"KG_PORT": "8095"}).base == "http://127.0.0.1:8095/"
    assert Settings.from_env({"KG_HOST": "0.0.0.0", "KG_PORT": "9000"}).base == (
        "http://127.0.0.1:9000/"
    )
    given = {"KG_BASE_URI": "https://kg.example.eu", "KG_PORT": "8095"}
    assert Settings.from_env(given).base == "https://kg.example.eu/"

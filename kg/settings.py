"""Typed settings read from `KG_` environment variables.

Build them with `Settings()` (reads the process environment; the CLI does this) or
`Settings.from_env(mapping)` (tests pass a mapping and never touch `os.environ`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_MODEL = "all-MiniLM-L6-v2"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting of the tool; each is documented in the README (a test checks that)."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore", frozen=True)

    store: str = Field(
        "var/store",
        description="Directory of the on-disk pyoxigraph store, or `memory` for a throw-away one.",
    )
    base_uri: str | None = Field(
        None,
        description=(
            "Public base of record URIs (`{base}id/{kind}/{slug}`); ends with `/`. Default: "
            "the address `kg serve` listens on (`http://{KG_HOST}:{KG_PORT}/`, 127.0.0.1 for "
            "0.0.0.0)."
        ),
    )
    records_dir: Path = Field(
        PROJECT_ROOT / "ingest" / "records",
        description="Folder of curated record files that `kg ingest` reads by default.",
    )
    cache_dir: Path = Field(
        Path("var/cache"),
        description="Embedding cache, search index and (several server processes) rate limits.",
    )
    data_dir: Path = Field(
        Path("var/data"), description="Folder of the dataset dumps served at `/data/`."
    )
    queue_dir: Path = Field(
        Path("var/queue"),
        description="Moderation queue of contributed practices (private: holds contributors' "
        "e-mails; never served).",
    )
    contrib_dir: Path = Field(
        Path("var/contributed"),
        description="Record files of accepted contributions; `kg ingest` reads it beside "
        "`KG_RECORDS_DIR`.",
    )
    contribute_per_hour: int = Field(
        5, description="Practices one client may submit through `/contribute` per hour."
    )
    embed_model: str = Field(
        BUNDLED_MODEL,
        description="sentence-transformers model name or local path; the default is bundled.",
    )
    embed_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8",
        description="How the embedding model runs: `onnx-int8` (ONNX Runtime, int8 dynamic "
        "quantisation: 3× as fast as torch, nDCG@10 within 0.01 on every dev file), `onnx` "
        "(ONNX Runtime, float32) or `torch` (sentence-transformers); the "
        "ONNX model is exported from the local weights into `KG_ONNX_DIR` on first use.",
    )
    onnx_dir: Path = Field(
        Path.home() / ".cache" / "rikg" / "onnx",
        description="Folder of the ONNX exports of the embedding model (made on first use, "
        "shared by every store and cache folder of this user).",
    )
    sparql_timeout: float = Field(
        10.0, description="Seconds a public SPARQL query may run before it is stopped."
    )
    search_cache: int = Field(
        2048,
        ge=0,
        description="Search answers kept per server process for the current store version "
        "(an LRU, emptied by an ingest; 0: none).",
    )
    sparql_row_cap: int = Field(
        10_000, description="Most result rows the SPARQL endpoint returns; more are truncated."
    )
    sparql_max_query_bytes: int = Field(
        262_144,
        description="Largest SPARQL query accepted, in bytes (larger: HTTP 413); room for a "
        "VALUES list of some 6,000 IRIs.",
    )
    sparql_workers: int | None = Field(
        None,
        description="Worker processes that run public SPARQL queries, in total over all server "
        "processes (each runs its share, at least one); default: two per server process.",
    )
    rate_limit_per_minute: int = Field(
        300,
        description="Requests per minute a client may send to `/sparql`, `/api/` (0: no limit).",
    )
    admin_token: SecretStr | None = Field(
        None, description="Bearer token that enables writes (SPARQL Update, Graph Store)."
    )
    sparql_endpoint: str | None = Field(
        None,
        description="URL of an external SPARQL 1.1 store's query endpoint (for example "
        "Virtuoso's `/sparql`): when set, the graph is read from and ingested into it instead of "
        "the embedded store, and `KG_STORE` is not used.",
    )
    sparql_update_endpoint: str | None = Field(
        None,
        description="SPARQL 1.1 Update endpoint of the external store; default: "
        "`KG_SPARQL_ENDPOINT` (Virtuoso takes updates there).",
    )
    graph_store_endpoint: str | None = Field(
        None,
        description="Graph Store Protocol URL of the external store (for example Virtuoso's "
        "`/sparql-graph-crud`); when set, ingest replaces graphs with PUT instead of updates.",
    )
    sparql_user: str | None = Field(
        None, description="User for the external store's endpoints (HTTP Basic or Digest)."
    )
    sparql_password: SecretStr | None = Field(None, description="Password of `KG_SPARQL_USER`.")
    page_cache_mb: float = Field(
        64,
        ge=0,
        description="Memory (MiB) each server process keeps for rendered pages, data documents "
        "and embed cards of the current store version (least recently used go first; 0: off).",
    )
    host: str = Field("127.0.0.1", description="Address `kg serve` listens on.")
    port: int = Field(8000, description="Port `kg serve` listens on.")
    workers: int | None = Field(
        None,
        ge=1,
        description="Server processes `kg serve` runs on one port; default: the number of cores.",
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from a `KG_*` mapping (not the process environment) plus keyword overrides."""
        values: dict[str, Any] = {
            key.removeprefix("KG_").lower(): value
            for key, value in (env or {}).items()
            if key.startswith("KG_")
        }
        values.update(overrides)
        return cls.model_validate(values)

    @property
    def in_memory(self) -> bool:
        return self.store == "memory"

    @property
    def server_processes(self) -> int:
        """How many server processes `kg serve` runs (`KG_WORKERS`, else the number of cores)."""
        return self.workers or os.cpu_count() or 1

    @property
    def query_workers(self) -> int:
        """SPARQL query worker processes of one server process: its share of
        `KG_SPARQL_WORKERS` (a total over `server_processes`), at least one."""
        total = self.sparql_workers or 2 * self.server_processes
        return max(1, total // self.server_processes)

    @property
    def base(self) -> str:
        """The public base, ending with `/`: `base_uri`, else the server's own address (so a
        server on another port links to itself, not to port 8000)."""
        if self.base_uri is None:
            wildcard = self.host in ("0.0.0.0", "::", "")  # noqa: S104 - compared, not bound
            host = "127.0.0.1" if wildcard else self.host
            host = f"[{host}]" if ":" in host else host
            return f"http://{host}:{self.port}/"
        return self.base_uri if self.base_uri.endswith("/") else self.base_uri + "/"

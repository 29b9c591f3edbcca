"""A sentence-transformers model run through ONNX Runtime (issue 15 item 5).

The bundled all-MiniLM-L6-v2 (or any local BERT-like sentence-transformers folder with mean
pooling) is exported once from its local weights with `torch.onnx.export` into
`{KG_ONNX_DIR}/{model}-{size of the weights}/model.onnx`, and optionally quantised to int8 with
ONNX Runtime's dynamic quantisation (`onnxruntime.quantization.quantize_dynamic`: int8 weights
per channel, activations quantised per batch) into `model-int8.onnx`. Nothing is downloaded: the
export reads the same files the torch embedder loads. A server then needs neither torch nor
sentence-transformers to encode: the tokenizer is the model's own `tokenizer.json` (Hugging Face
`tokenizers`), and pooling (mean over the attention mask, as the model's `1_Pooling/config.json`
says) and L2 normalisation are done here in numpy, as sentence-transformers does them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import StoreError
from kg.search.embed import E5Prefixed, ModelUnavailable, Vectors, model_folder

log = logging.getLogger(__name__)
#: `KG_EMBED_BACKEND` values this module serves, and the file each one runs
FILES = {"onnx": "model.onnx", "onnx-int8": "model-int8.onnx"}
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OnnxEmbedder(E5Prefixed):
    """Mean-pooled, normalised sentence vectors from an ONNX export of a local model.

    `backend` is `onnx` (float32, the same weights) or `onnx-int8` (dynamically quantised);
    `name` (which keys the vector cache and the saved index) is `{model}@{backend}`, so its
    vectors never mix with the torch model's. Thread-safe; the session is built on first use
    with one intra-op thread (`kg.search.embed` explains why one)."""

    def __init__(
        self, model: str, onnx_dir: Path, *, backend: str = "onnx-int8", batch_size: int = 64
    ) -> None:
        self.model_name, self.backend, self.batch_size = model, backend, batch_size
        self.onnx_dir = onnx_dir
        self.e5 = "e5" in model.lower()
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._dim = 0
        self.calls = 0

    @property
    def name(self) -> str:
        return f"{self.model_name}@{self.backend}"

    @property
    def dim(self) -> int:
        self._load()
        return self._dim

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                source = model_folder(self.model_name)
                path = exported(source, self.onnx_dir, self.model_name, self.backend)
                options = ort.SessionOptions()
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                self._session = ort.InferenceSession(
                    str(path), options, providers=["CPUExecutionProvider"]
                )
                tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
                tokenizer.enable_truncation(max_length=_max_length(source))
                tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0)
                self._tokenizer = tokenizer
                self._dim = int(json.loads((source / "config.json").read_text())["hidden_size"])
                log.info("embedding model %s loaded (%s)", self.model_name, path.name)
            return self._session, self._tokenizer

    def _encode(self, texts: list[str]) -> Vectors:
        session, tokenizer = self._load()
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # longest first, as sentence-transformers batches: batches of similar length pad least
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        wanted = {i.name for i in session.get_inputs()}
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            encodings = tokenizer.encode_batch([texts[i] for i in rows])
            feed = {
                "input_ids": np.asarray([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.asarray([e.attention_mask for e in encodings], np.int64),
                "token_type_ids": np.asarray([e.type_ids for e in encodings], dtype=np.int64),
            }
            (hidden,) = session.run(["last_hidden_state"], {k: feed[k] for k in wanted})
            mask = feed["attention_mask"][:, :, None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


def _max_length(source: Path) -> int:
    try:
        return int(json.loads((source / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, KeyError, ValueError):
        return 512


def exported(source: Path, folder: Path, model: str, backend: str) -> Path:
    """The ONNX file of `backend` for the model in `source`, exported (and quantised) into
    `folder/{model}/` on first use under a file lock, then reused. Raises ModelUnavailable when
    the model folder cannot be exported, StoreError when `folder` cannot be written."""
    # keyed by the weights' size too, so other weights under the same name export anew
    weights = sum(p.stat().st_size for p in source.glob("*.safetensors")) or sum(
        p.stat().st_size for p in source.glob("*.bin")
    )
    target = folder / f"{_safe(model)}-{weights}"
    path = target / FILES[backend]
    if path.exists():
        return path
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the ONNX model folder {target}: {exc}") from exc
    with _lock(target / "export.lock"):
        plain = target / FILES["onnx"]
        if not plain.exists():
            _export(source, plain)
        if backend == "onnx-int8" and not path.exists():
            from onnxruntime.quantization import QuantType, quantize_dynamic

            tmp = path.with_name(f"{path.stem}.tmp-{os.getpid()}.onnx")
            quantize_dynamic(plain, tmp, weight_type=QuantType.QInt8, per_channel=True)
            tmp.replace(path)
    return path


def _export(source: Path, path: Path) -> None:
    """`torch.onnx.export` of the model's transformer (`last_hidden_state`), dynamic batch and
    sequence axes; written to a temporary name and renamed, so a reader never sees half."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import torch
        from transformers import AutoModel

        try:
            model = AutoModel.from_pretrained(str(source), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"cannot export {source} to ONNX: {exc}") from exc
        model.eval()

        class Hidden(torch.nn.Module):
            """The transformer with positional inputs and one output, as the export wants."""

            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, ids: Any, mask: Any, types: Any) -> Any:
                return self.model(input_ids=ids, attention_mask=mask, token_type_ids=types)[0]

        ones = torch.ones((2, 8), dtype=torch.int64)
        dummy = (ones, ones, torch.zeros((2, 8), dtype=torch.int64))
        axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS}
        tmp = path.with_name(f"{path.stem}.tmp-{os.getpid()}.onnx")
        with torch.no_grad():
            torch.onnx.export(
                Hidden(),
                dummy,
                str(tmp),
                input_names=list(INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes={**axes, "last_hidden_state": {0: "batch", 1: "sequence"}},
                opset_version=17,
                dynamo=False,
            )
    tmp.replace(path)
    log.info("exported %s to %s", source, path)


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name).strip("._") or "_"

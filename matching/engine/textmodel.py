"""Sentence embeddings on CPU: all-MiniLM-L6-v2 as int8 ONNX, run by ONNX Runtime (no torch).

``load_text_model().embed(texts)`` turns job titles, vacancy descriptions and people's own words
into 384-d float32 rows of unit length, so that a dot product is a cosine of meaning: "forklift
driver" and "fork lift truck operator" meet (~0.8) where string similarity (``skills.py``,
``occupations.py``) sees little in common, while "forklift" and "care" stay apart (~0.1).

Method:

1. Tokenise each text with the model's own WordPiece tokenizer (lower-cased, accents
   stripped), truncated to ``MAX_TOKENS``. The bundled ``tokenizer.json`` pads
   every text to 128 tokens; that padding is switched off.
2. Sort the texts by token count and run them in batches of ``BATCH_SIZE``, each padded only to
   its own longest text (dynamic padding), so short texts do not pay for long ones.
3. Mean-pool the last hidden states over the real tokens only (the attention mask), then
   L2-normalise: the model's sentence-transformers recipe. Pooling over padding as well drags
   every short text towards the padding's own vector ("forklift" vs "care" 0.91 instead of
   0.12). Blank text gets the zero vector (cosine 0 with everything), not an embedding of
   ``[CLS] [SEP]``.

The files (``model.onnx``, ``tokenizer.json``) are fetched and checked by
``scripts/derive_text_model.py`` (``make venv`` runs it) into ``MODEL_DIR``. onnxruntime and
tokenizers are imported only when a model is loaded, so importing this module is cheap.

Trade-offs: the file stores int8 weights (23 MB against 90 MB), which ONNX Runtime widens to
float32 at load (+165 MB RSS); its vectors agree with a float32 reference forward pass of the
original weights to cosine >= 0.999 per text (pairwise cosines r = 0.9997, mean |diff| 0.002,
499 titles, phrases and occupations). The session runs one thread (``INTRA_OP_THREADS``: a
worker shares 2 cores) and costs ~3 ms CPU plus ~0.27 ms per word piece: ~4 ms for a title,
~11 ms for a 25-word profile, ~45 ms for a 120-word vacancy, ~55 s for all 3,039 ESCO
occupation descriptions (``bench/bench_text.py``). So cache: vectors do not depend on the
batch (no dynamic activation quantisation, padding masked), so a text embeds the same alone or
among others, and ``VectorCache`` keys rows by ``text_key`` and keeps them in an ``.npz`` file.
Truncation at 256 word pieces (~190 words) is what the model was trained with; longer texts
are judged on their opening. The model is English only.

``reduce`` maps rows through a fixed 64-d projection (``build_projection``: PCA fitted on the
ESCO occupations and skills, saved beside the model) for compact storage and faster dot
products, at some loss of fidelity (see ``build_projection``).

No Django import: numpy (and, lazily, onnxruntime, tokenizers, scikit-learn) only.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "DIMS",
    "MODEL_DIR",
    "MODEL_ID",
    "Projection",
    "TextModel",
    "TextModelMissing",
    "VectorCache",
    "build_projection",
    "load_projection",
    "load_text_model",
    "normalise_text",
    "reduce",
    "text_key",
]

ROOT = Path(__file__).resolve().parent.parent.parent
DATA_DIR = ROOT / "matching" / "data"


def _model_dir() -> Path:
    path = Path(os.environ.get("JOBMATCH_MODEL_DIR") or "var/models/minilm")
    return path if path.is_absolute() else ROOT / path


# Where ``scripts/derive_text_model.py`` writes the model (env ``JOBMATCH_MODEL_DIR``, relative
# paths taken from the repository root).
MODEL_DIR = _model_dir()
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
# Names the vectors: a saved ``VectorCache`` from another model is not loaded. The suffix is the
# start of model.onnx's sha256 (pinned in scripts/derive_text_model.py).
MODEL_ID = "all-MiniLM-L6-v2-int8-8199be6f"
DERIVE_HINT = "run `make venv` (or `python scripts/derive_text_model.py`)"

# --- tunables -------------------------------------------------------------------------------
# Figures: bench/bench_text.py, 2 cores, Python 3.11, onnxruntime 1.32.
#
# Width of the model's output (all-MiniLM-L6-v2).
DIMS = 384
# Word pieces per text, [CLS] and [SEP] included: the model's training length (its position
# table has 512). A 120-word vacancy is ~160 pieces.
MAX_TOKENS = 256
# Texts per ONNX run, after sorting by length. The model is compute-bound on one thread
# (~0.3 ms CPU per word piece), so batching saves little: on 800 ESCO occupation texts
# batches of 1, 8 and 32 cost 20.1, 19.0 and 20.7 ms/text, but 32 grows the process by ~300 MB
# (attention scores of 32 x 12 heads x width^2 in ONNX Runtime's arena) against ~70 MB at 8.
BATCH_SIZE = 8
# ONNX Runtime threads: a worker shares 2 cores with the web process, so one each.
INTRA_OP_THREADS = 1
INTER_OP_THREADS = 1
# Width of ``reduce``'s projection and the file it is kept in (under MODEL_DIR).
REDUCED_DIMS = 64
PROJECTION_FILE = f"projection-{REDUCED_DIMS}.npz"


class TextModelMissing(RuntimeError):
    """The model files (or onnxruntime / tokenizers) are not installed."""


def normalise_text(text: str | None) -> str:
    """Whitespace squeezed and stripped: texts equal after this embed identically."""
    return " ".join(text.split()) if text else ""


def text_key(text: str | None) -> str:
    """sha1 (hex) of ``normalise_text(text)``: the key of a text's vector in a cache."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


class TextModel:
    """all-MiniLM-L6-v2 on ONNX Runtime: ``embed(texts)`` -> (n, DIMS) float32, unit rows."""

    def __init__(
        self,
        model_dir: Path | str | None = None,
        *,
        max_tokens: int = MAX_TOKENS,
        batch_size: int = BATCH_SIZE,
        intra_op_threads: int = INTRA_OP_THREADS,
        inter_op_threads: int = INTER_OP_THREADS,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else MODEL_DIR
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        missing = [
            name for name in (MODEL_FILE, TOKENIZER_FILE) if not (self.model_dir / name).is_file()
        ]
        if missing:
            raise TextModelMissing(
                f"text model not found: {', '.join(missing)} missing in {self.model_dir}; "
                f"{DERIVE_HINT}"
            )
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise TextModelMissing(f"{exc}; {DERIVE_HINT}") from exc

        tok = Tokenizer.from_file(str(self.model_dir / TOKENIZER_FILE))
        tok.no_padding()  # the bundled file pads every text to 128 tokens
        tok.enable_truncation(max_length=max_tokens)
        self._tokenizer = tok

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = intra_op_threads
        opts.inter_op_num_threads = inter_op_threads
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3  # errors only
        self._session = ort.InferenceSession(
            str(self.model_dir / MODEL_FILE), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        out = self._session.get_outputs()[0]
        if out.shape[-1] != DIMS or not {"input_ids", "attention_mask"} <= self._inputs:
            raise TextModelMissing(
                f"{self.model_dir / MODEL_FILE} is not the expected model "
                f"(inputs {sorted(self._inputs)}, output {out.shape}); {DERIVE_HINT}"
            )
        self._output = out.name

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text after truncation, [CLS] and [SEP] included."""
        return [len(self._tokenizer.encode(t).ids) for t in texts]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), DIMS) float32; rows L2-normalised, blank texts zero rows."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one string")
        out = np.zeros((len(texts), DIMS), dtype=np.float32)
        live = [i for i, t in enumerate(texts) if t and not t.isspace()]
        if not live:
            return out
        # One text at a time: encode_batch would start tokenizers' own thread pool.
        ids = [self._tokenizer.encode(texts[i]).ids for i in live]
        order = sorted(range(len(live)), key=lambda j: len(ids[j]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            out[[live[j] for j in chunk]] = self._run([ids[j] for j in chunk])
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for r, row in enumerate(batch):
            input_ids[r, : len(row)] = row
            mask[r, : len(row)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        hidden = self._session.run([self._output], feeds)[0]  # (batch, width, DIMS)
        weights = mask.astype(np.float32)
        pooled = np.einsum("bwd,bw->bd", hidden, weights) / weights.sum(1, keepdims=True)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled


@lru_cache(maxsize=4)
def _load(model_dir: Path) -> TextModel:
    return TextModel(model_dir)


def load_text_model(model_dir: Path | str | None = None) -> TextModel:
    """The model in ``model_dir`` (default ``MODEL_DIR``), loaded once per process (~0.3 s)."""
    return _load(Path(model_dir) if model_dir is not None else MODEL_DIR)


class VectorCache:
    """Text vectors keyed by ``text_key``: each distinct text is embedded once.

    In memory, unbounded (384 floats, 1.5 kB a text: 100,000 texts are 150 MB); ``save`` /
    ``load`` keep it in an ``.npz`` file across restarts. The model is loaded on first need.
    """

    def __init__(self, model: TextModel | None = None) -> None:
        self._model = model
        self._vectors: dict[str, np.ndarray] = {}

    @property
    def model(self) -> TextModel:
        if self._model is None:
            self._model = load_text_model()
        return self._model

    def __len__(self) -> int:
        return len(self._vectors)

    def __contains__(self, text: str) -> bool:
        return text_key(text) in self._vectors

    def vectors(self, texts: Iterable[str]) -> np.ndarray:
        """(n, DIMS) float32 rows for ``texts``, embedding only those not cached yet."""
        texts = list(texts)
        keys = [text_key(t) for t in texts]
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._vectors and key not in todo:
                todo[key] = normalise_text(text)
        if todo:
            rows = self.model.embed(list(todo.values()))
            self._vectors.update(zip(todo.keys(), rows, strict=True))
        out = np.empty((len(texts), DIMS), dtype=np.float32)
        for r, key in enumerate(keys):
            out[r] = self._vectors[key]
        return out

    def save(self, path: Path | str) -> None:
        """Write keys, vectors and ``MODEL_ID`` to ``path`` (.npz), atomically."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors), dtype="<U40")
        matrix = (
            np.stack(list(self._vectors.values())).astype(np.float32, copy=False)
            if self._vectors
            else np.zeros((0, DIMS), dtype=np.float32)
        )
        part = path.with_name(path.name + ".part")
        with open(part, "wb") as fh:
            np.savez(fh, keys=keys, vectors=matrix, model=np.array(MODEL_ID))
        os.replace(part, path)

    def load(self, path: Path | str) -> int:
        """Add the vectors saved in ``path``; returns how many. A file saved with another model
        (``MODEL_ID``) adds nothing. Raises FileNotFoundError if there is no file."""
        with np.load(Path(path), allow_pickle=False) as data:
            if str(data["model"]) != MODEL_ID:
                return 0
            keys, matrix = data["keys"], data["vectors"]
            if matrix.shape != (len(keys), DIMS):
                raise ValueError(f"{path}: vectors {matrix.shape} for {len(keys)} keys")
            matrix = matrix.astype(np.float32, copy=False)
            self._vectors.update(zip(keys.tolist(), matrix, strict=True))
        return len(keys)


# --- fixed projection to REDUCED_DIMS ------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """``reduce``'s basis: (k, DIMS) orthonormal rows, the top principal axes of the fitting
    vectors; ``explained`` is the share of their variance those axes hold."""

    components: np.ndarray
    explained: float

    def save(self, path: Path | str) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        with open(part, "wb") as fh:
            np.savez(
                fh,
                components=self.components.astype(np.float32),
                explained=np.float64(self.explained),
                model=np.array(MODEL_ID),
            )
        os.replace(part, path)


def reduce(vectors: np.ndarray, basis: Projection) -> np.ndarray:
    """Rows projected onto ``basis`` and L2-normalised (zero rows stay zero): (n, k) float32.

    Not centred on the PCA mean: centring shifts every cosine (the model's are mostly
    positive), while the plain projection keeps reduced cosines on the 384-d scale (see
    ``build_projection``)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    out = vectors @ basis.components.T
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out /= np.where(norms > 0, norms, 1.0)
    return out.astype(np.float32, copy=False)


def projection_texts(data_dir: Path = DATA_DIR) -> list[str]:
    """What the projection is fitted on: each ESCO occupation's preferred label and description
    ("cook. Cooks are culinary workers ..."), then each ESCO skill's preferred label."""

    def rows(name: str) -> list[dict[str, str]]:
        with gzip.open(data_dir / name, "rt", encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    texts = [f"{r['preferred_label']}. {r['description']}" for r in rows("esco_occupations.csv.gz")]
    texts += [r["preferred_label"] for r in rows("esco_skills.csv.gz")]
    return texts


def build_projection(
    vectors: np.ndarray | None = None,
    dims: int = REDUCED_DIMS,
    save_to: Path | str | None = None,
    model: TextModel | None = None,
) -> Projection:
    """Fit a PCA basis of ``dims`` on ``vectors`` (default: ``projection_texts`` embedded, ~85 s
    on one core) and save it to ``save_to`` if given.

    Fidelity (``bench/bench_text.py --projection``; all pairs of 399 titles and advert phrases
    the fit did not see): 64-d cosines correlate r = 0.93 with the 384-d ones (mean |diff|
    0.07), but only 61% of texts keep their nearest neighbour and 71% of the 10 nearest; 32-d
    r = 0.86 / 47%, 128-d r = 0.98 / 79%. Good for storage and coarse recall; rank finalists
    on the full 384-d vectors.
    """
    from sklearn.decomposition import PCA

    if vectors is None:
        vectors = (model or load_text_model()).embed(projection_texts())
    pca = PCA(n_components=dims, svd_solver="full", random_state=0).fit(vectors)
    basis = Projection(
        components=pca.components_.astype(np.float32),
        explained=float(pca.explained_variance_ratio_.sum()),
    )
    if save_to is not None:
        basis.save(save_to)
    return basis


def load_projection(path: Path | str | None = None) -> Projection:
    """The saved projection (default ``MODEL_DIR / PROJECTION_FILE``)."""
    path = Path(path) if path is not None else MODEL_DIR / PROJECTION_FILE
    if not path.is_file():
        raise TextModelMissing(
            f"projection not found: {path}; run `python scripts/derive_text_model.py --projection`"
        )
    with np.load(path, allow_pickle=False) as data:
        if str(data["model"]) != MODEL_ID:
            raise TextModelMissing(f"{path} was fitted for another model: rebuild it")
        return Projection(components=data["components"], explained=float(data["explained"]))

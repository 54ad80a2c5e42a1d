"""Sentence embeddings (matching/engine/textmodel.py) with the real int8 ONNX model, no mocks.

Plain pytest, no database. The model files come from ``make venv``
(``scripts/derive_text_model.py``); without them these tests skip locally but fail under CI
(env ``CI`` set), where a missing model is a broken install. Loading takes ~0.3 s once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matching.engine import textmodel as tm

ROOT = Path(__file__).resolve().parents[2]

# What the model gives (measured): forklift / care 0.12 with the attention mask, 0.91 when
# padding to 128 was pooled too; forklift driver / fork lift truck operator 0.81; nurse /
# registered nurse 0.84; chef / cook 0.73.
UNRELATED_MAX = 0.3
SYNONYM_MIN = 0.7

LONG = (
    "We are looking for a reliable warehouse operative to join our busy distribution centre "
    "on a permanent full time basis. You will pick and pack customer orders, load and unload "
    "delivery vehicles, operate a counterbalance forklift truck and keep the warehouse clean, "
    "tidy and safe at all times. Previous experience is helpful but full training is given. "
)


@pytest.fixture(scope="module")
def model() -> tm.TextModel:
    try:
        return tm.load_text_model()
    except tm.TextModelMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and the text model is missing: {exc}")
        pytest.skip(f"text model not installed ({exc})")


def cos(model: tm.TextModel, a: str, b: str) -> float:
    v = model.embed([a, b])
    return float(v[0] @ v[1])


class Counting:
    """The real model, counting what it is asked to embed."""

    def __init__(self, model: tm.TextModel) -> None:
        self.model = model
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return self.model.embed(texts)


def test_shapes_dtype_and_unit_norm(model):
    texts = ["care assistant", "HGV class 1 driver", LONG, "I like helping people"]
    v = model.embed(texts)
    assert v.shape == (4, tm.DIMS) == (4, 384)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert model.embed([]).shape == (0, 384)


def test_blank_text_is_a_zero_vector(model):
    v = model.embed(["", "   ", "\n\t", "cleaner"])
    assert not v[:3].any()
    assert np.linalg.norm(v[3]) == pytest.approx(1.0, abs=1e-5)
    assert not model.embed([""]).any()


def test_one_string_is_refused(model):
    with pytest.raises(TypeError):
        model.embed("cleaner")


def test_meaning_with_the_attention_mask(model):
    assert cos(model, "forklift", "care") < UNRELATED_MAX
    assert cos(model, "forklift driver", "care assistant") < UNRELATED_MAX
    assert cos(model, "forklift driver", "fork lift truck operator") > SYNONYM_MIN
    assert cos(model, "nurse", "registered nurse") > SYNONYM_MIN
    # relatedness ranks: a forklift operator is nearer a warehouse job than a care one
    v = model.embed(["fork lift truck operator", "warehouse operative", "care assistant"])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_padding_does_not_leak_into_short_texts(model):
    short = ["care assistant", "forklift", "I am good with people and like being outdoors"]
    alone = np.vstack([model.embed([t]) for t in short])
    long_texts = [LONG * 3, LONG * 2, LONG]  # up to 256 pieces: heavy padding of the short ones
    mixed = model.embed([long_texts[0], short[0], long_texts[1], short[1], long_texts[2], short[2]])
    np.testing.assert_allclose(mixed[[1, 3, 5]], alone, atol=1e-4)
    assert model.batch_size >= len(mixed)  # all six did share one padded batch


def test_long_text_is_truncated(model):
    text = LONG * 20  # ~1,400 words
    assert model.token_counts([text]) == [tm.MAX_TOKENS]
    v = model.embed([text])
    assert np.linalg.norm(v[0]) == pytest.approx(1.0, abs=1e-5)
    # the opening is what counts: the same as its first 256 pieces
    np.testing.assert_allclose(v, model.embed([LONG * 5]), atol=1e-4)


def test_text_key_squeezes_whitespace_only():
    assert tm.text_key("care  assistant ") == tm.text_key("\tcare assistant")
    assert tm.text_key("care assistant") != tm.text_key("care assistants")
    assert tm.text_key("") == tm.text_key("   ") == tm.text_key(None)
    assert len(tm.text_key("x")) == 40


def test_vector_cache_embeds_each_text_once_and_round_trips(model, tmp_path):
    counting = Counting(model)
    cache = tm.VectorCache(counting)
    texts = ["care assistant", "care  assistant", "chef", " chef", "", "chef"]
    v = cache.vectors(texts)
    assert counting.calls == [["care assistant", "chef", ""]]
    np.testing.assert_allclose(v, model.embed(texts), atol=1e-4)
    assert len(cache) == 3 and "chef " in cache

    again = cache.vectors(["chef", "care assistant", "cook"])
    assert counting.calls[1:] == [["cook"]]
    np.testing.assert_array_equal(again[0], v[2])

    path = tmp_path / "vectors.npz"
    cache.save(path)
    reloaded_model = Counting(model)
    reloaded = tm.VectorCache(reloaded_model)
    assert reloaded.load(path) == 4
    np.testing.assert_array_equal(
        reloaded.vectors(["cook", "chef", ""]), cache.vectors(["cook", "chef", ""])
    )
    assert reloaded_model.calls == []

    # a file written for another model is not taken
    with np.load(path) as data:
        np.savez(tmp_path / "other.npz", keys=data["keys"], vectors=data["vectors"], model="x")
    assert tm.VectorCache(reloaded_model).load(tmp_path / "other.npz") == 0


def test_reduce_keeps_unit_rows_and_zero_rows(model):
    texts = [
        f"{w} {k}"
        for w in ("care", "warehouse", "retail", "kitchen")
        for k in ("assistant", "manager", "operative", "supervisor", "worker", "team leader")
    ]
    vectors = model.embed(texts)
    basis = tm.build_projection(vectors, dims=8)
    assert basis.components.shape == (8, 384)
    np.testing.assert_allclose(basis.components @ basis.components.T, np.eye(8), atol=1e-5)
    r = tm.reduce(np.vstack([vectors, np.zeros((1, 384), np.float32)]), basis)
    assert r.shape == (len(texts) + 1, 8) and r.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(r[:-1], axis=1), 1.0, atol=1e-5)
    assert not r[-1].any()


def test_missing_files_name_the_command(tmp_path):
    with pytest.raises(tm.TextModelMissing, match="make venv"):
        tm.TextModel(tmp_path)


def test_import_is_cheap():
    code = (
        "import sys; import matching.engine.textmodel; "
        "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'sklearn', 'django') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"

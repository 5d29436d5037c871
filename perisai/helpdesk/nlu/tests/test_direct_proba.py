"""The model's direct predict_proba gives exactly the scikit-learn pipeline's numbers."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from perisai.helpdesk.nlu import model as model_module
from perisai.helpdesk.nlu.normalise import normalise

from ._cache import nlu_cache  # noqa: F401

pytestmark = pytest.mark.usefixtures("nlu_cache")


def test_direct_path_is_used_and_equals_the_pipeline_bit_for_bit() -> None:
    model = model_module.get_model()
    texts, _intents = model_module.load_jsonl(model_module.DATA_DIR / "heldout.jsonl")
    texts += ["", "   ", "😀😀", "???", "x" * 5000, "tolong " * 400]
    normalised = [normalise(text[: model_module.MAX_CHARS]) for text in texts]
    direct = model_module._direct_path(model.pipeline)
    assert direct is not None
    assert np.array_equal(model.predict_proba(texts), np.asarray(model.pipeline.predict_proba(normalised)))
    for text, norm in zip(texts[::7], normalised[::7], strict=True):
        assert np.array_equal(model.predict_proba([text]), np.asarray(model.pipeline.predict_proba([norm])))
    assert model.__dict__["_direct"] is not None


def test_other_pipelines_and_the_pickle_keep_the_plain_path() -> None:
    model = model_module.get_model()
    model.predict_proba(["halo"])
    copy = pickle.loads(pickle.dumps(model))  # noqa: S301 (our own bytes)
    assert "_direct" not in copy.__dict__  # decided again where it is loaded
    assert np.array_equal(
        copy.predict_proba(["gaji belum dibayar"]), model.predict_proba(["gaji belum dibayar"])
    )
    texts, intents = model_module.load_jsonl(model_module.TRAIN_PATH)
    logreg = model_module.train_model(texts[:400], intents[:400], kind="logreg")
    assert model_module._direct_path(logreg.pipeline) is None
    assert logreg.predict_proba(["halo"]).shape == (1, len(logreg.labels))

"""The statistical intent model: building, training, and the on-disk cache.

No pickle is committed. The model is trained from data/train.jsonl at first use (about a second on one
core) and cached in PERISAI_CACHE_DIR (default `<repo>/var/cache`, else a private temp dir), under a
file name keyed by a hash of the training data, the code that shapes the features, and the
scikit-learn version, so a later process loads it in milliseconds and a stale cache is never used.
Writes go to a temp file in the same directory followed by os.replace, so racing processes are safe.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import sklearn
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .normalise import normalise

__all__ = [
    "DEFAULT_KIND",
    "KINDS",
    "TRAIN_PATH",
    "IntentModel",
    "build_pipeline",
    "cache_dir",
    "get_model",
    "load_jsonl",
    "train_model",
]

log = logging.getLogger(__name__)

DATA_DIR: Final[Path] = Path(__file__).resolve().parent / "data"
TRAIN_PATH: Final[Path] = DATA_DIR / "train.jsonl"
KINDS: Final[tuple[str, ...]] = ("svm_calibrated", "logreg", "complement_nb")
DEFAULT_KIND: Final[str] = "svm_calibrated"
# the model reads at most this much of a message (bounds latency; the safety net reads it all)
MAX_CHARS: Final[int] = 2000
# bump when the pipeline changes in a way the source hash below cannot see
_FORMAT: Final[int] = 1


def load_jsonl(path: Path) -> tuple[list[str], list[str]]:
    """Read labelled JSON lines `{"text", "intent", ...}`; return (texts, intents)."""
    texts: list[str] = []
    intents: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                texts.append(str(row["text"]))
                intents.append(str(row["intent"]))
    return texts, intents


# a regex, not a secret: words, plus "!" and "?" as tokens
_TOKEN_PATTERN: Final[str] = r"(?u)\b\w+\b|[!?]"  # noqa: S105


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, dtype=np.float32
                ),
            ),
            (
                "word",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    token_pattern=_TOKEN_PATTERN,
                    dtype=np.float32,
                ),
            ),
        ]
    )


def build_pipeline(kind: str = DEFAULT_KIND) -> Pipeline:
    """An unfitted scikit-learn pipeline over NORMALISED text. `kind` is one of KINDS."""
    clf: Any
    if kind == "svm_calibrated":
        # one SVM on all the data, sigmoid calibrators fitted on 5-fold out-of-fold scores: as accurate
        # as the 3-model ensemble on the dev split, 4x faster per message
        clf = CalibratedClassifierCV(LinearSVC(C=0.5), method="sigmoid", cv=5, ensemble=False)
    elif kind == "logreg":
        clf = LogisticRegression(C=20.0, max_iter=2000)
    elif kind == "complement_nb":
        clf = ComplementNB(alpha=0.3)
    else:
        raise ValueError(f"unknown model kind {kind!r}; expected one of {KINDS}")
    return Pipeline([("features", _features()), ("clf", clf)])


# Texts the direct path below is checked against before it is used (any text would do: the check is that the
# same arithmetic is done, which a handful of different texts shows).
_PROBES: Final[tuple[str, ...]] = (
    "tolong saya dikurung majikan",
    "gaji saya belum dibayar 3 bulan",
    "how do i renew my passport?",
    "halo kak",
    "!!",
)


class _DirectProba:
    """The fitted svm_calibrated pipeline's predict_proba, step by step: the same scikit-learn transforms and
    decision function, the same sigmoid calibration and normalisation, without the per-call machinery
    (joblib for the feature union, metadata routing, fourteen calibrators each validating its input), which
    cost more than half of a classification. Used only for that exact structure, and only once it gave the
    very same numbers as the pipeline (see `_direct_path`); otherwise the pipeline is called."""

    def __init__(self, pipeline: Pipeline) -> None:
        features, clf = pipeline.named_steps["features"], pipeline.named_steps["clf"]
        if (
            len(pipeline.steps) != 2
            or type(features) is not FeatureUnion
            or features.transformer_weights
            or type(clf) is not CalibratedClassifierCV
            or len(clf.calibrated_classifiers_) != 1
        ):
            raise TypeError("not the svm_calibrated pipeline")
        calibrated = clf.calibrated_classifiers_[0]
        if calibrated.method != "sigmoid" or len(calibrated.classes) < 3:
            raise TypeError("not a multi-class sigmoid calibration")
        if any(type(c).__name__ != "_SigmoidCalibration" for c in calibrated.calibrators):
            raise TypeError("unknown calibrators")
        self.transformers = [t for _name, t in features.transformer_list]
        if any(type(t) is not TfidfVectorizer for t in self.transformers):
            raise TypeError("unknown transformers")
        self.estimator = calibrated.estimator
        self.n_classes = int(calibrated.classes.shape[0])
        # what LabelEncoder().fit(classes).transform(estimator.classes_) gives
        self.columns = [
            int(i) for i in np.searchsorted(np.unique(calibrated.classes), self.estimator.classes_)
        ]
        self.calibrators = [(c.a_, c.b_) for c in calibrated.calibrators]

    def __call__(self, texts: list[str]) -> np.ndarray:
        features = sparse.hstack([t.transform(texts) for t in self.transformers]).tocsr()
        predictions = self.estimator.decision_function(features)
        proba = np.zeros((len(texts), self.n_classes))
        for column, this_pred, (a, b) in zip(self.columns, predictions.T, self.calibrators, strict=True):
            proba[:, column] = expit(-(a * np.ravel(this_pred) + b))
        denominator = np.sum(proba, axis=1)[:, np.newaxis]
        uniform_proba = np.full_like(proba, 1 / self.n_classes)
        proba = np.divide(proba, denominator, out=uniform_proba, where=denominator != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        mean_proba = np.zeros((len(texts), self.n_classes))
        mean_proba += proba
        mean_proba /= 1
        return mean_proba


def _direct_path(pipeline: Pipeline) -> _DirectProba | None:
    """The direct path for this pipeline if it gives exactly the pipeline's numbers on the probes."""
    try:
        direct = _DirectProba(pipeline)
        probes = [normalise(text) for text in _PROBES]
        expected = np.asarray(pipeline.predict_proba(probes))
        one_by_one = [np.asarray(pipeline.predict_proba([text])) for text in probes]
        if np.array_equal(direct(probes), expected) and all(
            np.array_equal(direct([text]), row) for text, row in zip(probes, one_by_one, strict=True)
        ):
            return direct
        log.warning("NLU: the direct predict_proba differs from the pipeline's; using the pipeline")
    except (TypeError, AttributeError, KeyError, ValueError):
        pass
    return None


_UNSET: Final[object] = object()


@dataclass(frozen=True)
class IntentModel:
    """A fitted pipeline plus the label order of its probability columns."""

    pipeline: Pipeline
    labels: tuple[str, ...]
    key: str

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text and one column per entry of `labels`."""
        normalised = [normalise(text[:MAX_CHARS]) for text in texts]
        direct = self.__dict__.get("_direct", _UNSET)
        if direct is _UNSET:  # decided once per model and process (two threads may both decide: same answer)
            direct = _direct_path(self.pipeline)
            object.__setattr__(self, "_direct", direct)
        if direct is not None and normalised:
            return np.asarray(direct(normalised))
        return np.asarray(self.pipeline.predict_proba(normalised))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (the disk cache) without the direct path: it is decided again where it is loaded."""
        state = dict(self.__dict__)
        state.pop("_direct", None)
        return state


def train_model(
    texts: Sequence[str], intents: Sequence[str], kind: str = DEFAULT_KIND, key: str = ""
) -> IntentModel:
    """Fit a fresh pipeline of `kind` on labelled texts (normalised here)."""
    pipeline = build_pipeline(kind)
    pipeline.fit([normalise(text) for text in texts], list(intents))
    labels = tuple(str(label) for label in pipeline.classes_)
    return IntentModel(pipeline=pipeline, labels=labels, key=key)


_HERE: Final[Path] = Path(__file__).resolve().parent
# (train path, kind) -> (the files' stat signatures, key): the hash is computed again only when a file changed
_keys: dict[tuple[str, str], tuple[tuple[tuple[int, int, int], ...], str]] = {}


def _model_key(train_path: Path, kind: str) -> str:
    """A hash of the training data, the code that shapes the features and the library versions. Reading and
    hashing 250 KB on every message cost more than a tenth of a classification: the key is remembered while
    the three files are unchanged (same inode, size and modification time in nanoseconds)."""
    files = (train_path, _HERE / "model.py", _HERE / "normalise.py")
    try:
        signature = tuple((st.st_ino, st.st_size, st.st_mtime_ns) for st in (f.stat() for f in files))
    except OSError:
        signature = ()
    memo = (str(train_path), kind)
    known = _keys.get(memo)
    if signature and known is not None and known[0] == signature:
        return known[1]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    digest.update(f"{sklearn.__version__}|{np.__version__}|{kind}|{_FORMAT}".encode())
    key = digest.hexdigest()[:24]
    if signature:
        _keys[memo] = (signature, key)
    return key


def cache_dir() -> Path:
    """Where fitted models are cached: $PERISAI_CACHE_DIR, else <repo>/var/cache, else a private temp dir."""
    configured = os.environ.get("PERISAI_CACHE_DIR")
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        return path
    repo_cache = Path(__file__).resolve().parents[3] / "var" / "cache"
    try:
        repo_cache.mkdir(parents=True, exist_ok=True)
        if os.access(repo_cache, os.W_OK):
            return repo_cache
    except OSError:
        pass
    # a per-user directory nobody else can write to: we unpickle what we find there
    user = os.getuid() if hasattr(os, "getuid") else "user"
    private = Path(tempfile.gettempdir()) / f"perisai-cache-{user}"
    private.mkdir(mode=0o700, exist_ok=True)
    return private


def _load(path: Path, key: str) -> IntentModel | None:
    try:
        with path.open("rb") as fh:
            # Only files this code wrote into a directory it chose (see cache_dir) are unpickled.
            model = pickle.load(fh)  # noqa: S301
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign file: retrain and overwrite
        log.warning("ignoring unreadable NLU model cache %s", path, exc_info=True)
        return None
    if not isinstance(model, IntentModel) or model.key != key:
        return None
    return model


def _save(path: Path, model: IntentModel) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# counts trainings in this process; tests use it to prove that the cache was used
TRAININGS: list[str] = []
_lock = threading.Lock()
_cached: dict[tuple[str, str], IntentModel] = {}


def get_model(
    kind: str = DEFAULT_KIND, train_path: Path = TRAIN_PATH, *, use_disk: bool = True
) -> IntentModel:
    """The fitted model for `kind`: from memory, else from the disk cache, else trained (and cached)."""
    key = _model_key(train_path, kind)
    memo = (str(train_path), kind)
    model = _cached.get(memo)
    if model is not None and model.key == key:
        return model
    with _lock:
        model = _cached.get(memo)
        if model is not None and model.key == key:
            return model
        path = cache_dir() / f"nlu-{kind}-{key}.pkl" if use_disk else None
        model = _load(path, key) if path is not None else None
        if model is None:
            texts, intents = load_jsonl(train_path)
            model = train_model(texts, intents, kind=kind, key=key)
            TRAININGS.append(key)
            if path is not None:
                try:
                    _save(path, model)
                except OSError:
                    log.warning("could not write NLU model cache %s", path, exc_info=True)
        _cached[memo] = model
        return model


def clear_memory_cache() -> None:
    """Forget models held in memory (the disk cache stays). For tests and benchmarks."""
    with _lock:
        _cached.clear()
        _keys.clear()

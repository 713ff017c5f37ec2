"""Scoring on a Dask cluster (the optional extra `rolefit[dask]`).

* `score_dataframe(ddf, text_column=...)`: a Dask DataFrame of résumé texts → a Dask DataFrame
  of result records (`rolefit.scoring.RESULT_COLUMNS`), one per row, in order;
* `score_bag(bag)`: a Dask bag of texts, files or (id, text) pairs → a bag of records;
* `scored_on_cluster(items, scheduler)`: what `rolefit score --scheduler ADDRESS` runs — chunks
  of items sent to the cluster, results streamed back in input order.

Each worker thread loads the model once and keeps it. Files are read by the workers, so they
need the same paths (shared storage); table rows travel with their text. Unreadable or bad
input becomes an error record, as locally."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from rolefit.errors import ModelMismatch
from rolefit.scoring import RESULT_COLUMNS, FitResult, RoleFitModel, load, result_row

_LOCAL = threading.local()  # one model per worker thread: a spaCy pipeline is not shared


def worker_model(folder: str | None = None, sha256: str | None = None) -> RoleFitModel:
    """The model of this worker thread, loaded on first use; `sha256` (the client's artefact
    hash) guards against workers holding another model."""
    models = getattr(_LOCAL, "models", None)
    if models is None:
        models = _LOCAL.models = {}
    model = models.get(folder)
    if model is None:
        model = models[folder] = load(folder)
    actual = model.meta.get("artefact_sha256")
    if sha256 and actual != sha256:
        raise ModelMismatch(f"a Dask worker holds another model ({str(actual)[:12]}…) than the "
                            f"client ({sha256[:12]}…); install the same rolefit and model there")
    return model


def score_chunk(items: list, folder: str | None = None, sha256: str | None = None,
                batch_size: int = 8) -> list[FitResult]:
    """Score one chunk of items on a worker (a module-level function, so it pickles)."""
    model = worker_model(folder, sha256)
    return list(model.iter_scores(items, batch_size=batch_size))


def _meta():
    import pandas as pd

    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in RESULT_COLUMNS})
    for column in ("assistant_fit", "secretary_fit"):
        frame[column] = frame[column].astype("float64")
    return frame


def _score_partition(frame, text_column: str, id_column: str | None, folder: str | None,
                     sha256: str | None):
    import pandas as pd

    ids = (frame[id_column] if id_column else frame.index.to_series()).astype(str).tolist()
    items = list(zip(ids, frame[text_column].tolist(), strict=True))
    rows = [result_row(result) for result in score_chunk(items, folder, sha256)]
    out = pd.DataFrame(rows, columns=RESULT_COLUMNS, index=frame.index)
    return out.astype(_meta().dtypes.to_dict())


def score_dataframe(ddf, text_column: str = "text", id_column: str | None = None,
                    model_path: str | Path | None = None):
    """Score every row of a Dask DataFrame: a lazy Dask DataFrame of result records with the
    same index and partitions; `id` is the id column's value, else the row's index label.

    A row whose text is missing or not a string gets an error record (`error_kind=bad_input`)."""
    if text_column not in ddf.columns:
        raise KeyError(f"no column {text_column!r}; columns: {list(ddf.columns)}")
    if id_column is not None and id_column not in ddf.columns:
        raise KeyError(f"no column {id_column!r}; columns: {list(ddf.columns)}")
    folder = str(model_path) if model_path else None
    return ddf.map_partitions(_score_partition, text_column, id_column, folder, None,
                              meta=_meta())


def _score_bag_partition(items, folder: str | None) -> list[dict]:
    return [result_row(result) for result in score_chunk(list(items), folder)]


def score_bag(bag, model_path: str | Path | None = None):
    """Score a Dask bag of texts (`str`), files (`Path`) or (id, text) pairs: a bag of result
    records (dicts), one per item, in order. Ids of bare texts count within each partition."""
    folder = str(model_path) if model_path else None
    return bag.map_partitions(_score_bag_partition, folder)


def scored_on_cluster(model: RoleFitModel, items: list, scheduler: str, batch_size: int = 8,
                      window: int | None = None) -> Iterator[FitResult]:
    """Results for `items`, in order, computed on the cluster at `scheduler` (an address such
    as tcp://host:8786). At most `window` chunks are in flight (default: four per worker
    thread), so memory stays bounded however many items there are."""
    from distributed import Client

    folder = str(model.folder) if model.folder and _is_custom(model.folder) else None
    sha256 = model.meta.get("artefact_sha256")
    chunks = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
    try:
        client = Client(scheduler, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        threads = sum(client.nthreads().values()) or 1
        window = window or 4 * threads
        pending: deque = deque()
        for chunk in chunks:
            pending.append(client.submit(score_chunk, chunk, folder, sha256, batch_size,
                                         pure=False))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _is_custom(folder: Path) -> bool:
    """A model folder other than the shipped one must be passed to the workers by path."""
    from rolefit.resources import models_path

    try:
        return Path(folder).resolve() != models_path().resolve()
    except OSError:
        return True

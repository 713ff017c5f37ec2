"""Where shipped data files and models live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_path(*parts: str) -> Path:
    """A file of the repository's `data/` folder (bundled as `rolefit/_data` in a wheel).

    Files that are not bundled (training and evaluation sets) are looked up in the source
    checkout, then in `./data` of the working directory."""
    for candidate in (_PACKAGE.joinpath("_data", *parts), _CHECKOUT.joinpath("data", *parts),
                      Path.cwd().joinpath("data", *parts)):
        if candidate.exists():
            return candidate
    return _CHECKOUT.joinpath("data", *parts)


def models_path(*parts: str) -> Path:
    """A file of the repository's `models/` folder (bundled as `rolefit/_models` in a wheel)."""
    bundled = _PACKAGE.joinpath("_models", *parts)
    return bundled if bundled.exists() else _CHECKOUT.joinpath("models", *parts)

"""The wheel carries every data file that scoring reads (an installed rolefit has no data/)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_FOLDERS = ("criteria", "skills")  # other data/ folders are training and evaluation data


def test_every_runtime_data_file_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    runtime = [f"data/{p.name}" for p in sorted((ROOT / "data").glob("*.yaml"))]
    runtime += [f"data/{name}" for name in RUNTIME_FOLDERS]
    missing = [path for path in runtime if path not in included]
    assert not missing, f"add to [tool.hatch.build.targets.wheel.force-include]: {missing}"
    for source, target in included.items():
        assert (ROOT / source).exists(), source
        assert target.startswith(("rolefit/_data/", "rolefit/_models")), target
    assert included["models"] == "rolefit/_models"

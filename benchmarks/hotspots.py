"""Profile scoring of benchmark résumés with pyinstrument (where does the time go?).

    python benchmarks/hotspots.py [--n 100] [--root CHECKOUT] [--cprofile]

`--root` profiles another checkout of rolefit (for example an older commit unpacked with
`git archive COMMIT | tar -x -C /tmp/old`) on the same corpus, to compare before and after.
`--cprofile` prints cProfile's functions by cumulative time instead, which names the Cython
functions of spaCy that pyinstrument folds into its callers."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--root", type=Path, default=HERE.parent)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    sys.path.insert(0, str(HERE))
    import corpus
    from pyinstrument import Profiler

    import rolefit
    from rolefit.synth import load_bank

    texts = [s.text for s in corpus.CorpusBuilder(load_bank()).specs(args.n)]
    model = rolefit.load()
    list(model.iter_scores(texts[:2]))  # first-call set-up is not per-résumé cost
    items = [(str(i), t) for i, t in enumerate(texts)]
    if args.cprofile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        list(model.iter_scores(items, batch_size=8))
        profile.disable()
        print(f"rolefit from {Path(rolefit.__file__).parent}: {args.n} résumés")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return 0
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    list(model.iter_scores(items, batch_size=8))
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(f"rolefit from {Path(rolefit.__file__).parent}: {args.n} résumés in {elapsed:.1f}s "
          f"under the profiler")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

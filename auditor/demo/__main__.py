"""``python -m cx_auditor.demo``: serve the demo store until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Callable

from .store import VARIANTS, DemoStore


def serve_until_interrupted(
    variant: str,
    *,
    products: int = 12,
    host: str = "127.0.0.1",
    port: int = 8000,
    seed: int = 7,
    spa: bool = False,
    echo: Callable[[str], None] = lambda line: print(line, flush=True),
    stop: threading.Event | None = None,
) -> None:
    """Serve the store in the foreground until Ctrl-C (or until ``stop`` is set).

    Raises :class:`OSError` when the port cannot be bound (e.g. already in use), so the
    caller can say which port and what to do.
    """
    stop = stop or threading.Event()
    # Ctrl-C only sets the event: a KeyboardInterrupt raised at an arbitrary point (while
    # printing the banner, inside a lock) could skip the shutdown below, or leave it hanging.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    store = DemoStore(variant, products=products, host=host, port=port, seed=seed, spa=spa)
    try:
        store.start()
        mode = "single-page app, " if spa else ""
        echo(f"Northwind demo store ({mode}{variant}, {products} products) at {store.url}/")
        echo("Press Ctrl-C to stop.")
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:  # SIGTERM (the CLI maps it to KeyboardInterrupt)
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        store.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cx_auditor.demo", description="Serve the Northwind demo store."
    )
    parser.add_argument("--variant", choices=VARIANTS, default="clean")
    parser.add_argument("--spa", action="store_true", help="serve the single-page-app edition")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    parser.add_argument("--products", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    serve_until_interrupted(
        args.variant, products=args.products, host=args.host, port=args.port, seed=args.seed, spa=args.spa
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m cx_auditor.demo``: serve the demo store until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from .store import VARIANTS, DemoStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cx_auditor.demo", description="Serve the Northwind demo store."
    )
    parser.add_argument("--variant", choices=VARIANTS, default="clean")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    parser.add_argument("--products", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    store = DemoStore(args.variant, products=args.products, host=args.host, port=args.port, seed=args.seed)
    store.start()
    print(f"Northwind demo store ({args.variant}, {args.products} products) at {store.url}/", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        store.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench` for Q&A: requests per second of a question page with 100 answers and 300 comments.

`bench_question_page()` runs inside scripts/bench.py while its gunicorn serves the site: it adds the
question (public, for the length of the measurement), measures it the way bench.py measures the
article page, and removes it again.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage_shell(env, code) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"preparing the question page failed:\n{done.stderr}")
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def bench_question_page(*, env, measure, seconds, clients) -> tuple[str, float]:
    """(path, requests per second) of the busy question page; `measure(path, seconds, clients)` is bench.py's."""
    path = _manage_shell(env, "from knowledge.questions.demo import bench_thread_create; print(bench_thread_create())")
    try:
        measure(path, 1, 1)  # warm up
        return path, measure(path, seconds, clients)
    finally:
        _manage_shell(env, "from knowledge.questions.demo import bench_thread_delete; bench_thread_delete()")

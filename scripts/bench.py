"""`make bench`: requests per second for a Kennisbank article and for a minimal Django view.

Both are served by gunicorn with the production settings and the full middleware stack, in one run,
on the same machine, so the ratio says what the article page costs beyond Django itself.
"""

import argparse
import http.client
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_questions import bench_question_page  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8123"))


def _client(path, seconds, queue):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    done, errors, deadline = 0, 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            done += 1
        else:
            errors += 1
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    queue.put((done, errors))


def measure(path, seconds, clients):
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_client, args=(path, seconds, queue)) for _ in range(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    done, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    if errors:
        sys.exit(f"{path}: {errors} responses were not 200")
    return done / elapsed


def _wait_for_server(process):
    for _ in range(100):
        if process.poll() is not None:
            sys.exit("gunicorn stopped; see its output above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("GET", "/_ping/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    owner = False
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DB_CONN_MAX_AGE": "60",
    }
    if not env.get("DATABASE_URL"):
        from website.database import DATABASE_NAME, start, stop

        server, owner = start()
        env["DATABASE_URL"] = server.get_uri(database=DATABASE_NAME)
    gunicorn = None
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [*manage, "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        from_url = subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from knowledge.models import KnowledgeArticle as A; "
                "p = max(A.objects.live(), key=lambda a: len(a.body)); print(p.url)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        article = from_url.stdout.strip().splitlines()[-1]
        gunicorn = subprocess.Popen(
            [
                shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn",
                "website.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        _wait_for_server(gunicorn)
        for path in (article, "/_ping/"):
            measure(path, 1, 1)  # warm up: connections, renditions, caches
        article_rps = measure(article, args.seconds, args.clients)
        ping_rps = measure("/_ping/", args.seconds, args.clients)
        question, question_rps = bench_question_page(
            env=env, measure=measure, seconds=args.seconds, clients=args.clients
        )
    finally:
        if gunicorn:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if owner:
            stop()
    print(
        f"\ngunicorn, production settings, {args.workers} workers, {args.clients} keep-alive clients, "
        f"{args.seconds:.0f} s each, {os.cpu_count()} cores shared by server and clients"
    )
    print(f"{'page':<58} {'req/s':>8}")
    print(f"{'minimal Django view (/_ping/, same middleware)':<58} {ping_rps:>8.1f}")
    print(f"{'article ' + article:<58} {article_rps:>8.1f}")
    print(f"{'ratio article / minimal view':<58} {article_rps / ping_rps:>8.2f}")
    print(f"{'question ' + question + ' (100 answers, 300 comments)':<58} {question_rps:>8.1f}")


if __name__ == "__main__":
    main()

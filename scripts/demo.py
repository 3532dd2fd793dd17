"""`make demo`: start the embedded PostgreSQL (unless DATABASE_URL is set), migrate, load the demo
content, and serve the site with a task worker beside it. Ctrl-C stops all of it, database included."""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")
ADDRESS = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")
WORKER_LOG = ROOT / ".cache" / "worker.log"


def manage(*args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, **kwargs)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    owner, children = False, []
    try:
        if not os.environ.get("DATABASE_URL"):
            from website.database import EmbeddedPostgresError, start

            try:
                _, owner = start()
            except EmbeddedPostgresError as exc:
                sys.exit(f"error: {exc}")
        manage("migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage("load_demo")
        manage("update_index", stdout=subprocess.DEVNULL)
        manage("search_reindex", stdout=subprocess.DEVNULL)
        WORKER_LOG.parent.mkdir(exist_ok=True)
        with WORKER_LOG.open("a") as log:
            children.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker", "--no-reload"],
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        print(
            f"\nDe Alliantie Open Overheid draait op http://{ADDRESS}/  (beheer: http://{ADDRESS}/beheer/)\n"
            "Demo-accounts (wachtwoord voor allemaal: alliantie-demo):\n"
            "  redactie@alliantie.example - redacteur; in het beheer (/beheer/) inloggen als: redactie\n"
            "  anouk@, bram@, fatima@, joost@, lieke@alliantie.example - leden (inloggen op /inloggen/)\n"
            f"Achtergrondtaken loggen naar {WORKER_LOG.relative_to(ROOT)}. Stoppen: Ctrl-C.\n",
            flush=True,
        )
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", ADDRESS], cwd=ROOT)
        children.append(server)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        if owner:
            from website.database import stop

            stop()
            print("De database is gestopt.")


if __name__ == "__main__":
    main()

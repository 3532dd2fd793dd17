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


def manage(*args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, **kwargs)


def main():
    owner = False
    if not os.environ.get("DATABASE_URL"):
        from website.database import EmbeddedPostgresError, start, stop

        try:
            _, owner = start()
        except EmbeddedPostgresError as exc:
            sys.exit(f"error: {exc}")
    try:
        manage("migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage("load_demo")
        manage("update_index", stdout=subprocess.DEVNULL)
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker"], cwd=ROOT)
        print(
            f"\nDe Alliantie Open Overheid draait op http://{ADDRESS}/  (beheer: http://{ADDRESS}/beheer/)\n"
            "Demo-accounts (wachtwoord voor allemaal: alliantie-demo):\n"
            "  redactie  - redacteur (keurt goed in het beheer)\n"
            "  anouk, bram, fatima, joost, lieke - leden\n"
            "Stoppen: Ctrl-C.\n",
            flush=True,
        )
        try:
            manage("runserver", "--noreload", ADDRESS)
        except KeyboardInterrupt:
            pass
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=20)
    except KeyboardInterrupt:
        pass
    finally:
        if owner:
            stop()


if __name__ == "__main__":
    main()

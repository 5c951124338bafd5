"""The `lvzhi` command.

lvzhi run [--port 8000]   migrate, load the demo data into an empty database, print the demo
                          accounts, start the in-process scheduler and serve on 127.0.0.1
lvzhi assets              copy the locked npm packages' files we serve into var/vendor
lvzhi <django command>    anything manage.py does (migrate, seed_demo, import_roster, ...)
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
NODE_MODULES = BASE_DIR / "assets" / "node_modules"
# A city congress receives about 400 suggestions a year (DOMAIN §5): the demo has a year's worth.
DEMO_SUGGESTIONS = 400

# The files we serve from each npm package (assets/package-lock.json pins their versions). Only
# these are copied: Tabler's whole dist folder breaks collectstatic.
VENDOR_FILES = {
    "tabler/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "tabler/tabler.min.css.map": "@tabler/core/dist/css/tabler.min.css.map",
    "bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap/bootstrap.bundle.min.js.map": "bootstrap/dist/js/bootstrap.bundle.min.js.map",
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
}


def vendor_assets() -> None:
    from django.conf import settings

    target = Path(settings.VENDOR_DIR)
    for destination, source in VENDOR_FILES.items():
        origin = NODE_MODULES / source
        if not origin.exists():
            sys.exit(f"lvzhi: {origin} is missing: run `npm ci --prefix assets` (make install does).")
        path = target / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.stat().st_mtime < origin.stat().st_mtime:
            shutil.copy2(origin, path)


def run(port: str) -> None:
    from django.core.management import call_command

    from lvzhi.core.scheduler import start_in_process_scheduler
    from lvzhi.organizations.models import Congress

    vendor_assets()
    call_command("migrate", interactive=False, verbosity=0)
    if not Congress.objects.exists():
        print("数据库为空，正在载入演示数据……", flush=True)
        call_command("seed_demo", suggestions=DEMO_SUGGESTIONS)
    call_command("demo_accounts")
    start_in_process_scheduler()
    print(f"lvzhi 已启动：http://127.0.0.1:{port}/", flush=True)
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)


def run_arguments(args: list[str]) -> argparse.Namespace:
    """Parse `lvzhi run`'s options; `--help` prints the help and exits before anything is touched."""
    parser = argparse.ArgumentParser(
        prog="lvzhi run",
        description="迁移数据库，空库时载入演示数据，列出演示账号，启动定时任务并在 127.0.0.1 上提供服务。",
    )
    parser.add_argument("--port", default="8000", help="监听端口（默认 8000），例如 --port 8100")
    return parser.parse_args(args)


def main() -> None:
    args = sys.argv[1:]
    # Parsed before Django starts: `lvzhi run --help` prints help and changes nothing.
    options = run_arguments(args[1:]) if args[:1] == ["run"] else None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings.dev")
    import django

    django.setup()
    if options is not None:
        run(options.port)
    elif args[:1] == ["assets"]:
        vendor_assets()
    else:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["lvzhi", *args])


if __name__ == "__main__":
    main()

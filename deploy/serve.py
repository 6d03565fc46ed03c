"""`make serve`: the production configuration on this machine (docs/serving.md).

    .venv/bin/python deploy/serve.py [--port 8000] [--no-demo]

govsite.settings.production behind nginx, over plain HTTP on loopback:

1. the environment production needs, set for this machine only: SECRET_KEY generated once into
   var/serve/secret_key (mode 0600, never in the repository), ALLOWED_HOSTS=127.0.0.1,localhost,
   DATABASE_URL the SQLite file `make run` uses (db.sqlite3) unless given,
   GOVSITE_INSECURE_LOCAL_HTTP=1 (no HTTPS redirect, HSTS or Secure cookies: refused by the
   settings for any non-loopback host), GOVSITE_PROXY_COUNT=1 (the client address is the one
   nginx adds to X-Forwarded-For). Anything already in the environment (DATABASE_URL,
   REDIS_URL, S3, PUBLISHED_ROOT, SECRET_KEY ...) is kept;
2. migrate, collectstatic, bootstrap_site, load_demo_data --if-empty (as `make run`);
3. gunicorn (deploy/gunicorn.conf.py) on the Unix socket var/serve/gunicorn.sock, the
   background worker (run_worker) and the periodic scheduler (crontask), and nginx in the
   foreground with deploy/nginx/govsite.conf rendered into var/serve/ (pid, logs and temporary
   files there too).

Ctrl-C (or SIGTERM) stops all of them, each with its children; so does any of them exiting.
bench/serving/run.py starts the same configuration through ``serve_environment``,
``prepare_environment`` and ``start``.
"""

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
RUN_DIR = ROOT / "var" / "serve"
NGINX = "/usr/sbin/nginx"


def secret_key(run_dir):
    """This machine's key for `make serve`: made once, readable by its owner only."""
    path = Path(run_dir) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    os.chmod(path, 0o600)
    return path.read_text().strip()


def serve_environment(port, run_dir=RUN_DIR, base=None):
    """The environment of the production settings on this machine (see the module doc)."""
    env = dict(os.environ if base is None else base)
    env["DJANGO_SETTINGS_MODULE"] = "govsite.settings.production"
    env.setdefault("SECRET_KEY", secret_key(run_dir))
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    env["GOVSITE_INSECURE_LOCAL_HTTP"] = "1"
    env["GOVSITE_PROXY_COUNT"] = "1"
    env.setdefault("GOVSITE_SITE_URL", f"http://127.0.0.1:{port}")
    env.setdefault("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{port}")
    # No mail relay on this machine: review notices' e-mails are written to the log.
    env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    env["GUNICORN_RUN_DIR"] = str(run_dir)
    env["GUNICORN_BIND"] = f"unix:{Path(run_dir) / 'gunicorn.sock'}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def manage(*args, env, quiet=True):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare_environment(env, demo=True):
    """Database, static files and the site tree, as `make run` prepares them."""
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)
    manage("bootstrap_site", env=env)
    if demo:
        manage("load_demo_data", "--if-empty", env=env)


def render_nginx(env, run_dir, listen, upstream, access_log=True):
    """deploy/nginx/govsite.conf filled in for plain HTTP on ``listen``, with the paths of the
    settings ``env`` selects; returns the nginx.conf to start nginx with."""
    command = [sys.executable, str(DEPLOY / "render_nginx.py"), "--listen", listen]
    command += ["--upstream", upstream, "--server-name", "127.0.0.1 localhost"]
    command += ["--main-conf", str(run_dir)]
    if not access_log:
        command.append("--no-access-log")
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def wait_for_socket(address, process, seconds=60):
    """Until ``address`` (unix:/path or host:port) accepts connections, or the process died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with status {process.returncode}")
        try:
            if address.startswith("unix:"):
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.connect(address[5:])
            else:
                host, port = address.rsplit(":", 1)
                socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{address} did not answer within {seconds} s")


def start_gunicorn(env, bind=None):
    env = dict(env, GUNICORN_BIND=bind or env["GUNICORN_BIND"])
    command = [str(Path(sys.executable).parent / "gunicorn")]
    command += ["-c", str(DEPLOY / "gunicorn.conf.py")]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_for_socket(env["GUNICORN_BIND"], process)
    except BaseException:
        stop([process])
        raise
    return process


def start_nginx(conf, run_dir, listen):
    """nginx in the foreground under ``run_dir``, as the current user."""
    command = [NGINX, "-p", str(run_dir), "-c", str(conf), "-e", "logs/error.log"]
    subprocess.run([*command, "-t", "-q"], check=True)
    process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
    try:
        wait_for_socket(listen, process)
    except BaseException:
        stop([process])
        raise
    return process


# Beside gunicorn: the worker that runs the queued tasks and the scheduler that enqueues the
# periodic ones (docs/operations.md 后台任务).
BACKGROUND = [["run_worker"], ["crontask", "--no-heartbeat"]]


def start(env, run_dir, port, scheduler=True, access_log=True):
    """gunicorn, the worker and scheduler, and nginx: the processes, nginx last (the one
    answering). ``scheduler=False`` leaves out the worker and the scheduler."""
    Path(run_dir).mkdir(parents=True, exist_ok=True)
    socket_path = Path(env["GUNICORN_BIND"].removeprefix("unix:"))
    socket_path.unlink(missing_ok=True)
    listen = f"127.0.0.1:{port}"
    conf = render_nginx(env, run_dir, listen, env["GUNICORN_BIND"], access_log=access_log)
    processes = [start_gunicorn(env)]
    try:
        if scheduler:
            for command in BACKGROUND:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "manage.py", *command],
                        cwd=ROOT,
                        env=env,
                        start_new_session=True,
                    )
                )
        processes.append(start_nginx(conf, run_dir, listen))
    except BaseException:
        stop(processes)
        raise
    return processes


def stop(processes, seconds=40):
    """Stop each process with its children (each runs in a session of its own): nginx first
    (SIGQUIT, graceful), then the worker and scheduler, gunicorn last (SIGTERM, graceful within its
    graceful_timeout of 30 s); SIGKILL to whatever is left after ``seconds``."""
    for process in reversed(processes):
        if process.poll() is None:
            graceful = signal.SIGQUIT if process.args[0] == NGINX else signal.SIGTERM
            _signal_group(process, graceful)
    deadline = time.monotonic() + seconds
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        _signal_group(process, signal.SIGKILL)  # workers a killed master would leave behind
        process.wait()


def _signal_group(process, sig):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def main():
    parser = argparse.ArgumentParser(description="GovSite: the production configuration here.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    options = parser.parse_args()

    env = serve_environment(options.port)
    prepare_environment(env, demo=not options.no_demo)
    stopping = []

    def request_stop(*_):
        stopping.append(True)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    processes = start(env, RUN_DIR, options.port)
    print(
        f"\nGovSite（生产配置）：http://127.0.0.1:{options.port}/ ，后台 /admin/\n"
        f"  nginx 日志 {RUN_DIR / 'logs'}；静态发布目录 "
        f"{env.get('PUBLISHED_ROOT', ROOT / 'var' / 'published')}\n  Ctrl-C 停止。\n",
        flush=True,
    )
    status = 0
    try:
        while not stopping:
            ended = [p for p in processes if p.poll() is not None]
            if ended:
                print(f"{ended[0].args[0]} 已退出（状态 {ended[0].returncode}），全部停止。")
                status = 1
                break
            time.sleep(0.5)
    finally:
        stop(processes)
    sys.exit(status)


if __name__ == "__main__":
    main()

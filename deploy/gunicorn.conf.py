"""gunicorn configuration for GovSite: `make serve` and production (docs/serving.md).

    gunicorn -c deploy/gunicorn.conf.py

gunicorn sits behind nginx, which serves the published pages, /static/ and /media/ itself and
buffers slow clients, so a worker only ever talks to nginx over loopback or a Unix socket.
Everything below can be changed through the environment without editing this file.

Workers: ``sync`` workers, (2 × CPUs) + 1 of them by default. Measured on the 2-core machine
(2026-11-25, gunicorn alone, wrk -t2 -c32 -d6s, other work running on the machine): article
page sync×5 47 req/s (p99 1.05 s), gthread 2×4 54 req/s (p99 1.90 s), gthread 5×2 30 req/s;
homepage 16, 9 and 26 req/s. Within the noise of each other: rendering holds the GIL, so
threads only help while a request waits on a remote database or network, and sync workers had
the better tail. nginx buffers slow clients, which is what sync workers need. Use gthread
(``GUNICORN_WORKER_CLASS=gthread``, ``GUNICORN_THREADS``) when the database is remote and slow.
"""

import multiprocessing
import os

cpus = multiprocessing.cpu_count()

wsgi_app = "govsite.wsgi:application"
# A Unix socket (unix:/run/govsite/gunicorn.sock) or a loopback address; never a public one.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cpus + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4 if worker_class == "gthread" else 1))

# The application is imported once, before the workers are forked: they start in a moment and
# share the imported code's memory. (A code change therefore needs a restart, not a HUP.)
preload_app = True

# A request that takes longer than this is a stuck worker (exports are streamed); it is
# restarted. Long uploads are buffered by nginx first, so they do not count here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# nginx keeps upstream connections open (upstream keepalive) for gthread workers.
keepalive = 5
# Recycle workers now and then so that slow leaks in any library cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10

# nginx on the same machine is the only client: trust its X-Forwarded-Proto. The client's
# address for the rate limits comes from X-Forwarded-For through GOVSITE_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The worker heartbeat files on tmpfs: a slow disk must not make workers look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn's control socket (gunicornc) beside the pid file, one per server instance.
run_dir = os.environ.get("GUNICORN_RUN_DIR")
if run_dir:
    pidfile = os.path.join(run_dir, "gunicorn.pid")
    control_socket = os.path.join(run_dir, "gunicorn.ctl")
else:
    control_socket_disable = True

# Logs to stderr (journald, or the terminal of `make serve`); the access log is nginx's.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "govsite"

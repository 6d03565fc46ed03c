"""The shipped nginx template (deploy/nginx/govsite.conf) routes as docs/serving.md says.

The real nginx (Debian's package) runs the rendered template as `make serve` does, in front of a
small HTTP server standing in for gunicorn that names every request it receives; the published
root holds files written where govsite/publishing puts them.
"""

import http.client
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import render_nginx  # noqa: E402
import serve  # noqa: E402


class Upstream(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = f"app {self.command} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Seen-Forwarded-For", self.headers.get("X-Forwarded-For", ""))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = answer

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_installed():
    """Debian's nginx, which ``make test`` installs (``make nginx``)."""
    if not Path(serve.NGINX).exists():
        pytest.fail(f"nginx 未安装（{serve.NGINX}）：make nginx 安装。", pytrace=False)
    return serve.NGINX


@pytest.fixture(scope="module")
def site(nginx_installed, tmp_path_factory):
    base = tmp_path_factory.mktemp("nginx")
    published, static, media = base / "published", base / "static", base / "media"
    for path, text in {
        published / "index.html": "file home",
        published / "a" / "b" / "index.html": "file a/b",
        published / "a" / "page-2.html": "file a page 2",
        published / "a" / "page-1.html": "never written by the publisher",
        published / "sitemap.xml": "<urlset/>",
        published / "a" / "rss.xml": "<rss/>",
        static / "css" / "site.0123456789ab.css": "body{}",
        media / "images" / "x.jpg": "jpeg",
        media / "images" / "x.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        media / "documents" / "secret.pdf": "private document",
    }.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    listen = f"127.0.0.1:{port}"
    text = render_nginx.render(
        upstream=f"127.0.0.1:{upstream.server_address[1]}",
        listen=listen,
        published_root=published,
        static_root=static,
        media_root=media,
    )
    run_dir = base / "run"
    conf = render_nginx.write_run_dir(run_dir, text, access_log=False)
    nginx = serve.start_nginx(conf, run_dir, listen)
    yield port
    serve.stop([nginx])
    upstream.shutdown()
    shutil.rmtree(base, ignore_errors=True)


def fetch(port, path, method="GET", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, dict(response.getheaders()), body


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", "file home"),
        ("/a/b/", "file a/b"),
        ("/a/?page=2", "file a page 2"),
        ("/sitemap.xml", "<urlset/>"),
        ("/a/?page=1", "app GET /a/?page=1"),  # page 1 is the list itself
        ("/a/b/?q=x", "app GET /a/b/?q=x"),
        ("/a/?page=2&x=1", "app GET /a/?page=2&x=1"),
        ("/a/", "app GET /a/"),  # not published (yet): the application renders it
        ("/a/b/index.html", "app GET /a/b/index.html"),  # files only at their page's URL
        ("/a/page-2.html", "app GET /a/page-2.html"),
        ("/admin/", "app GET /admin/"),
        ("/documents/1/a.pdf", "app GET /documents/1/a.pdf"),
        # Feeds, robots.txt and the favicon (issue 17 item 4).
        ("/a/rss.xml", "<rss/>"),
        ("/a/rss.xml?x=1", "app GET /a/rss.xml?x=1"),
        ("/rss.xml", "app GET /rss.xml"),  # not published yet
        ("/robots.txt", "app GET /robots.txt"),
        ("/favicon.ico", "app GET /favicon.ico"),
    ],
)
def test_anonymous_gets(site, path, expected):
    status, _, body = fetch(site, path)
    assert (status, body) == (200, expected)


def test_published_feeds_are_sent_as_rss(site):
    status, headers, _ = fetch(site, "/a/rss.xml")
    assert status == 200
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_logged_in_officers_and_posts_reach_the_application(site):
    assert fetch(site, "/a/b/", headers={"Cookie": "sessionid=abc"})[2] == "app GET /a/b/"
    assert fetch(site, "/", headers={"Cookie": "csrftoken=t"})[2] == "file home"
    assert fetch(site, "/a/b/", method="POST")[2] == "app POST /a/b/"
    status, headers, _ = fetch(site, "/a/b/", method="HEAD")
    assert status == 200 and headers["Content-Length"] == str(len("file a/b"))


def test_published_files_carry_the_applications_security_headers(site):
    _, headers, _ = fetch(site, "/a/b/")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-cache"  # revalidated: a new version shows at once
    assert "ETag" in headers and headers["Server"] == "nginx"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_static_media_and_documents(site):
    status, headers, body = fetch(site, "/static/css/site.0123456789ab.css")
    assert (status, body) == (200, "body{}")
    assert headers["Cache-Control"].startswith("max-age=315360000")
    assert fetch(site, "/media/images/x.jpg")[:3:2] == (200, "jpeg")
    assert fetch(site, "/media/documents/secret.pdf")[0] == 404


def test_the_client_address_is_forwarded(site):
    _, headers, _ = fetch(site, "/admin/")
    assert headers["X-Seen-Forwarded-For"] == "127.0.0.1"


def test_the_production_rendering_is_valid_nginx(nginx_installed, tmp_path):
    """TLS on 443 with a redirect from 80, as installed under /etc/nginx."""
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=www.example.gov.cn", "-keyout", key, "-out", certificate],
        check=True, capture_output=True,
    )  # fmt: skip
    text = render_nginx.render(
        upstream="unix:/run/govsite/gunicorn.sock",
        server_name="www.example.gov.cn",
        tls_certificate=certificate,
        tls_key=key,
        published_root="/srv/govsite/var/published",
        static_root="/srv/govsite/var/static",
        media_root="/srv/govsite/var/media",
    )
    assert "listen 443 ssl http2;" in text and "return 301 https://" in text
    assert "listen ;" not in text and "@" not in text.replace("@app", "")
    conf = render_nginx.write_run_dir(tmp_path / "run", text)
    result = subprocess.run(
        [nginx_installed, "-t", "-p", str(tmp_path / "run"), "-c", str(conf), "-e", "logs/e.log"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# The published files carry the application's headers (R-SEC-5; docs/hardening.md) ------------


def test_published_pages_carry_the_public_policy(site):
    from django.conf import settings
    from django.utils.csp import build_policy

    status, headers, _ = fetch(site, "/a/b/")
    assert status == 200
    assert headers["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_media_files_opened_on_their_own_run_nothing(site):
    status, headers, _ = fetch(site, "/media/images/x.svg")
    assert status == 200
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_rendered_policy_is_the_settings_with_the_media_store(tmp_path):
    """render_nginx.py writes SECURE_CSP as the production settings build it: with media on an
    object store, published pages allow its origin for images like the application's pages."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "DJANGO_SETTINGS_MODULE": "govsite.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "www.example.gov.cn",
        "DATABASE_URL": "postgres://govsite@127.0.0.1:5432/govsite",
        "GOVSITE_SITE_URL": "https://www.example.gov.cn",
        "AWS_STORAGE_BUCKET_NAME": "govsite-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.example.gov.cn",
    }
    command = [sys.executable, str(ROOT / "deploy" / "render_nginx.py"), "--listen", "127.0.0.1:1"]
    for name in ("published", "static", "media"):
        command += [f"--{name}-root", str(tmp_path / name)]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (policy,) = re.findall(
        r'add_header Content-Security-Policy "(default-src \'self\'[^"]*)"', result.stdout
    )
    assert "img-src 'self' https://media.example.gov.cn;" in policy
    assert "media-src 'self' https://media.example.gov.cn;" in policy
    assert policy.endswith("report-uri /csp-report/")


def test_a_policy_nginx_would_misread_is_refused(settings):
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": ["'self'", 'https://a.example"']}
    with pytest.raises(ValueError, match="cannot be written"):
        render_nginx.public_policy()

"""R-SEC-3 (session half) and R-SEC-1 (concurrent logins): server-side idle and absolute
timeouts with the reason on the login page, the session id rotated at login and flushed at
logout, the account's other logins shown and ended, single-session mode — with the database
and the cached_db session engines. Time is moved by dating the session's own record back."""

from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse

from govsite.accounts import sessions
from govsite.accounts.models import UserSession

from .conftest import CHROME, FIREFOX, Browser, actions, login

ELSEWHERE = "您的账号在其他地点登录"
CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def officer(make_user):
    return make_user("mishu_xxy", "秘书科-信息员")


def session_of(client):
    return import_module(settings.SESSION_ENGINE).SessionStore(
        client.cookies[settings.SESSION_COOKIE_NAME].value
    )


def session_exists(key):
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def move_back(client, minutes, *, field):
    """Pretend the session's login (STARTED) or last activity (LAST_SEEN) was earlier."""
    session = session_of(client)
    session[field] -= minutes * 60
    session.save()


def login_page_text(client):
    return client.get(reverse("wagtailadmin_login")).content.decode()


@pytest.mark.django_db
def test_idle_sessions_end_after_30_minutes(officer, client, events):
    login(client, officer)
    move_back(client, 29, field=sessions.LAST_SEEN)
    assert client.get("/admin/").status_code == 200  # 29 minutes: still signed in

    move_back(client, 31, field=sessions.LAST_SEEN)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/pages/"
    assert not session_exists(key)  # ended on the server, whatever the browser keeps
    assert "由于长时间未操作（超过 30 分钟），您已退出登录，请重新登录。" in login_page_text(client)
    assert client.get("/admin/").status_code == 302
    (expired,) = [kwargs for action, kwargs in events if action == "session_expired"]
    assert expired["target"] == officer and expired["detail"]["reason"] == "idle"
    assert not UserSession.objects.filter(user=officer).exists()


@pytest.mark.django_db
def test_activity_keeps_a_session_alive_and_is_written_once_a_minute(officer, client):
    login(client, officer)
    move_back(client, 20, field=sessions.LAST_SEEN)
    client.get("/admin/")  # activity: last seen is now
    move_back(client, 20, field=sessions.LAST_SEEN)
    assert client.get("/admin/").status_code == 200  # 20 + 20 minutes, never 30 idle

    seen = session_of(client)[sessions.LAST_SEEN]
    row_seen = UserSession.objects.get(user=officer).last_seen_at
    client.get("/admin/")
    assert session_of(client)[sessions.LAST_SEEN] == seen  # not within the same minute
    assert UserSession.objects.get(user=officer).last_seen_at == row_seen


@pytest.mark.django_db
def test_the_idle_timeout_is_policy_data(officer, client, policy):
    policy.idle_timeout_minutes = 10
    policy.save()
    login(client, officer)
    move_back(client, 11, field=sessions.LAST_SEEN)
    assert client.get("/admin/").status_code == 302
    assert "超过 10 分钟" in login_page_text(client)


@pytest.mark.django_db
def test_any_session_ends_after_12_hours(officer, client, events):
    login(client, officer)
    move_back(client, 11 * 60 + 50, field=sessions.STARTED)
    assert client.get("/admin/").status_code == 200
    move_back(client, 15, field=sessions.STARTED)  # 12 h 05 min, active all along
    assert client.get("/admin/").status_code == 302
    assert "本次登录已超过 12 小时，为了账号安全已自动退出，请重新登录。" in login_page_text(client)
    assert events[-1][0] == "session_expired" and events[-1][1]["detail"]["reason"] == "absolute"


@pytest.mark.django_db
def test_the_public_site_never_touches_the_session(officer, client, site_tree):
    login(client, officer)
    move_back(client, 31, field=sessions.LAST_SEEN)
    response = client.get("/")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert client.get("/admin/").status_code == 302  # timed out in the admin all the same


@pytest.mark.django_db
def test_the_session_id_is_rotated_at_login(officer, client):
    client.get(reverse("wagtailadmin_login"))
    before = client.session  # an anonymous session with something in it
    before["visited"] = True
    before.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    login(client, officer)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not session_exists(before.session_key)
    assert session_of(client)["_auth_user_id"] == str(officer.pk)
    assert UserSession.objects.get(user=officer).session_key == after


@pytest.mark.django_db
def test_the_session_is_flushed_at_logout(officer, client):
    login(client, officer)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert session_exists(key)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert not session_exists(key)
    assert not UserSession.objects.filter(user=officer).exists()
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_login_records_address_and_browser(officer):
    browser = Browser(ip="198.51.100.7", user_agent=CHROME)
    login(browser, officer)
    row = UserSession.objects.get(user=officer)
    assert (row.ip, row.user_agent) == ("198.51.100.7", CHROME)
    assert sessions.describe_user_agent(row.user_agent) == "Chrome（Linux）"
    assert sessions.describe_user_agent(FIREFOX) == "Firefox（Windows）"


@pytest.mark.django_db
def test_the_address_behind_a_proxy_is_the_forwarded_one(officer, settings):
    settings.GOVSITE_PROXY_COUNT = 1
    browser = Browser(ip="10.0.0.2")
    browser.post(
        reverse("wagtailadmin_login"),
        {"username": "mishu_xxy", "password": "Test-Passw0rd-2026!"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert UserSession.objects.get(user=officer).ip == "203.0.113.9"


def two_places(officer):
    office = Browser(ip="192.0.2.10", user_agent=FIREFOX)
    elsewhere = Browser(ip="198.51.100.7", user_agent=CHROME)
    login(office, officer)
    login(elsewhere, officer)
    return office, elsewhere


@pytest.mark.django_db
def test_the_user_is_told_about_a_login_elsewhere(officer):
    office, elsewhere = two_places(officer)
    html = office.get("/admin/").content.decode()
    assert ELSEWHERE in html
    assert "198.51.100.7，Chrome（Linux）" in html  # where and in what...
    started = UserSession.objects.get(user=officer, ip="198.51.100.7").started_at
    from django.utils import timezone

    assert timezone.localtime(started).strftime("%Y-%m-%d %H:%M") in html  # ...and since when
    # The message comes once; the dashboard panel keeps showing it.
    assert office.get(reverse("wagtailadmin_account")).content.decode().count(ELSEWHERE) == 0
    sessions_page = office.get(reverse("accounts_sessions")).content.decode()
    assert "198.51.100.7" in sessions_page and "192.0.2.10" in sessions_page
    assert "当前登录（本浏览器）" in sessions_page


@pytest.mark.django_db
def test_a_second_tab_of_the_same_browser_is_no_other_place(officer):
    first, second = Browser(), Browser()
    login(first, officer)
    login(second, officer)  # same address, same browser (a private window, say)
    assert ELSEWHERE not in first.get("/admin/").content.decode()


def end_other_logins(client, choice):
    return client.post(reverse("accounts_sessions"), {"end": choice})


@pytest.mark.django_db
def test_the_user_ends_the_login_elsewhere(officer, events):
    office, elsewhere = two_places(officer)
    other = UserSession.objects.get(user=officer, ip="198.51.100.7")
    response = end_other_logins(office, str(other.pk))
    assert response.status_code == 302
    assert "已结束 1 处登录" in office.get(reverse("accounts_sessions")).content.decode()
    assert not session_exists(other.session_key)
    assert elsewhere.get("/admin/").status_code == 302
    assert "您的这次登录已在其他地点被结束" in login_page_text(elsewhere)
    assert "您的这次登录已在其他地点被结束" not in login_page_text(elsewhere)  # told once
    assert office.get("/admin/").status_code == 200
    (ended,) = [kwargs for action, kwargs in events if action == "session_ended"]
    assert ended["actor"] == officer and ended["target"] == officer
    assert ended["detail"]["ip"] == "198.51.100.7"


@pytest.mark.django_db
def test_nobody_ends_another_accounts_login(officer, make_user):
    other_user = make_user("wenshu_xxy", "文书科-信息员")
    theirs = Browser(ip="198.51.100.7")
    login(theirs, other_user)
    row = UserSession.objects.get(user=other_user)
    mine = Browser()
    login(mine, officer)
    end_other_logins(mine, str(row.pk))
    end_other_logins(mine, "others")
    assert theirs.get("/admin/").status_code == 200
    assert session_exists(row.session_key)


@pytest.mark.django_db
def test_end_all_other_logins(officer):
    office, elsewhere = two_places(officer)
    third = Browser(ip="203.0.113.5", user_agent=CHROME)
    login(third, officer)
    end_other_logins(office, "others")
    assert elsewhere.get("/admin/").status_code == 302
    assert third.get("/admin/").status_code == 302
    assert office.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_single_session_mode_ends_the_earlier_login(officer, policy, events):
    policy.single_session = True
    policy.save()
    office, elsewhere = two_places(officer)
    assert office.get("/admin/").status_code == 302
    assert "您的账号已在其他地点登录，这里的登录已结束" in login_page_text(office)
    assert elsewhere.get("/admin/").status_code == 200
    assert ELSEWHERE not in elsewhere.get("/admin/").content.decode()
    assert "session_ended" in actions(events)


@pytest.mark.django_db
def test_a_password_change_ends_the_other_logins(officer):
    office, elsewhere = two_places(officer)
    office.post(
        reverse("accounts_password_change"),
        {
            "old_password": "Test-Passw0rd-2026!",
            "new_password1": "Qiu-Tian-Hui-Yi-2026",
            "new_password2": "Qiu-Tian-Hui-Yi-2026",
        },
    )
    assert office.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
    assert "您的账号密码已修改，请用新密码重新登录。" in login_page_text(elsewhere)
    # The changing browser's session got a new key and is still the one recorded.
    row = UserSession.objects.get(user=officer, ended_at__isnull=True)
    assert row.session_key == office.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db
def test_with_the_cached_db_engine(officer, settings):
    settings.SESSION_ENGINE = CACHED_DB
    office, elsewhere = two_places(officer)
    other = UserSession.objects.get(user=officer, ip="198.51.100.7")
    store = import_module(CACHED_DB).SessionStore
    assert store(other.session_key).load()  # in the cache and the database
    end_other_logins(office, str(other.pk))
    assert not store().exists(other.session_key)
    assert elsewhere.get("/admin/").status_code == 302

    move_back(office, 31, field=sessions.LAST_SEEN)
    assert office.get("/admin/").status_code == 302
    assert "由于长时间未操作" in login_page_text(office)


@pytest.mark.django_db
def test_the_account_page_links_password_and_sessions(officer, client):
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert f'href="{reverse("accounts_password_change")}"' in html
    assert f'href="{reverse("accounts_sessions")}"' in html

"""The demo's 沟通信箱 and 服务满意度调查 look alive (issue 14 item 6): a year of letters in
every state, handled by the demo users who hold the roles, some published with their replies,
monthly statistics that show something, and two surveys with answers."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govsite.demo.letters import Cast, Replay, load_letters_spec
from govsite.demo.loader import DemoReport, _ensure_users, load_demo_spec
from govsite.mailbox import rules
from govsite.mailbox.models import Letter, LetterEvent, MailboxPage
from govsite.mailbox.tests.factories import route, track
from govsite.notices.models import Notice
from govsite.surveys.models import QuestionKind, Survey, SurveyColumnPage

Status, Action = Letter.Status, LetterEvent.Action


@pytest.fixture
def demo(loaded_once, site_tree):
    assert "沟通信箱：新建来信" in loaded_once
    return loaded_once


def count_after(label, html):
    """The number in the statistics table's row ``label``."""
    match = re.search(rf"{label}</th><td class=\"number\">(\d+) 件", html)
    assert match, label
    return int(match.group(1))


@pytest.mark.usefixtures("demo")
class TestDemoMailbox:
    """Read-only checks on one load of the demo data."""

    def test_a_year_of_letters_in_every_state(self):
        letters = Letter.objects.all()
        assert 120 <= letters.count() <= 200
        # 待主管主任审核答复 only when 沟通信箱设置 asks for the director (off by default)
        in_use = set(Status.values) - {Status.DIRECTOR_REVIEW}
        assert set(letters.values_list("status", flat=True)) == in_use
        assert letters.awaiting_triage().count() >= 2
        assert 1 <= Letter.objects.overdue().count() <= 3
        assert letters.awaiting_extension_decision().count() == 1
        now, today = timezone.now(), timezone.localdate()
        received = sorted(letters.values_list("received_at", flat=True))
        assert timedelta(days=350) < now - received[0] <= timedelta(days=366)
        assert now - received[-1] < timedelta(days=3)
        # Every month of the year has letters, and the year is mostly answered.
        months = {timezone.localtime(moment).strftime("%Y-%m") for moment in received}
        assert len(months) >= 12
        assert letters.answered().count() > letters.count() * 0.7
        # Nothing valid waits near the 3-month limit (单项否决): history is settled.
        assert (
            not letters.valid()
            .exclude(status=Status.REPLIED)
            .filter(received_at__lt=now - timedelta(days=30))
        )
        assert not letters.filter(deadline__isnull=False, status=Status.REPLIED).filter(
            deadline__gt=today + timedelta(days=20)
        )

    def test_every_step_is_on_record_in_order_and_in_the_past(self):
        actions = set(LetterEvent.objects.values_list("action", flat=True))
        # Nothing is withdrawn; no director approves replies (沟通信箱设置: off by default).
        expected = set(Action.values) - {Action.UNPUBLISHED, Action.REPLY_APPROVED}
        assert expected <= actions
        now = timezone.now()
        for letter in Letter.objects.prefetch_related("events"):
            events = list(letter.events.all())
            assert events[0].action == Action.RECEIVED and events[0].at == letter.received_at
            assert all(event.at >= letter.received_at for event in events), letter
            assert all(event.at < now for event in events), letter
            if letter.replied_at:
                replied = next(e for e in events if e.action == Action.REPLIED)
                assert replied.at == letter.replied_at > letter.received_at

    def test_the_steps_are_taken_by_the_users_who_hold_the_roles(self):
        office = Cast({}, {}).office_officer()
        assert rules.may_triage(office)
        by_action = {}
        for event in LetterEvent.objects.exclude(actor=None).select_related("actor", "letter"):
            by_action.setdefault(event.action, set()).add(event.actor.username)
        for action in (Action.CLASSIFIED, Action.ASSIGNED, Action.FORWARDED, Action.PREPARED):
            assert by_action[action] == {office.username}, action
        chief = Cast({}, {}).office_chief()
        assert rules.is_signer(chief)
        for action in (Action.SIGNED_OFF, Action.REPLIED):
            assert by_action[action] == {chief.username}, action
        assert all(name.endswith("_xxy") for name in by_action[Action.DRAFTED])
        assert all(name.endswith("_kz") for name in by_action[Action.APPROVED])
        assert len(by_action[Action.DRAFTED]) == 5  # every section answers some letters
        # The section that drafts is the section the letter was assigned to.
        for event in LetterEvent.objects.filter(action=Action.DRAFTED).select_related(
            "actor", "letter__section"
        ):
            assert event.actor.username == f"{event.letter.section.code}_xxy"

    def test_notices_are_left_only_for_letters_still_in_hand(self):
        in_hand = Letter.objects.in_hand() | Letter.objects.awaiting_triage()
        urls = {reverse("mailbox_letter", args=[pk]) for pk in in_hand.values_list("pk", flat=True)}
        notices = Notice.objects.exclude(url="")
        assert notices.exists()
        assert set(notices.values_list("url", flat=True)) <= urls
        assert all(n.created_at < timezone.now() for n in notices)
        # and no e-mail about the replayed history waits for the commit
        pending = transaction.get_connection().run_on_commit
        assert not any("send_notice_mail" in repr(callback) for _, callback, _ in pending)

    def test_published_letters_are_listed_with_their_replies(self, client):
        published = Letter.objects.published()
        assert 8 <= published.count() <= 40
        assert not Letter.objects.filter(published=True, consent_to_publish=False).exists()
        mailbox = MailboxPage.objects.get()
        page = client.get(mailbox.url).content.decode()
        assert "暂无公开的信件" not in page
        newest = published.order_by("-replied_at", "-pk").first()
        letter_url = route(mailbox, "letter", newest.tracking_number)
        assert letter_url in page
        shown = client.get(letter_url)
        assert shown.status_code == 200
        text = shown.content.decode()
        assert newest.reply[:20] in text
        assert newest.name not in text  # masked (R-MAIL-5)

    def test_the_statistics_of_a_past_month_show_the_letters(self, client):
        mailbox = MailboxPage.objects.get()
        today = timezone.localdate()
        last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        page = client.get(route(mailbox, "stats") + f"?month={last_month}").content.decode()
        assert count_after("收到来信", page) > 0
        assert count_after("已办结（已答复）", page) > 0
        half_a_year_ago = (today - timedelta(days=183)).strftime("%Y-%m")
        page = client.get(route(mailbox, "stats") + f"?month={half_a_year_ago}").content.decode()
        assert count_after("收到来信", page) >= count_after("已办结（已答复）", page) > 0

    def test_the_writer_tracks_a_letter_with_the_code_the_load_printed(self, demo, client):
        samples = re.findall(r"试查询：信件编号 (\S+)，查询码 (\S+)（(.+)）", demo)
        assert len(samples) == 3
        mailbox = MailboxPage.objects.get()
        for number, code, status in samples:
            assert Letter.objects.get(tracking_number=number).get_status_display() == status
            page = track(client, mailbox, number, code).content.decode()
            assert "编号或查询码不正确" not in page, number
            assert number in page

    def test_an_open_and_a_closed_survey_with_answers(self, client):
        now = timezone.now()
        closed = Survey.objects.with_public_results().get()
        opened = Survey.objects.open().get()
        assert 150 <= closed.responses.count() <= 300
        assert 30 <= opened.responses.count() <= 60
        for survey in (closed, opened):
            questions = list(survey.questions.all())
            assert 5 <= len(questions) <= 8
            assert {q.kind for q in questions} == set(QuestionKind.values)
            assert not any(q.required for q in questions if q.kind == QuestionKind.TEXT)
            times = survey.responses.values_list("submitted_at", flat=True)
            assert all(survey.opens_at <= at < min(survey.closes_at, now) for at in times)
            for question in questions:
                assert question.answers.exists(), question
        assert opened.closes_at - now > timedelta(days=7)
        assert now - opened.opens_at > timedelta(days=7)
        assert closed.closes_at < now - timedelta(days=60)

    def test_the_open_survey_is_answerable_and_the_closed_ones_results_are_shown(self, client):
        column = SurveyColumnPage.objects.get()
        opened = Survey.objects.open().get()
        closed = Survey.objects.with_public_results().get()
        listing = client.get(column.url).content.decode()
        assert opened.title in listing and closed.title in listing

        data = {}
        for question in opened.questions.all():
            if question.kind == QuestionKind.TEXT:
                data[f"q{question.pk}"] = "挺好的"
            elif question.kind == QuestionKind.RATING:
                data[f"q{question.pk}"] = "5"
            else:
                data[f"q{question.pk}"] = question.choice_list[0]
        before = opened.responses.count()
        answered = client.post(column.survey_url(opened), data, REMOTE_ADDR="203.0.113.9")
        assert answered.status_code == 302
        assert opened.responses.count() == before + 1

        results = client.get(column.survey_url(closed, "results")).content.decode()
        assert f"共收到答卷 {closed.responses.count()} 份" in results
        assert "本区居民" in results


def test_the_replay_is_the_same_from_the_same_moment(site_tree):
    """Seeded: two replays planned at one moment receive the same letters at the same times."""
    now = timezone.now()
    spec = load_letters_spec()
    demo = load_demo_spec()
    users = _ensure_users(demo, DemoReport())

    def planned():
        return [
            (plan.received_at, plan.name, plan.subject, plan.stop, plan.extension, plan.publish)
            for plan in Replay(spec, Cast(users, demo["authors"]), now).plans()
        ]

    first = planned()
    assert first == planned()
    assert len(first) == spec["letters_per_year"]

"""The demo's letters are replayed the same from the same moment (their checks on the loaded demo
are in ``test_load_demo_data``, which loads it once)."""

from django.utils import timezone

from govsite.demo.letters import Cast, Replay, load_letters_spec
from govsite.demo.loader import DemoReport, _ensure_users, load_demo_spec


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

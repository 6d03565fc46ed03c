"""The screening data every installation starts with: the nine categories of 第十九条 and the
classification marks (data/*.toml). Loaded by migration 0002 and again by ``bootstrap_site``
(which restores what is missing, e.g. after a test flushed the database); never overwrites
what the office has changed."""

import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load(name):
    with open(DATA / name, "rb") as handle:
        return tomllib.load(handle)


def seed(category_model, mark_model, version_model):
    """Create what is missing; return how many records were created."""
    created = 0
    for item in load("categories.toml")["categories"]:
        _, new = category_model.objects.get_or_create(
            number=item["number"], defaults={"name": item["name"], "wording": item["wording"]}
        )
        created += new
    for text in load("classification_marks.toml")["marks"]:
        _, new = mark_model.objects.get_or_create(text=text)
        created += new
    version_model.objects.get_or_create(pk=1)
    return created

"""主题分类 as data (R-OPEN-1): reading a tree file (data/topics.toml, or one 综合科 imports) and
applying it. A file with a loop, a third level, an unknown parent or a duplicate is refused whole
with a Chinese sentence, and nothing in the database changes.

A file lists ``[[topics]]``, each with ``name`` and either ``children`` (its second-level items)
or ``parent`` (the name of the top category it belongs under)."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "topics.toml"
GENRES_FILE = TOPICS_FILE.with_name("genres.toml")


@dataclass
class TopicTree:
    """[(top name, [child names])] in the file's order."""

    tops: list[tuple[str, list[str]]] = field(default_factory=list)


def read_tree_text(text):
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError(f"文件不是有效的 TOML 格式：{error}。") from error
    return parse_tree(data.get("topics", []))


def read_tree_file(path=TOPICS_FILE):
    return read_tree_text(Path(path).read_text(encoding="utf-8"))


def parse_tree(entries):
    """The two-level tree the entries describe, or a ValidationError naming what is wrong."""
    if not entries:
        raise ValidationError("文件中没有任何主题分类（应为若干 [[topics]] 条目）。")
    order = []  # the top categories
    children = {}  # parent name -> [child names]
    parent_of = {}  # child name -> (first) parent name
    flat_parent = {}  # name -> parent, for entries that name their parent
    for number, entry in enumerate(entries, 1):
        name = str(entry.get("name", "")).strip()
        if not name:
            raise ValidationError(f"第 {number} 个分类没有名称。")
        parent = str(entry.get("parent", "") or "").strip()
        kids = [str(child).strip() for child in entry.get("children", [])]
        if parent:
            _add_child(children, parent_of, parent, name)
            flat_parent.setdefault(name, parent)
        elif name in order:
            raise ValidationError(f"一级分类「{name}」重复出现。")
        else:
            order.append(name)
        for child in kids:
            _add_child(children, parent_of, name, child)
    _refuse_loops(flat_parent)
    for parent, kids in children.items():
        if parent in order:
            continue
        if parent in parent_of:
            raise ValidationError(
                f"「{parent}」已是「{parent_of[parent]}」的二级分类，不能再有下级「{kids[0]}」："
                "主题分类只有两级。"
            )
        raise ValidationError(f"「{kids[0]}」的上级分类「{parent}」不在文件中。")
    return TopicTree(tops=[(name, children.get(name, [])) for name in order])


def _add_child(children, parent_of, parent, name):
    if name in children.get(parent, []):
        raise ValidationError(f"分类「{parent} › {name}」重复出现。")
    children.setdefault(parent, []).append(name)
    parent_of.setdefault(name, parent)


def _refuse_loops(parent_of):
    for start in parent_of:
        seen = [start]
        current = parent_of.get(start)
        while current is not None:
            if current in seen:
                cycle = " → ".join([*seen[seen.index(current) :], current])
                raise ValidationError(
                    f"主题分类出现循环：{cycle}。每个分类的上级不能是它自己的下级。"
                )
            seen.append(current)
            current = parent_of.get(current)


@transaction.atomic
def apply_tree(tree, model=None):
    """Create what is missing of ``tree``, in the file's order; nothing existing is changed or
    deleted (a category in use stays, and 综合科 removes or reorders the others in the admin).
    Returns the names created."""
    if model is None:
        from .models import TopicCategory as model  # noqa: PLC0415  (start-up order: migrations)
    created = []
    for top_order, (name, kids) in enumerate(tree.tops):
        top, made = model.objects.get_or_create(
            parent=None, name=name, defaults={"sort_order": top_order}
        )
        if made:
            created.append(name)
        for child_order, child in enumerate(kids):
            item, made = model.objects.get_or_create(
                parent=top, name=child, defaults={"sort_order": child_order}
            )
            if made:
                created.append(f"{name} › {child}")
    return created


def import_topics(text):
    """Read and apply a tree file's text; refused whole (a ValidationError) before any change."""
    return apply_tree(read_tree_text(text))


def read_genres(path=GENRES_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)["genres"]

"""Field labels as data: ``extractors/data/labels.yaml``, loaded once and validated.

``labels(key)`` gives the synonyms of one field (in file order), ``label_set(key)`` the whole
entry, and ``ALL_LABELS`` every label that ends the value of the label before it (the synonyms
of every field whose ``ends_value`` is true, and the ``stop_labels``).
"""
from __future__ import annotations

from dataclasses import dataclass

from extractors.datafile import DATA, Doc

VALUE_TYPES = ("name", "id_number", "text", "date", "datetime", "money", "people", "signature",
               "section", "doc_name", "choice")
PRIORITIES = ("text", "listed")


@dataclass(frozen=True, slots=True)
class LabelSet:
    """One field's labels.

    key (str): the field's name in labels.yaml.
    synonyms (tuple[str, ...]): the labels that name it.
    value (str): what follows the label (one of ``VALUE_TYPES``).
    priority (str): ``text``: the first label in the text wins; ``listed``: the first synonym in
        file order that the text holds wins.
    not_labels (tuple[str, ...]): look-alike labels that mean something else.
    ends_value (bool): the labels end the value of a label before them.
    """

    key: str
    synonyms: tuple[str, ...]
    value: str
    priority: str = "text"
    not_labels: tuple[str, ...] = ()
    ends_value: bool = True


def load_labels(name: str = "labels.yaml") -> tuple[dict[str, LabelSet], tuple[str, ...]]:
    """Every field's LabelSet and the stop labels of the data file ``name`` (E203 when malformed)."""
    doc = Doc(DATA / name)
    top = doc.mapping(doc.root, "文件", allowed=("fields", "stop_labels"), required=("fields",))
    sets: dict[str, LabelSet] = {}
    for k, node in doc.mapping(top["fields"], "fields").items():
        what = f"字段“{k}”"
        entry = doc.mapping(node, what, allowed=("synonyms", "value", "priority", "not", "ends_value"),
                            required=("synonyms", "value"))
        syn = doc.strings(entry["synonyms"], f"{what}的 synonyms")
        not_labels = doc.strings(entry["not"], f"{what}的 not", non_empty=False) if "not" in entry else ()
        both = set(syn) & set(not_labels)
        if both:
            raise doc.fail(entry["not"], f"{what}的 not 与 synonyms 重复：{'、'.join(sorted(both))}")
        priority = doc.scalar(entry["priority"], f"{what}的 priority", PRIORITIES) if "priority" in entry else "text"
        ends = doc.boolean(entry["ends_value"], f"{what}的 ends_value") if "ends_value" in entry else True
        sets[k] = LabelSet(key=k, synonyms=syn, value=doc.scalar(entry["value"], f"{what}的 value", VALUE_TYPES),
                           priority=priority, not_labels=not_labels, ends_value=ends)
    stop = doc.strings(top["stop_labels"], "stop_labels") if "stop_labels" in top else ()
    return sets, stop


LABEL_SETS, STOP_LABELS = load_labels()


def label_set(key: str) -> LabelSet:
    return LABEL_SETS[key]


def labels(key: str) -> tuple[str, ...]:
    """The synonyms of field ``key`` of labels.yaml, in file order."""
    return LABEL_SETS[key].synonyms


ALL_LABELS: frozenset[str] = frozenset(
    [x for s in LABEL_SETS.values() if s.ends_value for x in s.synonyms] + list(STOP_LABELS))
